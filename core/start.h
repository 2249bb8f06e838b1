/*
 * qlaunch start CONFIG: QEMU as a child, detached once it answers QMP.
 *
 * The launch is built as for run (QL_MODE_RUN: seeds made, fds opened).
 * The child places the fds as run does (ex_exec), with stdin /dev/null,
 * stdout qlaunch's stderr and stderr a pipe to the parent, and becomes
 * QEMU.  The parent waits until QEMU answers query-status on the config's
 * first [qmp] unix socket, or, without one, on a private monitor (a
 * socketpair: -chardev socket,id=qlaunch-start,fd=N -mon
 * chardev=qlaunch-start,mode=control), or until QEMU exits or the timeout
 * passes.
 *
 * Ready: what QEMU wrote to stderr so far is copied to qlaunch's stderr, a
 * relay process takes over the pipe and copies the rest there until QEMU
 * closes it (its stdout is /dev/null, so a caller reading start's stdout
 * sees it close when start exits), QEMU's pid is printed and 0 returned.
 *
 * Failed: each line QEMU wrote becomes a message at the INI line it came
 * from ("FILE:LINE: [SECTION] KEY: QEMU says: ..."), QEMU is killed (on a
 * timeout) and reaped, and everything the launch made is removed: the
 * prebound sockets and seeded files, and the QMP socket and pidfile QEMU
 * left.  Returns 1.
 *
 * Interrupted: SIGINT, SIGTERM and SIGHUP are caught from before the fork
 * until the outcome is known (one the caller left ignored stays ignored;
 * the child and the relay do not keep the handler).  On one, QEMU gets
 * SIGTERM, then SIGKILL after ST_GRACE_MS, is reaped, what it had said is
 * translated, one line says why, and everything is removed as on a
 * failure.  Returns 128 + the signal's number, as a shell's.  The
 * dispositions found are put back before st_start returns.
 */
#ifndef QL_START_H
#define QL_START_H

#include <stddef.h>

#include "build.h"
#include "config.h"
#include "diag.h"

/* Default of --timeout, in milliseconds. */
#define ST_TIMEOUT_MS 30000

/* Interrupted: how long QEMU has to exit after SIGTERM, before SIGKILL. */
#define ST_GRACE_MS 2000

/* The id of the private monitor's chardev. */
#define ST_CHARDEV_ID "qlaunch-start"

/*
 * Start l (built from cfg in QL_MODE_RUN; start owns its fds and created
 * files from here, and leaves l to be released by the caller) and wait at
 * most timeout_ms (< 0: ST_TIMEOUT_MS).  Messages go to dg.  Returns the
 * exit status: 0, 1, 126/127 if QEMU could not be executed, or 129, 130,
 * 143 if SIGHUP, SIGINT or SIGTERM interrupted the wait.
 */
int st_start(struct launch *l, const struct cfg *cfg, int timeout_ms, struct diag *dg);

/*
 * Translate what QEMU wrote to stderr (text, len bytes; it need not end in
 * a newline) into messages at the INI lines they came from, using l's
 * argv and parts.  QEMU's prefix (the binary's name, or "qemu") is
 * dropped; a line without one continues the message before it (QEMU's
 * hints) and goes to the same place.  Every line gives one message; 0 or
 * -ENOMEM.
 */
int st_translate(const struct launch *l, const struct cfg *cfg, const char *text,
		 size_t len, struct diag *dg);

#endif
