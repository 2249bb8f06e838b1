/*
 * [fd.NAME] sections: file descriptors handed to QEMU.
 *
 * Each declares one fd: inherit = N (an fd qlaunch was started with, also
 * bound at launch with --fd NAME=N) or path = FILE with mode = r, w, rw or
 * append (qlaunch opens it).  The declared fds become 3, 4, 5, ... in the
 * order of their sections; fds that plugins hand over follow.  Any value
 * of another section may say ${fd:NAME} (the number QEMU sees) or, if the
 * fd has fdset = S, ${fdset:NAME} (/dev/fdset/S, with -add-fd emitted).
 * "$${" stands for a literal "${".
 */
#ifndef QL_FDS_H
#define QL_FDS_H

#include <qlaunch/plugin.h>

#include "config.h"
#include "diag.h"
#include "strbuf.h"

#define FD_SECTION "fd"

extern const struct ql_key fd_keys[];

struct fd_decl {
	const struct cfg_section *sec;
	int inherit;          /* fd to pass on, or -1 */
	const char *path;     /* file to open, or NULL */
	int oflags;           /* open(2) flags for path */
	long fdset;           /* -1 if none */
	int has_source;       /* the section has inherit or path (maybe invalid) */
	int target;           /* the number QEMU sees */
};

struct fd_table {
	struct fd_decl *v;
	size_t n;
};

/*
 * Collect the [fd.*] sections of cfg, applying bindings ("NAME=N" from
 * --fd).  Inherited fds must be open (checked without opening anything).
 * Reports every problem; returns 0 or -EINVAL/-ENOMEM.
 */
int fdt_build(const struct cfg *cfg, const struct strv *bindings,
	      struct diag *dg, struct fd_table *out);

/* Replace ${fd:NAME} and ${fdset:NAME} in every value outside [fd.*]. */
int fdt_expand(struct cfg *cfg, const struct fd_table *t, struct diag *dg);

/*
 * For run: fds[i] receives a new close-on-exec fd for declaration i (a
 * duplicate of the inherited fd, or the opened file).  The paths of files
 * this call created are appended to created, so that a launch that fails
 * later can remove them (fdt_unlink).  A path is opened without following
 * a symbolic link, and a file of another user in a directory others may
 * write is refused.  On failure the fds opened so far are closed, the
 * files created removed, and fds[] is all -1.
 */
int fdt_open(const struct fd_table *t, const char *file, struct diag *dg,
	     int *fds, struct strv *created);

/* Remove the files of created (from fdt_open) and empty it. */
void fdt_unlink(struct strv *created);

/* Emit -add-fd for one [fd.NAME] section that has an fdset (core step;
 * ctx must be the core's, with the table in its host state). */
ql_emit_fn fd_emit;

void fdt_release(struct fd_table *t);

#endif
