/*
 * Plugin sets: a distribution's choice of plugins and defaults.
 *
 * A plugin-set file is an INI file (read with the same rules as a VM
 * config):
 *   [set]             name, description
 *   [plugins]         path (colon-separated plugin directories, instead of
 *                     the built-in one), enable (only these plugins load),
 *                     disable (these never load); names separated by
 *                     blanks or commas
 *   [defaults.TYPE]   keys for the single-instance section [TYPE] of every
 *                     config: used where the config does not set them, the
 *                     section added if the config has none ([defaults.qemu]
 *                     binary is the distribution's QEMU)
 *   [fill.TYPE]       keys for every [TYPE] and [TYPE.ID] section the
 *                     config has, where it does not set them; adds no
 *                     section ([fill.qmp] prebind = on)
 * Precedence: command line > config file > plugin-set defaults > built-in.
 */
#ifndef QL_PSET_H
#define QL_PSET_H

#include "config.h"
#include "diag.h"
#include "plugin.h"
#include "strbuf.h"

struct pset {
	struct cfg *cfg;          /* the file as read; NULL for no set */
	const char *name;         /* [set] name, or the file name */
	const char *path;         /* the file, or NULL */
	struct strv dirs;         /* [plugins] path, split */
	struct strv enable;       /* empty: every plugin may load */
	struct strv disable;
};

/* Read a plugin-set file.  Reports every problem; 0 or -EINVAL/-ENOMEM. */
int pset_load(const char *path, struct diag *dg, struct pset *out);

/* The loader's filter for this set (borrows from ps). */
void pset_filter(const struct pset *ps, struct plg_filter *f);

/*
 * Add the set's defaults to cfg: for each [defaults.TYPE], keys the
 * config's [TYPE] lacks (creating [TYPE] if need be; TYPE must be a
 * single-instance type of the core or a loaded plugin); for each
 * [fill.TYPE], keys each [TYPE] or [TYPE.ID] of the config lacks.  Call
 * before anything holds pointers into cfg's sections.
 */
int pset_apply(const struct pset *ps, const struct plg_set *plugins,
	       const char *const *core_single_types, struct cfg *cfg,
	       struct diag *dg);

void pset_release(struct pset *ps);

#endif
