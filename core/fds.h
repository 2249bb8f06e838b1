/*
 * [fd.NAME] sections: file descriptors handed to QEMU.
 *
 * Each declares one fd: inherit = N (an fd qlaunch was started with, also
 * bound at launch with --fd NAME=N) or path = FILE with mode = r, w, rw or
 * append (qlaunch opens it).  The declared fds become 3, 4, 5, ... in the
 * order of their sections, and fds that plugins hand over follow: fdpass.h
 * owns the numbers.  Any value
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

struct fdp_table;

/*
 * Collect the [fd.*] sections of cfg, applying bindings ("NAME=N" from
 * --fd), and give each a slot of fdp (which numbers them, fdpass.h).
 * Inherited fds must be open (checked without opening anything).  Reports
 * every problem; returns 0 or -EINVAL/-ENOMEM.
 */
int fdt_build(const struct cfg *cfg, const struct strv *bindings,
	      struct fdp_table *fdp, struct diag *dg, struct fd_table *out);

/* Replace ${fd:NAME} and ${fdset:NAME} in every value outside [fd.*]. */
int fdt_expand(struct cfg *cfg, const struct fd_table *t, struct diag *dg);

/*
 * For run (fdpass.c calls it): a new close-on-exec fd for d, a duplicate of
 * the inherited fd or the opened file, or the reported -EINVAL.  A file
 * this call creates is appended to created, so that a launch that fails
 * later can remove it (fdt_unlink).  A path is opened without following a
 * symbolic link, and a file of another user in a directory others may
 * write is refused.
 */
int fdt_open_one(const struct fd_decl *d, const char *file, struct diag *dg,
		 struct strv *created);

/* Remove the files of created (from fdt_open) and empty it. */
/* check: the path of each [fd.NAME] is there (mode r) or has a directory
 * to be created in (the other modes), as run will open it.  0 or -EINVAL
 * (reported). */
int fdt_check_paths(const struct cfg *cfg, const struct fd_table *t, struct diag *dg);

void fdt_unlink(struct strv *created);

/* Emit -add-fd for one [fd.NAME] section that has an fdset (core step;
 * ctx must be the core's, with the table in its host state). */
ql_emit_fn fd_emit;

void fdt_release(struct fd_table *t);

#endif
