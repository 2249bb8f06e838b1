/*
 * The one "section type -> owner" registry: built once from the core's own
 * section types and the loaded plugin set, and used by the loader (one
 * owner per type), the argv planner and plugin sets.
 */
#ifndef QL_REGISTRY_H
#define QL_REGISTRY_H

#include <stddef.h>

#include <qlaunch/plugin.h>

#include "diag.h"
#include "strmap.h"

struct plg;
struct plg_set;

struct reg_entry {
	const struct plg *plugin;           /* NULL: the core owns it */
	size_t index;                       /* into the owner's section types */
	const struct ql_section_type *core; /* the core's type, if plugin is NULL */
};

struct registry {
	struct strmap map;                  /* type name -> index into v */
	struct reg_entry *v;
	const char **names;                 /* NULL-terminated, for suggestions */
	size_t n;
};

#define REGISTRY_INIT { STRMAP_INIT, NULL, NULL, 0 }

/*
 * Register core (name-terminated; the core's own types, which no plugin may
 * claim), then every section type of set's plugins.  A type claimed twice
 * is reported to dg, naming the plugin files.  Returns 0, -EINVAL or
 * -ENOMEM.  The registry points into set: keep set alive and in place.
 */
int reg_build(struct registry *reg, const struct ql_section_type *core,
	      const struct plg_set *set, struct diag *dg);

/* The owner of type (exact, lower case), or NULL. */
const struct reg_entry *reg_find(const struct registry *reg, const char *type);

/* The owner of type compared without case (plugin sets spell types as
 * they like), or NULL. */
const struct reg_entry *reg_find_nocase(const struct registry *reg, const char *type);

/* The section type an entry stands for. */
const struct ql_section_type *reg_type(const struct reg_entry *e);

void reg_release(struct registry *reg);

#endif
