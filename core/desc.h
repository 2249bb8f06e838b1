/*
 * A plugin's descriptor, read into the core's own layout.
 *
 * A plugin built against an older 2.x header hands the core smaller
 * structs than the core's own; dsc_read copies the descriptor, its section
 * types and their keys into arrays of the core's layout (members the
 * plugin lacks are zero) and checks them, so that the rest of the core
 * indexes them with its own sizeof and never looks at the plugin's memory
 * layout again.  Names, strings and callbacks stay borrowed from the
 * plugin: they live as long as it is loaded.
 */
#ifndef QL_DESC_H
#define QL_DESC_H

#include <qlaunch/plugin.h>

#include "diag.h"

/*
 * Read the descriptor sym (the plugin's QL_PLUGIN_SYMBOL) of the plugin at
 * path, whose file stem is stem, into *out.  On success out->sections is an
 * owned array in the core's layout whose types' keys are owned arrays too
 * (key_size is the core's); free with dsc_release.  On any problem reports
 * it to dg naming path, leaves *out zeroed and returns -EINVAL (or
 * -ENOMEM).
 */
int dsc_read(const char *path, const char *stem, const void *sym,
	     struct diag *dg, struct ql_plugin *out);

/*
 * Say why a library exports no QL_PLUGIN_SYMBOL: if it exports
 * ql_plugin_vN of another major (lookup returns the symbol's address or
 * NULL), name both ABI versions.  Always returns -EINVAL.
 */
int dsc_no_symbol(const char *path, void *(*lookup)(void *h, const char *sym),
		  void *h, struct diag *dg);

/* Is s a QEMU flag as an option or argument: '-', then a letter or digit,
 * then [a-z0-9_.-]? */
int dsc_valid_flag(const char *s);

/* Is s a valid section type name: [a-z][a-z0-9_-]*? */
int dsc_valid_type_name(const char *s);

/* Is s one or more valid section type names separated by blanks (a
 * QL_KEY_REF's ref since 2.1)? */
int dsc_valid_type_list(const char *s);

/* The next name of such a list: its start (not terminated), or NULL at the
 * end; *len receives its length and *s moves past it. */
const char *dsc_next_type(const char **s, size_t *len);

/* The declared key called name of t, or NULL. */
const struct ql_key *dsc_key(const struct ql_section_type *t, const char *name);

/* The lowest order of d's section types (what 'qlaunch plugins' shows). */
int dsc_order(const struct ql_plugin *d);

/* Free what dsc_read allocated; d may be NULL or zeroed. */
void dsc_release(struct ql_plugin *d);

#endif
