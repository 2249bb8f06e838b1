/*
 * Finding and loading option plugins.
 *
 * The search path is the --plugin-dir directories, then QLAUNCH_PLUGIN_PATH
 * (colon-separated), then the configured plugin directory.  In each
 * directory only regular files named *.so are considered, sorted by name;
 * a plugin found earlier masks one of the same name later on the path.
 */
#ifndef QL_PLUGIN_H
#define QL_PLUGIN_H

#include <stddef.h>
#include <sys/stat.h>

#include <qlaunch/plugin.h>

#include "diag.h"
#include "plgindex.h"
#include "registry.h"
#include "strbuf.h"

struct plg {
	char *path;               /* file it was loaded from; for a built-in
				   * plugin "built-in NAME" */
	void *handle;             /* dlopen handle; NULL for a built-in */
	int fd;                   /* the file it was loaded from, open (-1 if
				   * not loaded or built in) */
	int loaded;               /* 0: known from the index only, not loaded
				   * yet (see plg_load_used) */
	int builtin;              /* compiled into qlaunch (builtin.h) */
	struct ql_plugin desc;    /* in the core's layout (desc.h); for a
				   * plugin not loaded yet only name and
				   * sections (from the index, keys NULL) */
	struct pix_id id;         /* of the file, taken before loading it */
	char *stub_name;          /* owned by a plugin not loaded yet */
	struct ql_section_type *stub_types; /* from the index; kept once loaded
				   * (the registry's map names them) */
};

/* A plugin compiled into the qlaunch binary (configure
 * --with-builtin-plugins): its name and descriptor. */
struct plg_builtin {
	const char *name;
	const struct ql_plugin *desc;
};

/* The built-in plugins of this build (core/builtin.c), name-terminated;
 * empty unless configured. */
extern const struct plg_builtin plg_builtins[];

/* A plugin file that was found but not loaded, and why. */
struct plg_skip {
	char *path;
	char *reason;             /* "masked by DIR/x.so", ... */
};

struct plg_set {
	struct plg *v;            /* sorted by name */
	size_t n;
	struct plg_skip *skipped; /* in search order */
	size_t nskipped;
	int allow_unsafe;         /* as the filter said, for plg_load_used */
	struct registry reg;      /* section type -> owner, with the core's */
};

/* Which plugins may load (a plugin set's choice); NULL lists: no limit. */
struct plg_filter {
	const char *const *enable;   /* only these, if not NULL */
	const char *const *disable;  /* never these */
	int allow_unsafe;            /* load world-writable or foreign-owned files */
	int lazy;                    /* a plugin its directory's index lists
				      * is loaded by plg_load_used, if used */
	const struct plg_builtin *builtins; /* NULL-name-terminated, or NULL */
};

/*
 * Build the search path: each of dirs (explicit, must exist), then the
 * components of env (may be NULL; missing ones are skipped), then deflt
 * (skipped if missing).  Each entry of *out is "=D" or "?D": the first
 * character tags a required or an optional directory, whatever D's own
 * first character is (plg_load_all reads an untagged entry as required).
 */
int plg_search_path(const char *const *dirs, size_t ndirs, const char *env,
		    const char *deflt, struct strv *out);

/*
 * Load every plugin on the search path that filter (may be NULL) allows; a
 * plugin file that anyone may write, or that belongs to a user other than
 * root or the one running qlaunch, is refused unless filter->allow_unsafe
 * (it would run with qlaunch's rights, often more than QEMU gets); a name
 * in filter->enable that is not found is an error.  With filter->lazy, a
 * plugin that its directory's index (plgindex.h) describes is not loaded
 * but only listed, with the section types the index gives.  A section type
 * may have one owner only, and the types in core (name-terminated, may be
 * NULL) belong to the core; set->reg maps every type to its owner.  The
 * built-in plugins of filter->builtins are added unless a file of the same
 * name is on the path (it masks the built-in) or the filter leaves them
 * out.  Problems are added to dg, naming the file;
 * the plugins that did load are still returned in *out (free with
 * plg_set_free) so callers can report on them.  Returns 0 if nothing went
 * wrong, -EINVAL or -ENOMEM.
 */
int plg_load_all(const struct strv *path, const struct plg_filter *filter,
		 const struct ql_section_type *core, struct diag *dg,
		 struct plg_set **out);

struct cfg;

/*
 * Load the plugins plg_load_all left to the index whose section types cfg
 * uses.  Each must declare exactly the section types its index entry lists.
 * Returns 0, or -EINVAL (reported to dg, naming the file) or -ENOMEM.
 */
int plg_load_used(struct plg_set *set, const struct cfg *cfg, struct diag *dg);

/* May qlaunch run code from (or trust) a file with this status: not
 * writable by others, owned by root or by the user running qlaunch? */
int plg_file_is_safe(const struct stat *st);

void plg_set_free(struct plg_set *set);

#endif
