#include <qlconfig.h>

#include "host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "desc.h"
#include "section.h"
#include "strmap.h"
#include "value.h"

/* The file a key (or, if k is NULL, the section) came from: the config,
 * or a plugin set's defaults. */
static const char *where(const struct host_state *st, const struct cfg_section *sec,
			 const struct cfg_key *k)
{
	return cfg_origin(sec, k, st->file);
}

/* A NULL ctx cannot even be reported: the plugin gets -EINVAL. */
#define NEED_CTX(ctx, ret) do { if (!(ctx)) return (ret); } while (0)

static const char *h_section_type(const struct ql_ctx *ctx)
{
	NEED_CTX(ctx, NULL);
	return ctx->sec->type;
}

static const char *h_section_id(const struct ql_ctx *ctx)
{
	NEED_CTX(ctx, NULL);
	return ctx->sec->id;
}

static size_t h_key_count(const struct ql_ctx *ctx)
{
	NEED_CTX(ctx, 0);
	return ctx->sec->nkeys;
}

static const char *h_key_name(const struct ql_ctx *ctx, size_t i)
{
	NEED_CTX(ctx, NULL);
	return i < ctx->sec->nkeys ? ctx->sec->keys[i].name : NULL;
}

static const char *h_key_value(const struct ql_ctx *ctx, size_t i)
{
	NEED_CTX(ctx, NULL);
	return i < ctx->sec->nkeys ? ctx->sec->keys[i].value : NULL;
}

static enum ql_mode h_mode(const struct ql_ctx *ctx)
{
	NEED_CTX(ctx, QL_MODE_CHECK);
	return ctx->st->mode;
}

__attribute__((format(printf, 3, 0)))
static int h_verror(struct ql_ctx *ctx, const char *key, const char *fmt,
		    va_list ap)
{
	const struct cfg_key *k;
	const char *file;

	NEED_CTX(ctx, -EINVAL);
	if (!fmt)
		return host_error(ctx, key, "plugin bug: NULL format");
	k = key ? cfg_key_find(ctx->sec, key) : NULL;
	file = where(ctx->st, ctx->sec, k);
	if (ctx->check)
		ctx->check->failed = 1;
	return dg_verror(ctx->st->dg, file, k ? k->line : ctx->sec->line, ctx->sec->name,
			 key, fmt, ap);
}

int host_error(struct ql_ctx *ctx, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	h_verror(ctx, key, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

#define h_error host_error

/* The key called key, or NULL; *bad tells whether the core found it
 * invalid (and said so already). */
static const struct cfg_key *find(const struct ql_ctx *ctx, const char *key, int *bad)
{
	const struct cfg_key *k = cfg_key_find(ctx->sec, key);

	*bad = k && ctx->check && ctx->check->bad &&
	       ctx->check->bad[k - ctx->sec->keys];
	return k;
}

static int h_get_string(struct ql_ctx *ctx, const char *key, const char **out)
{
	const struct cfg_key *k;
	int bad;

	NEED_CTX(ctx, -EINVAL);
	if (!key || !out)
		return h_error(ctx, key, "plugin bug: NULL %s", key ? "out" : "key");
	k = find(ctx, key, &bad);
	if (!k)
		return 0;
	if (bad)
		return -EINVAL;
	*out = k->value;
	return 1;
}

static int h_get_uint(struct ql_ctx *ctx, const char *key, uint64_t min,
		      uint64_t max, uint64_t *out)
{
	const char *s = NULL;
	uint64_t v;
	int r;

	NEED_CTX(ctx, -EINVAL);
	if (!out)
		return h_error(ctx, key, "plugin bug: NULL out");
	if ((r = h_get_string(ctx, key, &s)) <= 0)
		return r;
	r = val_uint(s, &v);
	if (r < 0 || v < min || v > max)
		return h_error(ctx, key, "invalid value '%s', expected a whole number from %llu to %llu",
			       s, (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 1;
}

static int h_get_size(struct ql_ctx *ctx, const char *key, uint64_t unit,
		      uint64_t *out)
{
	const char *s = NULL;
	uint64_t v;
	int r;

	NEED_CTX(ctx, -EINVAL);
	if (!out)
		return h_error(ctx, key, "plugin bug: NULL out");
	if ((r = h_get_string(ctx, key, &s)) <= 0)
		return r;
	r = val_size(s, unit ? unit : 1, &v);
	if (r == -ERANGE)
		return h_error(ctx, key, "size '%s' is too large, expected less than 2^64 bytes (16777216T)", s);
	if (r < 0)
		return h_error(ctx, key, "invalid size '%s', expected a whole number with an optional K, M, G or T suffix", s);
	*out = v;
	return 1;
}

static int h_get_bool(struct ql_ctx *ctx, const char *key, int *out)
{
	const char *s = NULL;
	int r;

	NEED_CTX(ctx, -EINVAL);
	if (!out)
		return h_error(ctx, key, "plugin bug: NULL out");
	if ((r = h_get_string(ctx, key, &s)) <= 0)
		return r;
	if (val_bool(s, out) < 0)
		return h_error(ctx, key, "invalid boolean '%s', expected on, off, yes, no, true or false", s);
	return 1;
}

static int h_get_enum(struct ql_ctx *ctx, const char *key,
		      const char *const *choices, size_t *out)
{
	struct strbuf list = STRBUF_INIT;
	const char *s = NULL, *hint;
	int r;

	NEED_CTX(ctx, -EINVAL);
	if (!choices || !out)
		return h_error(ctx, key, "plugin bug: NULL %s", choices ? "out" : "choices");
	if ((r = h_get_string(ctx, key, &s)) <= 0)
		return r;
	for (size_t i = 0; choices[i]; i++) {
		if (strcmp(s, choices[i]) == 0) {
			*out = i;
			return 1;
		}
	}
	if ((r = sb_join(&list, choices, SIZE_MAX, ", ")) < 0)
		goto out;
	hint = val_suggest(s, choices);
	if (hint)
		r = h_error(ctx, key, "invalid value '%s' (did you mean '%s'?), expected one of: %s",
			    s, hint, list.buf ? list.buf : "");
	else
		r = h_error(ctx, key, "invalid value '%s', expected one of: %s",
			    s, list.buf ? list.buf : "");
out:
	sb_release(&list);
	return r;
}

static int h_arg(struct ql_ctx *ctx, const char *word)
{
	NEED_CTX(ctx, -EINVAL);
	if (!word)
		return h_error(ctx, NULL, "plugin bug: NULL argument");
	return sv_push(&ctx->st->argv, word);
}

static int h_opt_begin(struct ql_ctx *ctx, const char *flag)
{
	NEED_CTX(ctx, -EINVAL);
	if (!dsc_valid_flag(flag))
		return h_error(ctx, NULL, "plugin bug: option flag '%s', expected '-' and a name such as -device",
			       flag ? flag : "(null)");
	if (ctx->opt.flag)
		return h_error(ctx, NULL, "plugin bug: option %s begun while %s is open",
			       flag, ctx->opt.flag);
	return av_opt_begin(&ctx->opt, flag);
}

static int h_opt_value(struct ql_ctx *ctx, const char *key, const char *value)
{
	NEED_CTX(ctx, -EINVAL);
	if (!ctx->opt.flag || !value)
		return h_error(ctx, key, "plugin bug: %s", value ? "value outside an option" : "NULL value");
	/* QEMU reads a bare word after key=value as a boolean key (server
	 * means server=on), not as the implied first value */
	if (ctx->opt.body.len)
		return h_error(ctx, key, "plugin bug: a bare value after key=value in %s", ctx->opt.flag);
	if (!*value)
		return h_error(ctx, key, "empty value, expected a name for %s", ctx->opt.flag);
	if (strchr(value, '='))
		return h_error(ctx, key, "'%s' contains '=', which QEMU would read as an option, expected a plain name",
			       value);
	if (strcmp(value, "help") == 0 || strcmp(value, "?") == 0)
		return h_error(ctx, key, "'%s' would make QEMU print help and exit, expected a name for %s",
			       value, ctx->opt.flag);
	return av_opt_value(&ctx->opt, value);
}

int host_opt_pair_at(struct ql_ctx *ctx, const char *ini_key,
		     const char *key, const char *value)
{
	NEED_CTX(ctx, -EINVAL);
	if (!ctx->opt.flag || !value || !key)
		return h_error(ctx, ini_key, "plugin bug: %s", !ctx->opt.flag ? "key outside an option" :
			       !key ? "NULL key" : "NULL value");
	if (!av_valid_key(key))
		return h_error(ctx, ini_key, "invalid option key '%s', expected letters, digits, '-', '_' and '.'",
			       key);
	if (strcmp(key, "help") == 0)
		return h_error(ctx, ini_key, "would make QEMU print help and exit, expected a property name");
	if (strcmp(value, "help") == 0 || strcmp(value, "?") == 0)
		return h_error(ctx, ini_key, "'%s' would make QEMU print help and exit, expected a value", value);
	return av_opt_pair(&ctx->opt, key, value);
}

static int h_opt_pair(struct ql_ctx *ctx, const char *key, const char *value)
{
	return host_opt_pair_at(ctx, key, key, value);
}

static int h_opt_pair_as(struct ql_ctx *ctx, const char *key, const char *qemu_key,
			 const char *value)
{
	return host_opt_pair_at(ctx, key, qemu_key, value);
}

static int h_opt_rest(struct ql_ctx *ctx, const char *const *skip)
{
	int r = 0;

	NEED_CTX(ctx, -EINVAL);
	for (size_t i = 0; i < ctx->sec->nkeys && r == 0; i++) {
		const struct cfg_key *k = &ctx->sec->keys[i];

		if (!str_in_list(k->name, skip))
			r = h_opt_pair(ctx, k->name, k->value);
	}
	return r;
}

static int h_opt_end(struct ql_ctx *ctx)
{
	NEED_CTX(ctx, -EINVAL);
	if (!ctx->opt.flag)
		return h_error(ctx, NULL, "plugin bug: option ended twice");
	return av_opt_end(&ctx->opt, &ctx->st->argv);
}

__attribute__((format(printf, 2, 3)))
static const char *h_format(struct ql_ctx *ctx, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = NULL;
	va_list ap;

	NEED_CTX(ctx, NULL);
	if (!fmt) {
		h_error(ctx, NULL, "plugin bug: NULL format");
		return NULL;
	}
	va_start(ap, fmt);
	if (sb_vprintf(&sb, fmt, ap) == 0)
		s = ar_strndup(&ctx->st->strings, sb.buf ? sb.buf : "", sb.len);
	va_end(ap);
	sb_release(&sb);
	return s;
}

static int h_emit_section(struct ql_ctx *ctx)
{
	NEED_CTX(ctx, -EINVAL);
	return sec_emit(ctx);
}

static int h_fd_pass(struct ql_ctx *ctx, const char *key, ql_open_fn *open,
		     ql_undo_fn *undo, const char *arg, int *qemu_fd)
{
	const struct cfg_key *k;

	NEED_CTX(ctx, -EINVAL);
	if (!open || !arg || !qemu_fd)
		return h_error(ctx, key, "plugin bug: fd_pass without an open function, arg or qemu_fd");
	k = key ? cfg_key_find(ctx->sec, key) : NULL;
	return fdp_reserve(&ctx->st->fdp, NULL, open, undo, arg, ctx->sec, k ? k->name : NULL,
			   qemu_fd);
}

static int h_require_id(struct ql_ctx *ctx, const char *key, const char *type,
			const char *id)
{
	struct host_state *st;
	const struct cfg_key *k;
	struct host_ref *refs, *ref;

	NEED_CTX(ctx, -EINVAL);
	if (!type || !id)
		return h_error(ctx, key, "plugin bug: NULL type or id");
	if (!dsc_valid_type_list(type))
		return h_error(ctx, key, "plugin bug: section type '%s', expected a lower-case type name",
			       type);
	st = ctx->st;
	k = key ? cfg_key_find(ctx->sec, key) : NULL;
	refs = realloc(st->refs, (st->nrefs + 1) * sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	st->refs = refs;
	ref = &refs[st->nrefs];
	ref->type = strdup(type);
	ref->id = strdup(id);
	ref->sec = ctx->sec;
	ref->key = k ? k->name : NULL;
	ref->file = where(st, ctx->sec, k);
	ref->line = k ? k->line : ctx->sec->line;
	if (!ref->type || !ref->id) {
		free(ref->type);
		free(ref->id);
		return -ENOMEM;
	}
	st->nrefs++;
	return 0;
}

static long h_counter(struct ql_ctx *ctx, const char *name)
{
	struct host_state *st;
	unsigned *count;
	char *copy;
	int r;

	NEED_CTX(ctx, -EINVAL);
	if (!name)
		return h_error(ctx, NULL, "plugin bug: counter without a name");
	st = ctx->st;
	count = sm_value(&st->counters, name);
	if (count)
		return (long)(*count)++;
	copy = ar_strdup(&st->strings, name);
	if (!copy)
		return -ENOMEM;
	r = sm_insert(&st->counters, copy, 1, NULL);
	return r < 0 ? r : 0;
}

/* The section [type] or [type.id] of the config, or NULL. */
static const struct cfg_section *find_section(const struct cfg *cfg, const char *type,
					      const char *id)
{
	for (size_t i = 0; cfg && i < cfg->nsections; i++) {
		const struct cfg_section *sec = &cfg->sections[i];

		if (strcmp(sec->type, type) != 0)
			continue;
		if (id ? sec->id && strcmp(sec->id, id) == 0 : !sec->id)
			return sec;
	}
	return NULL;
}

static int h_peek(struct ql_ctx *ctx, const char *type, const char *id, const char *key,
		  const char **value)
{
	const struct cfg_section *sec;
	const struct cfg_key *k;

	NEED_CTX(ctx, -EINVAL);
	if (!type || (!key) != (!value))
		return h_error(ctx, NULL, "plugin bug: peek without a type, or with only one of key and value");
	if (!key && !id) {
		for (size_t i = 0; ctx->st->cfg && i < ctx->st->cfg->nsections; i++)
			if (strcmp(ctx->st->cfg->sections[i].type, type) == 0)
				return 1;
		return 0;
	}
	sec = find_section(ctx->st->cfg, type, id);
	if (!sec)
		return 0;
	if (!key)
		return 1;
	k = cfg_key_find(sec, key);
	if (!k)
		return 0;
	*value = k->value;
	return k->is_default ? 2 : 1;
}

static int h_seed_file(struct ql_ctx *ctx, const char *key, const char *template_path,
		       const char *path)
{
	const struct cfg_key *k;
	const char *t, *p;

	NEED_CTX(ctx, -EINVAL);
	if (!path || !*path || (template_path && !*template_path))
		return h_error(ctx, key, "plugin bug: seed_file without a path, or with an empty template");
	t = template_path ? ar_strdup(&ctx->st->strings, template_path) : NULL;
	p = ar_strdup(&ctx->st->strings, path);
	if ((template_path && !t) || !p)
		return -ENOMEM;
	k = key ? cfg_key_find(ctx->sec, key) : NULL;
	return seed_add(&ctx->st->seeds, t, p, ctx->sec, k ? k->name : NULL);
}

static const char *h_suggest(struct ql_ctx *ctx, const char *word, const char *const *candidates)
{
	NEED_CTX(ctx, NULL);
	if (!word || !candidates) {
		h_error(ctx, NULL, "plugin bug: suggest without a word or candidates");
		return NULL;
	}
	return val_suggest(word, candidates);
}

const struct ql_host_api host_api = {
	.struct_size = sizeof(struct ql_host_api),
	.abi_major = QL_ABI_MAJOR,
	.abi_minor = QL_ABI_MINOR,
	.section_type = h_section_type,
	.section_id = h_section_id,
	.key_count = h_key_count,
	.key_name = h_key_name,
	.key_value = h_key_value,
	.mode = h_mode,
	.get_string = h_get_string,
	.get_uint = h_get_uint,
	.get_size = h_get_size,
	.get_bool = h_get_bool,
	.get_enum = h_get_enum,
	.arg = h_arg,
	.opt_begin = h_opt_begin,
	.opt_value = h_opt_value,
	.opt_pair = h_opt_pair,
	.opt_rest = h_opt_rest,
	.opt_end = h_opt_end,
	.fd_pass = h_fd_pass,
	.require_id = h_require_id,
	.error = h_error,
	.verror = h_verror,
	.format = h_format,
	.opt_pair_as = h_opt_pair_as,
	.emit_section = h_emit_section,
	.counter = h_counter,
	.peek = h_peek,
	.seed_file = h_seed_file,
	.suggest = h_suggest,
};

int host_emit(struct host_state *st, const struct cfg_section *sec,
	      const struct ql_section_type *type, struct sec_check *check,
	      ql_emit_fn *emit)
{
	struct ql_ctx ctx = { .st = st, .sec = sec, .type = type, .check = check,
			      .opt = AV_OPT_INIT };
	size_t errors = st->dg->msgs.n;
	int r = emit ? emit(&ctx, &host_api) : sec_emit(&ctx);

	if (r == 0 && ctx.opt.flag)
		r = h_error(&ctx, NULL, "plugin bug: option %s was never ended", ctx.opt.flag);
	if (r < 0 && r != -ENOMEM && st->dg->msgs.n == errors && !(check && check->failed))
		r = h_error(&ctx, NULL, "plugin failed (%s) without saying why", strerror(-r));
	av_opt_release(&ctx.opt);
	return r;
}

int host_describe_types(struct strbuf *sb, const char *types)
{
	const char *s = types, *t, *next;
	size_t len, next_len;
	int r = 0;

	t = dsc_next_type(&s, &len);
	for (size_t i = 0; t && r == 0; i++, t = next, len = next_len) {
		next = dsc_next_type(&s, &next_len);
		if (i)
			r = sb_adds(sb, next ? ", " : " or ");
		if (r == 0)
			r = sb_printf(sb, "[%.*s.ID]", (int)len, t);
	}
	return r;
}

/* Report ref if none of its types has a section with its id. */
static int check_ref(struct host_state *st, const struct host_ref *ref,
		     const struct strmap *ids, const struct strv *names)
{
	struct strbuf want = STRBUF_INIT, types = STRBUF_INIT, hint = STRBUF_INIT;
	const char *near = NULL, *s = ref->type, *t;
	unsigned dummy;
	size_t len;
	int r = 0, several = strchr(ref->type, ' ') != NULL;

	while (r == 0 && (t = dsc_next_type(&s, &len))) {
		sb_reset(&want);
		if (sb_printf(&want, "%.*s.%s", (int)len, t, ref->id) < 0)
			r = -ENOMEM;
		else if (sm_get(ids, want.buf, &dummy))
			goto out;       /* found */
		/* ids are unique without case, but QEMU tells case apart */
		for (size_t j = 0; j < names->n && !near && r == 0; j++)
			if (strcasecmp(names->v[j], want.buf) == 0)
				near = names->v[j];
	}
	if (r == 0)
		r = host_describe_types(&types, ref->type);
	if (r == 0 && near)
		r = sb_printf(&hint, " (did you mean [%s]? ids are case-sensitive)", near);
	if (r < 0)
		goto out;
	/* one type: the section it would be; several: the id alone */
	dg_error(st->dg, ref->file, ref->line, ref->sec->name, ref->key,
		 several ? "refers to '%s', which is not defined%s, expected the id of a %s section"
			 : "refers to [%s], which is not defined%s, expected the id of a %s section",
		 several ? ref->id : want.buf, near ? hint.buf : "", types.buf);
out:
	sb_release(&want);
	sb_release(&types);
	sb_release(&hint);
	return r;
}

int host_check_refs(struct host_state *st, const struct cfg *cfg)
{
	struct strmap ids = STRMAP_INIT;
	struct strv names = STRV_INIT;
	struct strbuf sb = STRBUF_INIT;
	int r = 0;

	/* "type.id" with the type folded and the id as spelled */
	for (size_t i = 0; i < cfg->nsections && r >= 0; i++) {
		const struct cfg_section *sec = &cfg->sections[i];

		if (!sec->id)
			continue;
		sb_reset(&sb);
		r = sb_printf(&sb, "%s.%s", sec->type, sec->id);
		if (r == 0)
			r = sv_push(&names, sb.buf);
		if (r == 0)
			r = sm_insert(&ids, names.v[names.n - 1], 0, NULL);
	}
	sb_release(&sb);
	for (size_t i = 0; i < st->nrefs && r >= 0; i++)
		r = check_ref(st, &st->refs[i], &ids, &names);
	sm_release(&ids);
	sv_release(&names);
	return dg_failed(st->dg) ? -EINVAL : r;
}

void host_state_release(struct host_state *st)
{
	if (!st)
		return;
	sv_release(&st->argv);
	fdp_release(&st->fdp);
	for (size_t i = 0; i < st->nrefs; i++) {
		free(st->refs[i].type);
		free(st->refs[i].id);
	}
	free(st->refs);
	sm_release(&st->counters);
	seed_release(&st->seeds);
	ar_release(&st->strings);
	st->refs = NULL;
	st->nrefs = 0;
}
