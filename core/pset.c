#include <qlconfig.h>

#include "pset.h"

#include <errno.h>
#include <string.h>

#define DEFAULTS "defaults"
#define FILL "fill"

static const char *const set_keys[] = { "name", "description", NULL };
static const char *const plugins_keys[] = { "path", "enable", "disable", NULL };

/* Split s at any of seps into out, skipping empty pieces. */
static int split(const char *s, const char *seps, struct strv *out)
{
	int r = 0;

	while (*s && r == 0) {
		size_t n = strcspn(s, seps);

		if (n)
			r = sv_take(out, strndup(s, n));
		s += n + (s[n] != '\0');
	}
	return r;
}

static int check_keys(const struct cfg *cfg, const struct cfg_section *sec,
		      const char *const *keys, struct diag *dg)
{
	int r = 0;

	for (size_t i = 0; i < sec->nkeys; i++)
		if (!str_in_list(sec->keys[i].name, keys))
			r = dg_error(dg, cfg->path, sec->keys[i].line, sec->name, sec->keys[i].name,
				     "unknown key in a plugin set, expected %s",
				     keys == set_keys ? "name or description" : "path, enable or disable");
	return r;
}

int pset_load(const char *path, struct diag *dg, struct pset *out)
{
	const char *name = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	r = cfg_load(path, dg, &out->cfg);
	if (r < 0)
		return r;
	out->path = out->cfg->path;
	for (size_t i = 0; i < out->cfg->nsections && r != -ENOMEM; i++) {
		const struct cfg_section *sec = &out->cfg->sections[i];
		const struct cfg_key *k;

		if (strcmp(sec->type, "set") == 0 && !sec->id) {
			r = check_keys(out->cfg, sec, set_keys, dg);
			if ((k = cfg_key_find(sec, "name")))
				name = k->value;
		} else if (strcmp(sec->type, "plugins") == 0 && !sec->id) {
			r = check_keys(out->cfg, sec, plugins_keys, dg);
			if ((k = cfg_key_find(sec, "path"))) {
				r = split(k->value, ":", &out->dirs);
				for (size_t j = 0; j < out->dirs.n && r == 0; j++)
					if (out->dirs.v[j][0] != '/')
						r = dg_error(dg, path, k->line, sec->name, "path",
							     "'%s' is not an absolute directory, expected absolute ones",
							     out->dirs.v[j]);
			}
			if (r != -ENOMEM && (k = cfg_key_find(sec, "enable")))
				r = split(k->value, " \t,", &out->enable);
			if (r != -ENOMEM && (k = cfg_key_find(sec, "disable")))
				r = split(k->value, " \t,", &out->disable);
		} else if ((strcmp(sec->type, DEFAULTS) != 0 && strcmp(sec->type, FILL) != 0) || !sec->id) {
			r = dg_error(dg, path, sec->line, sec->name, NULL,
				     "unknown section in a plugin set, expected [set], [plugins], [defaults.TYPE] or [fill.TYPE]");
		}
	}
	out->name = name ? name : path;
	if (r == -ENOMEM || dg_failed(dg)) {
		pset_release(out);
		return r == -ENOMEM ? r : -EINVAL;
	}
	return 0;
}

void pset_filter(const struct pset *ps, struct plg_filter *f)
{
	f->enable = ps->enable.n ? (const char *const *)ps->enable.v : NULL;
	f->disable = (const char *const *)ps->disable.v;
	f->allow_unsafe = 0;
}

/* The flags of section type (compared without case, as section names
 * are): those of a loaded plugin's type or of one of core_single (the
 * core's types a plugin set may give defaults for), or 0 if unknown.
 * *name receives the type's own (lower-case) spelling. */
static unsigned type_flags(const char *type, const struct plg_set *plugins,
			   const char *const *core_single, const char **name)
{
	const struct reg_entry *e = reg_find_nocase(&plugins->reg, type);
	const struct ql_section_type *t = e ? reg_type(e) : NULL;

	if (!t || (!e->plugin && !str_in_list(t->name, core_single)))
		return 0;
	*name = t->name;
	return t->flags;
}

/* Add def's keys that sec lacks. */
static int fill(const struct pset *ps, const struct cfg_section *def,
		struct cfg *cfg, struct cfg_section *sec)
{
	int r = 0;

	for (size_t k = 0; k < def->nkeys && r == 0; k++)
		if (!cfg_key_find(sec, def->keys[k].name)) {
			r = cfg_add_key(cfg, sec, def->keys[k].name, def->keys[k].value,
					ps->path, def->keys[k].line);
			if (r == 0)
				sec->keys[sec->nkeys - 1].is_default = 1;
		}
	return r;
}

int pset_apply(const struct pset *ps, const struct plg_set *plugins,
	       const char *const *core_single_types, struct cfg *cfg,
	       struct diag *dg)
{
	int r = 0;

	if (!ps->cfg)
		return 0;
	for (size_t i = 0; i < ps->cfg->nsections && r != -ENOMEM; i++) {
		const struct cfg_section *def = &ps->cfg->sections[i];
		struct cfg_section *sec = NULL;
		const char *type = NULL;
		unsigned flags;

		if (strcmp(def->type, FILL) != 0 && strcmp(def->type, DEFAULTS) != 0)
			continue;
		flags = type_flags(def->id, plugins, core_single_types, &type);
		if (!flags) {
			r = dg_error(dg, ps->path, def->line, def->name, NULL,
				     "no loaded plugin handles [%s], expected a section type of one", def->id);
			continue;
		}
		if (strcmp(def->type, FILL) == 0) {
			for (size_t j = 0; j < cfg->nsections && r == 0; j++)
				if (strcmp(cfg->sections[j].type, type) == 0)
					r = fill(ps, def, cfg, &cfg->sections[j]);
			continue;
		}
		if (!(flags & QL_SECTION_SINGLE)) {
			r = dg_error(dg, ps->path, def->line, def->name, NULL,
				     "[%s] is not a single-instance section of a loaded plugin, "
				     "expected defaults for a section such as [machine] or [qemu] (or [fill.%s])",
				     def->id, def->id);
			continue;
		}
		for (size_t j = 0; j < cfg->nsections && !sec; j++)
			if (!cfg->sections[j].id && strcmp(cfg->sections[j].type, type) == 0)
				sec = &cfg->sections[j];
		if (!sec && (r = cfg_add_section(cfg, type, ps->path, def->line, &sec)) < 0)
			break;
		r = fill(ps, def, cfg, sec);
	}
	return r == -ENOMEM ? r : dg_failed(dg) ? -EINVAL : 0;
}

void pset_release(struct pset *ps)
{
	if (!ps)
		return;
	cfg_free(ps->cfg);
	sv_release(&ps->dirs);
	sv_release(&ps->enable);
	sv_release(&ps->disable);
	memset(ps, 0, sizeof(*ps));
}
