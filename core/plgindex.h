/*
 * The plugin index: a small text file in a plugin directory that lists each
 * plugin file there with what identifies that version of the file (device,
 * inode, size, modification and change times: a file replaced or rewritten
 * in place changes at least the change time, which nobody can set) and the
 * section types it declares.  With it, 'print',
 * 'check' and 'run' load only the plugins whose section types the config
 * uses.  An entry that does not match the file on disk is not used, and
 * that plugin is loaded as if there were no index: a stale index costs
 * time, never correctness.  A plugin loaded through the index must declare
 * exactly the section types its entry lists, else loading fails.
 *
 *   qlaunch-plugin-index 1 abi MAJOR
 *   FILE DEV INO SIZE MTIME_SEC MTIME_NSEC CTIME_SEC CTIME_NSEC TYPE:FLAGS...
 *
 * MAJOR is the plugin ABI major of the qlaunch that wrote it (an index
 * from another major is not used), FILE a "NAME.so" of that directory,
 * FLAGS where the type may appear (QL_SECTION_SINGLE 1, QL_SECTION_MULTI 2,
 * or both) in decimal; all numbers are decimal.
 * 'qlaunch index DIR' writes the file.
 */
#ifndef QL_PLGINDEX_H
#define QL_PLGINDEX_H

#include <stddef.h>
#include <sys/stat.h>

#include <qlaunch/plugin.h>

#include "diag.h"

#define PIX_FILE "plugins.index"
#define PIX_MAGIC "qlaunch-plugin-index 1 abi"  /* then QL_ABI_MAJOR */

/* What tells one version of a file from another. */
struct pix_id {
	unsigned long long dev, ino, size;
	long long mtime_sec, ctime_sec;
	long mtime_nsec, ctime_nsec;
};

struct pix_entry {
	char *file;                      /* "cpu.so" */
	struct pix_id id;
	struct ql_section_type *types;   /* name-terminated, keys NULL */
};

struct pix {
	struct pix_entry *v;
	size_t n;
};

#define PIX_INIT { NULL, 0 }

struct plg_set;

/*
 * Read dir's index into *out.  A missing, unreadable, malformed or unsafe
 * index (writable by others, or owned by someone other than root or this
 * user, unless allow_unsafe) leaves *out empty: plugins then load as if
 * there were no index.  Returns 0, or -ENOMEM.
 */
int pix_read(const char *dir, int allow_unsafe, struct pix *out);

void pix_id_of(const struct stat *st, struct pix_id *id);
int pix_id_eq(const struct pix_id *a, const struct pix_id *b);

/* The entry for file (a name in the index's directory) if it describes
 * the file st describes, else NULL. */
struct pix_entry *pix_match(const struct pix *ix, const char *file,
			    const struct stat *st);

/* Write dir's index for the plugins of set, all loaded from dir; a plugin
 * file that changed since it was loaded (plg.id) is an error.  Replaces
 * the file atomically.  Returns 0 or reports to dg and returns < 0. */
int pix_write(const char *dir, const struct plg_set *set, struct diag *dg);

/* Free a types array as stored in an entry. */
void pix_free_types(struct ql_section_type *types);

void pix_release(struct pix *ix);

#endif
