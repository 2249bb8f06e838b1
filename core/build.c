#include <qlconfig.h>

#include "build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fds.h"
#include "include.h"
#include "qemu.h"
#include "section.h"
#include "value.h"

/* One thing to emit, in argv order. */
struct step {
	int order;
	const char *owner;               /* plugin name ("" for the core), for ties */
	size_t index;                    /* file position */
	const struct cfg_section *sec;
	const struct ql_section_type *type;
	ql_emit_fn *emit;                /* NULL: the generic emitter */
};

/* [include] is consumed by inc_load, which merges the bases it names: a
 * config loaded without it still has one, and must not build as if the
 * bases were there. */
static const struct ql_key include_keys[] = {
	{ .name = "path", .kind = QL_KEY_STRING },
	{ .name = "remove", .kind = QL_KEY_STRING },
	{ .name = "unset", .kind = QL_KEY_STRING },
	{ .name = NULL },
};

static int include_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	return api->error(ctx, NULL, "[include] was not read when the file was loaded; please report this");
}

/* The core's own section types; [qemu] is emitted in three steps. */
const struct ql_section_type bld_core_types[] = {
	{ .name = QEMU_SECTION, .flags = QL_SECTION_SINGLE, .order = QL_ORDER_NAME,
	  QL_KEYS(qemu_keys), .emit = qemu_emit_name },
	{ .name = FD_SECTION, .flags = QL_SECTION_MULTI, .order = QL_ORDER_ADD_FD,
	  QL_KEYS(fd_keys), .emit = fd_emit },
	{ .name = INC_SECTION, .flags = QL_SECTION_SINGLE, .order = QL_ORDER_NAME,
	  QL_KEYS(include_keys), .emit = include_emit },
	{ .name = NULL },
};

/*
 * Check where a section appears against its type.  Returns -EINVAL if it
 * has an id where none is allowed or lacks one (the plugin must not see
 * it), else 0.
 */
static int check_placement(const struct cfg *cfg, const struct cfg_section *sec,
			   const struct ql_section_type *t, struct diag *dg)
{
	if (sec->id && !(t->flags & QL_SECTION_MULTI))
		return dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
				"[%s] takes no id, expected [%s]", t->name, t->name);
	if (!sec->id && !(t->flags & QL_SECTION_SINGLE))
		return dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
				"[%s] needs an id, expected [%s.ID]", t->name, t->name);
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

/*
 * Map every section to its type, check its keys (into checks[i]) and
 * collect the emit steps.  Returns 0, -EINVAL or -ENOMEM.
 */
static int plan(const struct cfg *cfg, const struct registry *reg,
		struct host_state *st, struct sec_check *checks,
		struct step *steps, size_t *nsteps,
		const struct cfg_section **qemu_sec)
{
	struct diag *dg = st->dg;
	size_t n = 0;

	*qemu_sec = NULL;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		const struct reg_entry *e = reg_find(reg, sec->type);
		const struct ql_section_type *t;
		struct ql_ctx ctx = { .st = st, .sec = sec, .check = &checks[i] };

		if (!e) {
			const char *hint = val_suggest(sec->type, reg->names);
			const struct reg_entry *h = hint ? reg_find(reg, hint) : NULL;
			unsigned flags = h ? reg_type(h)->flags : 0;

			/* the form the suggested type takes, the user's if both */
			if (hint)
				dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
					 "unknown section type '%s', did you mean [%s%s]?", sec->type, hint,
					 !(flags & QL_SECTION_SINGLE) || (sec->id && (flags & QL_SECTION_MULTI)) ?
					 ".ID" : "");
			else
				dg_error(dg, cfg_where(cfg, sec->file), sec->line, sec->name, NULL,
					 "unknown section type '%s': no plugin handles it (see 'qlaunch plugins')",
					 sec->type);
			continue;
		}
		if (e->plugin && !e->plugin->loaded) {   /* plg_load_used was not called */
			dg_error(dg, e->plugin->path, 0, NULL, NULL,
				 "plugin for [%s] is known from the index but not loaded; please report this",
				 sec->type);
			continue;
		}
		t = reg_type(e);
		if (check_placement(cfg, sec, t, dg) < 0)
			continue;
		ctx.type = t;
		if (sec_check(&ctx) < 0)
			return -ENOMEM;
		steps[n++] = (struct step){ t->order, e->plugin ? e->plugin->desc.name : "",
					    i, sec, t, t->emit };
		if (!e->plugin && t == &bld_core_types[0]) {    /* [qemu] */
			*qemu_sec = sec;
			steps[n++] = (struct step){ QL_ORDER_UUID, "", i, sec, t, qemu_emit_uuid };
			steps[n++] = (struct step){ QL_ORDER_SWITCHES, "", i, sec, t, qemu_emit_tail };
		}
	}
	*nsteps = n;
	qsort(steps, n, sizeof(*steps), cmp_step);
	return dg_failed(dg) ? -EINVAL : 0;
}

/*
 * Can binary be executed?  access(X_OK) says yes to root for a directory
 * or a file without exec bits, so look at the file: a regular file with an
 * exec bit that access() allows.  0, or the reported -errno (-ENOENT for
 * a missing one: exit 127).
 */
static int runnable(const char *binary, struct diag *dg)
{
	struct stat st;
	int e = 0;

	if (stat(binary, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode)) {
		dg_error(dg, binary, 0, NULL, NULL,
			 "cannot execute QEMU: not a regular file, expected the QEMU binary");
		return -EACCES;
	} else if (!(st.st_mode & 0111))
		e = EACCES;
	else if (access(binary, X_OK) < 0)
		e = errno;
	if (e)
		dg_error(dg, binary, 0, NULL, NULL, "cannot execute QEMU: %s", strerror(e));
	return -e;
}

int bld_launch(struct cfg *cfg, const struct plg_set *plugins,
	       enum ql_mode mode, const char *default_binary,
	       const struct strv *fd_bindings, struct diag *dg,
	       struct launch *out)
{
	struct host_state st = { .file = cfg->path, .mode = mode, .dg = dg, .cfg = cfg };
	struct fd_table fdt = { NULL, 0 };
	struct sec_check *checks = NULL;
	const struct cfg_section *qemu_sec = NULL;
	struct step *steps = NULL;
	const char *binary = NULL;
	size_t nsteps = 0;
	int r;

	memset(out, 0, sizeof(*out));
	steps = calloc(cfg->nsections + 3, sizeof(*steps));
	checks = calloc(cfg->nsections + 1, sizeof(*checks));
	if (!steps || !checks) {
		r = -ENOMEM;
		goto out;
	}
	if (fdt_build(cfg, fd_bindings, &st.fdp, dg, &fdt) == -ENOMEM ||
	    fdt_expand(cfg, &fdt, dg) == -ENOMEM) {
		r = -ENOMEM;
		goto out;
	}
	st.fdt = &fdt;
	r = plan(cfg, &plugins->reg, &st, checks, steps, &nsteps, &qemu_sec);
	if (r == -ENOMEM)
		goto out;
	if (qemu_binary(cfg, qemu_sec, default_binary, dg, &binary) < 0)
		r = -EINVAL;
	out->parts = calloc(nsteps + 1, sizeof(*out->parts));
	if (!out->parts) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nsteps; i++) {
		size_t start = st.argv.n;

		if (host_emit(&st, steps[i].sec, steps[i].type, &checks[steps[i].index],
			      steps[i].emit) == -ENOMEM) {
			r = -ENOMEM;
			goto out;
		}
		if (st.argv.n > start)   /* argv[0] will be the binary */
			out->parts[out->nparts++] = (struct launch_part){ steps[i].sec, start + 1,
									  st.argv.n + 1 };
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
	if (mode == QL_MODE_RUN && (r = runnable(binary, dg)) < 0)
		goto out;
	if (mode == QL_MODE_RUN && seed_make(&st.seeds, cfg->path, dg, &out->created) < 0) {
		r = -EINVAL;
		goto out;
	}
	if (mode == QL_MODE_RUN && fdp_open(&st.fdp, cfg->path, dg, &out->created) < 0) {
		r = -EINVAL;
		goto out;
	}
	r = sv_push(&out->argv, binary);
	for (size_t i = 0; i < st.argv.n && r == 0; i++)
		r = sv_push(&out->argv, st.argv.v[i]);
	if (r < 0)
		goto out;
	out->fds = st.fdp;      /* the launch owns them now, and their args */
	st.fdp = (struct fdp_table)FDP_TABLE_INIT;
	out->strings = st.strings;
	st.strings = (struct arena)ARENA_INIT;
out:
	if (r < 0) {
		fdp_undo(&st.fdp);      /* opened, but no launch: what they made goes */
		fdt_unlink(&out->created);
		launch_release(out);
	}
	host_state_release(&st);
	fdt_release(&fdt);
	for (size_t i = 0; checks && i < cfg->nsections; i++)
		sec_check_release(&checks[i]);
	free(checks);
	free(steps);
	return r;
}

void launch_release(struct launch *l)
{
	if (!l)
		return;
	sv_release(&l->argv);
	sv_release(&l->created);
	fdp_release(&l->fds);
	ar_release(&l->strings);
	free(l->parts);
	l->parts = NULL;
	l->nparts = 0;
}
