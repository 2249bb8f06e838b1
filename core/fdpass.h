/*
 * The fds QEMU will see: the one owner of their numbers.
 *
 * Every fd handed to QEMU has a slot here: the [fd.NAME] sections first,
 * in file order, then the fds plugins ask for (fd_pass), in argv order.
 * Slot i becomes fd FDP_FIRST + i in QEMU, in every mode, so print and
 * check show the numbers run uses.  Nothing is opened until fdp_open, in
 * run mode, once the whole configuration is valid and QEMU is known to be
 * runnable; fdp_place puts the opened fds at their numbers just before
 * exec.
 */
#ifndef QL_FDPASS_H
#define QL_FDPASS_H

#include <stddef.h>

#include <qlaunch/plugin.h>

#include "config.h"
#include "diag.h"
#include "strbuf.h"

/* QEMU's first fd of ours: 0-2 are its stdin, stdout and stderr. */
#define FDP_FIRST 3

struct fd_decl;

struct fdp_slot {
	int fd;                         /* open, or -1 (always in print and check) */
	const struct fd_decl *decl;     /* an [fd.NAME] the core opens, or NULL */
	ql_open_fn *open;               /* else a plugin's opener, and its arg */
	ql_undo_fn *undo;               /* and what undoes it, or NULL */
	const char *arg;
	const struct cfg_section *sec;  /* who asked, for messages */
	const char *key;                /* the key it came from, or NULL */
	int handed;                     /* fd went to a child QEMU (fdp_handed) */
};

struct fdp_table {
	struct fdp_slot *v;
	size_t n;
};

#define FDP_TABLE_INIT { NULL, 0 }

/* The fd QEMU sees for slot i. */
static inline int fdp_number(size_t i)
{
	return FDP_FIRST + (int)i;
}

/* Give the next slot to decl (an [fd.NAME]) or to a plugin's open(arg);
 * *number receives the fd QEMU will see.  0 or -ENOMEM. */
int fdp_reserve(struct fdp_table *t, const struct fd_decl *decl, ql_open_fn *open,
		ql_undo_fn *undo, const char *arg, const struct cfg_section *sec,
		const char *key, int *number);

/*
 * Run mode: open every slot in order (file names the config, for
 * messages); the files created on the way are appended to created.  On a
 * failure, reported at its section or key, everything opened is closed,
 * what was created removed, and -EINVAL returned.
 */
int fdp_open(struct fdp_table *t, const char *file, struct diag *dg, struct strv *created);

/* A launch failed after fdp_open: undo what the plugins' openers made
 * (their undo functions), close every fd.  The table stays (numbers). */
void fdp_undo(struct fdp_table *t);

/* The fds were placed in a child that became QEMU (start): close this
 * process's copies, so that a socket it listens on resets its clients
 * once QEMU is gone.  A later fdp_undo still runs the undo functions, with
 * fd -1. */
void fdp_handed(struct fdp_table *t);

/* Close what is still open and free the table; t may be NULL. */
void fdp_release(struct fdp_table *t);

/*
 * Make slot i's fd become fd FDP_FIRST + i without close-on-exec, and mark
 * every other fd from FDP_FIRST up close-on-exec.  Sources may lie
 * anywhere, also inside the target window (so this needs FDP_FIRST + 2n
 * fds at once).  The slots are updated to the final numbers.  Returns 0
 * or a negative errno value (then the fd table is in an unspecified
 * state).  Runs just before exec.
 */
int fdp_place(struct fdp_table *t);

#endif
