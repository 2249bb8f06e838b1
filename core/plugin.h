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

#include <qlaunch/plugin.h>

#include "diag.h"
#include "strbuf.h"

struct plg {
	char *path;               /* file it was loaded from */
	void *handle;             /* dlopen handle */
	struct ql_plugin desc;    /* copy, zero-filled past the plugin's size */
};

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
};

/* Which plugins may load (a plugin set's choice); NULL lists: no limit. */
struct plg_filter {
	const char *const *enable;   /* only these, if not NULL */
	const char *const *disable;  /* never these */
	int allow_unsafe;            /* load world-writable or foreign-owned files */
};

/*
 * Build the search path: each of dirs (explicit, must exist), then the
 * components of env (may be NULL; missing ones are skipped), then deflt
 * (skipped if missing).  Each entry of *out is "D" or "?D" (a leading '?'
 * marks an optional directory).
 */
int plg_search_path(const char *const *dirs, size_t ndirs, const char *env,
		    const char *deflt, struct strv *out);

/*
 * Load every plugin on the search path that filter (may be NULL) allows; a
 * plugin file that anyone may write, or that belongs to a user other than
 * root or the one running qlaunch, is refused unless filter->allow_unsafe
 * (it would run with qlaunch's rights, often more than QEMU gets);  a
 * name in filter->enable that is not found is an error.  A section type
 * may have one owner
 * only, and the types in reserved (NULL-terminated, may be NULL) belong to
 * the core.  Problems are added to dg, naming the file; the plugins that
 * did load are still returned in *out (free with plg_set_free) so callers
 * can report on them.  Returns 0 if nothing went wrong, -EINVAL or -ENOMEM.
 */
int plg_load_all(const struct strv *path, const struct plg_filter *filter,
		 const char *const *reserved, struct diag *dg,
		 struct plg_set **out);

/* Check one loaded descriptor; exposed for tests.  Returns 0 or reports. */
int plg_check_desc(const char *path, const char *stem,
		   const struct ql_plugin *d, struct diag *dg);

void plg_set_free(struct plg_set *set);

#endif
