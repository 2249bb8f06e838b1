#include <qlconfig.h>

#include "build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fds.h"
#include "qemu.h"
#include "strmap.h"
#include "value.h"

/* One thing to emit, in argv order. */
struct step {
	int order;
	const char *owner;               /* plugin name, for ties */
	size_t index;                    /* file position */
	const struct cfg_section *sec;
	ql_emit_fn *emit;
};

/* Section type -> owner, for every plugin and the core. */
struct owners {
	struct strmap map;               /* type -> index into types */
	const struct ql_section_type **types;
	const struct plg **plugins;      /* NULL for the core */
	const char **names;              /* NULL-terminated, for suggestions */
	size_t n;
};

static const struct ql_section_type core_types[] = {
	{ QEMU_SECTION, QL_SECTION_SINGLE, qemu_keys },
	{ FD_SECTION, QL_SECTION_MULTI, fd_keys },
};

const char *const bld_core_types[] = { QEMU_SECTION, FD_SECTION, NULL };

static int owners_add(struct owners *o, const struct ql_section_type *t,
		      const struct plg *p)
{
	int r = sm_insert(&o->map, t->name, (unsigned)o->n, NULL);

	if (r < 0)
		return r;
	if (r == 0)     /* plg_load_all refuses such plugin sets */
		return -EINVAL;
	o->types[o->n] = t;
	o->plugins[o->n] = p;
	o->names[o->n] = t->name;
	o->names[++o->n] = NULL;
	return 0;
}

static int owners_init(struct owners *o, const struct plg_set *plugins)
{
	size_t total = 2;
	int r = 0;

	for (size_t i = 0; i < plugins->n; i++)
		for (const struct ql_section_type *t = plugins->v[i].desc.sections; t->name; t++)
			total++;
	o->types = calloc(total, sizeof(*o->types));
	o->plugins = calloc(total, sizeof(*o->plugins));
	o->names = calloc(total + 1, sizeof(*o->names));
	if (!o->types || !o->plugins || !o->names)
		return -ENOMEM;
	r = owners_add(o, &core_types[0], NULL);
	if (r == 0)
		r = owners_add(o, &core_types[1], NULL);
	for (size_t i = 0; i < plugins->n && r == 0; i++)
		for (const struct ql_section_type *t = plugins->v[i].desc.sections;
		     t->name && r == 0; t++)
			r = owners_add(o, t, &plugins->v[i]);
	return r;
}

static void owners_release(struct owners *o)
{
	sm_release(&o->map);
	free(o->types);
	free(o->plugins);
	free(o->names);
}

static void list_keys(struct strbuf *sb, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++)
		sb_printf(sb, "%s%s", i ? ", " : "", keys[i]);
}

/*
 * Check a section against its type.  Returns -EINVAL if it has an id where
 * none is allowed or lacks one (the plugin must not see it), else 0, with
 * any unknown keys reported: the plugin still checks the known ones.
 */
static int check_section(const struct cfg *cfg, const struct cfg_section *sec,
			 const struct ql_section_type *t, struct diag *dg)
{
	if (sec->id && !(t->flags & QL_SECTION_MULTI))
		return dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
				"[%s] takes no id, expected [%s]", t->name, t->name);
	if (!sec->id && !(t->flags & QL_SECTION_SINGLE))
		return dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
				"[%s] needs an id, expected [%s.ID]", t->name, t->name);
	if (!t->keys)
		return 0;
	for (size_t i = 0; i < sec->nkeys; i++) {
		const struct cfg_key *k = &sec->keys[i];
		struct strbuf list = STRBUF_INIT;
		const char *hint;

		if (str_in_list(k->name, t->keys))
			continue;
		list_keys(&list, t->keys);
		hint = val_suggest(k->name, t->keys);
		if (hint)
			dg_error(dg, cfg_where(cfg, k->file), k->line, sec->name, k->name,
				 "unknown key (did you mean '%s'?), expected one of: %s",
				 hint, list.buf ? list.buf : "");
		else
			dg_error(dg, cfg_where(cfg, k->file), k->line, sec->name, k->name,
				 "unknown key, expected one of: %s", list.buf ? list.buf : "");
		sb_release(&list);
	}
	return 0;
}

static int cmp_step(const void *pa, const void *pb)
{
	const struct step *a = pa, *b = pb;
	int c;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	c = strcmp(a->owner, b->owner);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Map every section to its owner and collect the emit steps. */
static int plan(const struct cfg *cfg, const struct owners *o,
		struct diag *dg, struct step *steps, size_t *nsteps,
		const struct cfg_section **qemu_sec)
{
	size_t n = 0;

	*qemu_sec = NULL;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		const struct plg *p;
		unsigned idx;

		if (!sm_get(&o->map, sec->type, &idx)) {
			const char *hint = val_suggest(sec->type, o->names);

			if (hint)
				dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
					 "unknown section type '%s', did you mean [%s%s]?",
					 sec->type, hint, sec->id ? ".ID" : "");
			else
				dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
					 "unknown section type '%s': no plugin handles it (see 'qlaunch plugins')",
					 sec->type);
			continue;
		}
		p = o->plugins[idx];
		if (p && !p->handle) {           /* plg_load_used was not called */
			dg_error(dg, p->path, 0, NULL, NULL,
				 "plugin for [%s] is known from the index but not loaded; please report this",
				 sec->type);
			continue;
		}
		if (check_section(cfg, sec, o->types[idx], dg) < 0)
			continue;
		if (!p && o->types[idx] == &core_types[1]) {
			steps[n++] = (struct step){ QL_ORDER_ADD_FD, "", i, sec, fd_emit };
			continue;
		}
		if (!p) {                        /* the core's [qemu] */
			*qemu_sec = sec;
			steps[n++] = (struct step){ QL_ORDER_NAME, "", i, sec, qemu_emit_head };
			steps[n++] = (struct step){ QL_ORDER_SWITCHES, "", i, sec, qemu_emit_tail };
			continue;
		}
		steps[n++] = (struct step){ p->desc.order, p->desc.name, i, sec, p->desc.emit };
	}
	*nsteps = n;
	qsort(steps, n, sizeof(*steps), cmp_step);
	return dg_failed(dg) ? -EINVAL : 0;
}

/* Reserve the numbers 3.. for the declared fds (opened later). */
static int reserve_fds(struct host_state *st, size_t n)
{
	st->fds = malloc((n ? n : 1) * sizeof(*st->fds));
	if (!st->fds)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		st->fds[i] = -1;
	st->nfds = n;
	return 0;
}

int bld_launch(struct cfg *cfg, const struct plg_set *plugins,
	       enum ql_mode mode, const char *default_binary,
	       const struct strv *fd_bindings, struct diag *dg,
	       struct launch *out)
{
	struct host_state st = { .file = cfg->path, .mode = mode, .dg = dg };
	struct fd_table fdt = { NULL, 0 };
	struct owners o = { .map = STRMAP_INIT };
	const struct cfg_section *qemu_sec = NULL;
	struct step *steps = NULL;
	const char *binary = NULL;
	size_t nsteps = 0;
	int r;

	memset(out, 0, sizeof(*out));
	r = owners_init(&o, plugins);
	if (r == -EINVAL)
		dg_error(dg, NULL, 0, NULL, NULL, "conflicting plugins (see 'qlaunch plugins')");
	if (r < 0)
		goto out;
	steps = calloc(cfg->nsections * 2 + 1, sizeof(*steps));
	if (!steps) {
		r = -ENOMEM;
		goto out;
	}
	if (fdt_build(cfg, fd_bindings, dg, &fdt) == -ENOMEM ||
	    fdt_expand(cfg, &fdt, dg) == -ENOMEM ||
	    reserve_fds(&st, fdt.n) < 0) {
		r = -ENOMEM;
		goto out;
	}
	st.fdt = &fdt;
	r = plan(cfg, &o, dg, steps, &nsteps, &qemu_sec);
	if (qemu_binary(cfg, qemu_sec, default_binary, dg, &binary) < 0)
		r = -EINVAL;
	for (size_t i = 0; i < nsteps; i++)
		if (host_emit(&st, steps[i].sec, steps[i].emit) == -ENOMEM) {
			r = -ENOMEM;
			goto out;
		}
	if (host_check_refs(&st, cfg) == -ENOMEM) {
		r = -ENOMEM;
		goto out;
	}
	if (dg_failed(dg)) {
		r = -EINVAL;
		goto out;
	}
	/* Only now, with everything valid and QEMU executable, open files:
	 * a failed launch should not truncate a log or leave a socket. */
	if (mode == QL_MODE_RUN && access(binary, X_OK) < 0) {
		r = -errno;
		dg_error(dg, binary, 0, NULL, NULL, "cannot execute QEMU: %s", strerror(errno));
		goto out;
	}
	if (mode == QL_MODE_RUN && (fdt_open(&fdt, cfg->path, dg, st.fds) < 0 ||
				    host_open_pending(&st) < 0)) {
		r = -EINVAL;
		goto out;
	}
	r = sv_push(&out->argv, binary);
	for (size_t i = 0; i < st.argv.n && r == 0; i++)
		r = sv_push(&out->argv, st.argv.v[i]);
	if (r < 0)
		goto out;
	out->fds = st.fds;
	out->nfds = st.nfds;
	st.fds = NULL;
	st.nfds = 0;
out:
	if (r < 0)
		launch_release(out);
	host_state_release(&st);
	fdt_release(&fdt);
	owners_release(&o);
	free(steps);
	return r;
}

void launch_release(struct launch *l)
{
	if (!l)
		return;
	sv_release(&l->argv);
	for (size_t i = 0; i < l->nfds; i++)
		if (l->fds[i] >= 0)
			close(l->fds[i]);
	free(l->fds);
	l->fds = NULL;
	l->nfds = 0;
}
