#include <qlconfig.h>

#include "registry.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plugin.h"

const struct ql_section_type *reg_type(const struct reg_entry *e)
{
	return e->plugin ? &e->plugin->desc.sections[e->index] : e->core;
}

static int add(struct registry *reg, const struct plg *p, size_t index,
	       const struct ql_section_type *core, struct diag *dg)
{
	const char *name = p ? p->desc.sections[index].name : core->name;
	unsigned prev;
	int r = sm_insert(&reg->map, name, (unsigned)reg->n, &prev);

	if (r < 0)
		return r;
	if (r == 0 && !p)
		return dg_error(dg, NULL, 0, NULL, NULL, "the core declares [%s] twice; please report this",
				name);
	if (r == 0 && !reg->v[prev].plugin)
		return dg_error(dg, p->path, 0, NULL, NULL,
				"section type [%s] belongs to the qlaunch core, expected another name", name);
	if (r == 0)
		return dg_error(dg, p->path, 0, NULL, NULL,
				"section type [%s] is also claimed by %s, expected one owner per section type",
				name, reg->v[prev].plugin->path);
	reg->v[reg->n] = (struct reg_entry){ p, index, core };
	reg->names[reg->n++] = name;
	reg->names[reg->n] = NULL;
	return 0;
}

int reg_build(struct registry *reg, const struct ql_section_type *core,
	      const struct plg_set *set, struct diag *dg)
{
	size_t total = 0;
	int r = 0, failed = 0;

	for (const struct ql_section_type *t = core; t && t->name; t++)
		total++;
	for (size_t i = 0; set && i < set->n; i++)
		for (const struct ql_section_type *t = set->v[i].desc.sections; t->name; t++)
			total++;
	reg->v = calloc(total + 1, sizeof(*reg->v));
	reg->names = calloc(total + 1, sizeof(*reg->names));
	if (!reg->v || !reg->names)
		return -ENOMEM;
	for (size_t i = 0; core && core[i].name && r >= 0; i++)
		r = add(reg, NULL, i, &core[i], dg);
	for (size_t i = 0; set && i < set->n && r != -ENOMEM; i++)
		for (size_t j = 0; set->v[i].desc.sections[j].name && r != -ENOMEM; j++)
			if ((r = add(reg, &set->v[i], j, NULL, dg)) == -EINVAL)
				failed = 1;
	return r == -ENOMEM ? r : failed ? -EINVAL : 0;
}

const struct reg_entry *reg_find(const struct registry *reg, const char *type)
{
	unsigned i;

	return sm_get(&reg->map, type, &i) ? &reg->v[i] : NULL;
}

const struct reg_entry *reg_find_nocase(const struct registry *reg, const char *type)
{
	for (size_t i = 0; i < reg->n; i++)
		if (strcasecmp(reg->names[i], type) == 0)
			return &reg->v[i];
	return NULL;
}

void reg_release(struct registry *reg)
{
	if (!reg)
		return;
	sm_release(&reg->map);
	free(reg->v);
	free(reg->names);
	memset(reg, 0, sizeof(*reg));
}
