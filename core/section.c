#include <qlconfig.h>

#include "section.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "desc.h"
#include "value.h"

/* Items of a list value are separated by blanks. */
#define LIST_SEPS " \t"

/* What a missing key should have been, in words, into sb. */
static int describe(const struct ql_key *k, struct strbuf *sb)
{
	int r;

	if (k->what)
		return sb_adds(sb, k->what);
	switch (k->kind) {
	case QL_KEY_CHOICE:
		r = sb_adds(sb, "one of: ");
		return r ? r : sb_join(sb, k->choices, SIZE_MAX, ", ");
	case QL_KEY_UINT:
		return k->max ? sb_printf(sb, "a whole number from %llu to %llu",
					  (unsigned long long)k->min, (unsigned long long)k->max)
			      : sb_printf(sb, "a whole number of at least %llu", (unsigned long long)k->min);
	case QL_KEY_SIZE:
		return sb_adds(sb, "a size such as 512M or 2G");
	case QL_KEY_BOOL:
		return sb_adds(sb, "on or off");
	case QL_KEY_REF:
		r = sb_adds(sb, "the id of a ");
		r = r ? r : host_describe_types(sb, k->ref);
		return r ? r : sb_adds(sb, " section");
	case QL_KEY_LIST:
		return sb_adds(sb, "one or more values separated by blanks");
	case QL_KEY_PATH:
		return sb_adds(sb, "a file name");
	default:
		return sb_adds(sb, "a value");
	}
}

/* The names of t's declared keys, NULL-terminated (free it), in *n. */
static const char **key_names(const struct ql_section_type *t, size_t *n)
{
	const char **names;

	*n = 0;
	for (const struct ql_key *d = t->keys; d && d->name; d++)
		(*n)++;
	names = calloc(*n + 1, sizeof(*names));
	for (size_t i = 0; names && i < *n; i++)
		names[i] = t->keys[i].name;
	return names;
}

static int unknown_key(struct ql_ctx *ctx, const struct cfg_key *k)
{
	struct strbuf list = STRBUF_INIT;
	const char *hint;
	size_t n;
	const char **names = key_names(ctx->type, &n);
	int r = -ENOMEM;

	if (!names || sb_join(&list, names, n, ", ") < 0)
		goto out;
	hint = val_suggest(k->name, names);
	if (n == 0)
		r = host_error(ctx, k->name, "unknown key, expected no keys in [%s]", ctx->type->name);
	else if (hint)
		r = host_error(ctx, k->name, "unknown key (did you mean '%s'?), expected one of: %s",
			       hint, list.buf);
	else
		r = host_error(ctx, k->name, "unknown key, expected one of: %s", list.buf);
out:
	free(names);
	sb_release(&list);
	return r;
}

/*
 * A file QEMU will open must be there when it starts.  An fd set
 * (/dev/fdset/N, from ${fdset:NAME}) is the fd's business.  1, or the
 * reported error.
 */
static int check_exists(struct ql_ctx *ctx, const struct cfg_key *k)
{
	struct stat st;

	if (strncmp(k->value, "/dev/fdset/", 11) == 0 || stat(k->value, &st) == 0)
		return 1;
	if (errno == ENOENT)
		return host_error(ctx, k->name, "%s does not exist, expected an existing file "
				  "(QEMU opens it when it starts)", k->value);
	return host_error(ctx, k->name, "cannot use %s: %s, expected a file QEMU can open",
			  k->value, strerror(errno));
}

/* Check the value of k against its declaration d; 1 valid, else the
 * reported error (-EINVAL) or -ENOMEM. */
static int check_value(struct ql_ctx *ctx, const struct ql_key *d, const struct cfg_key *k)
{
	const struct ql_host_api *api = &host_api;
	uint64_t u;
	size_t i;
	int b;

	switch (d->kind) {
	case QL_KEY_UINT:
		if (d->max)
			return api->get_uint(ctx, k->name, d->min, d->max, &u);
		if (val_uint(k->value, &u) < 0 || u < d->min)
			return host_error(ctx, k->name, "invalid value '%s', expected a whole number of at least %llu",
					  k->value, (unsigned long long)d->min);
		return 1;
	case QL_KEY_SIZE:
		return api->get_size(ctx, k->name, d->unit ? d->unit : 1, &u);
	case QL_KEY_BOOL:
		return api->get_bool(ctx, k->name, &b);
	case QL_KEY_CHOICE:
		return api->get_enum(ctx, k->name, d->choices, &i);
	case QL_KEY_REF:
		return api->require_id(ctx, k->name, d->ref, k->value) < 0 ? -ENOMEM : 1;
	case QL_KEY_LIST:
		if (!k->value[strspn(k->value, LIST_SEPS)])
			return host_error(ctx, k->name, "empty list, expected one or more values separated by blanks");
		return 1;
	case QL_KEY_PATH:
		if (!*k->value)
			return host_error(ctx, k->name, "empty path, expected a file name");
		if ((d->flags & QL_KEY_EXISTS) && ctx->st->mode != QL_MODE_PRINT)
			return check_exists(ctx, k);
		return 1;
	default:
		return 1;
	}
}

int sec_check(struct ql_ctx *ctx)
{
	const struct cfg_section *sec = ctx->sec;
	const struct ql_section_type *t = ctx->type;
	struct sec_check *c = ctx->check;
	struct strbuf what = STRBUF_INIT;
	int r = 0;

	c->failed = 0;
	c->bad = calloc(sec->nkeys ? sec->nkeys : 1, 1);
	if (!c->bad)
		return -ENOMEM;
	for (size_t i = 0; i < sec->nkeys && r != -ENOMEM; i++) {
		const struct cfg_key *k = &sec->keys[i];
		const struct ql_key *d = dsc_key(t, k->name);

		/* an argument of its own is not escaped: keep QEMU's help out */
		if (d && (d->flags & QL_KEY_ARG) && !(d->flags & QL_KEY_RAW) && d->kind != QL_KEY_BOOL &&
		    (strcmp(k->value, "help") == 0 || strcmp(k->value, "?") == 0))
			r = host_error(ctx, k->name, "'%s' would make QEMU print help and exit, expected a value",
				       k->value);
		else if (d)
			r = check_value(ctx, d, k);
		else if (t->id_key && sec->id && strcmp(k->name, t->id_key) == 0)
			r = host_error(ctx, k->name, "the id comes from the section name [%s.%s], expected no %s key",
				       t->name, sec->id, t->id_key);
		else if (t->id_key && strcmp(k->name, t->id_key) == 0)
			r = host_error(ctx, k->name, "an id comes from a section name [%s.ID], expected no %s key",
				       t->name, t->id_key);
		else if (!(t->flags & QL_SECTION_PASS))
			r = unknown_key(ctx, k);
		else
			r = 1;
		c->bad[i] = r < 0;
	}
	for (const struct ql_key *d = t->keys; d && d->name && r != -ENOMEM; d++) {
		if (!(d->flags & QL_KEY_REQUIRED) || cfg_key_find(sec, d->name))
			continue;
		sb_reset(&what);
		r = describe(d, &what);
		if (r == 0)
			r = host_error(ctx, NULL, "missing key '%s', expected %s", d->name, what.buf);
	}
	sb_release(&what);
	return r == -ENOMEM ? r : 0;
}

void sec_check_release(struct sec_check *c)
{
	if (!c)
		return;
	free(c->bad);
	c->bad = NULL;
}

/* The K, M, G or T that means unit bytes, or 0. */
static char suffix_of(uint64_t unit)
{
	static const char suffixes[] = "KMGT";

	for (size_t i = 0; i < 4; i++)
		if (unit == 1ull << (10 * (i + 1)))
			return suffixes[i];
	return 0;
}

/* The value of a declared key as QEMU wants it: on/off for a boolean, a
 * bare size with its unit's suffix, unless QL_KEY_RAW; NULL if out of
 * memory. */
static const char *normalized(struct ql_ctx *ctx, const struct ql_key *d, const char *v)
{
	char sfx = suffix_of(d->unit);
	int on;

	if (d->flags & QL_KEY_RAW)
		return v;
	if (d->kind == QL_KEY_BOOL && val_bool(v, &on) == 0)
		return on ? "on" : "off";
	if (d->kind == QL_KEY_SIZE && sfx && *v && !v[strspn(v, "0123456789")])
		return host_api.format(ctx, "%s%c", v, sfx);
	return v;
}

/* One declared key (not the head, not an argument) as QEMU wants it. */
static int put_key(struct ql_ctx *ctx, const struct ql_key *d, const struct cfg_key *k)
{
	const char *name = d->qemu ? d->qemu : d->name, *v = k->value;
	int r = 0;

	if (d->kind != QL_KEY_LIST) {
		v = normalized(ctx, d, v);
		return v ? host_opt_pair_at(ctx, k->name, name, v) : -ENOMEM;
	}
	while (*v && r == 0) {
		size_t n;
		const char *item;

		v += strspn(v, LIST_SEPS);
		n = strcspn(v, LIST_SEPS);
		if (!n)
			break;
		item = host_api.format(ctx, "%.*s", (int)n, v);
		r = item ? host_opt_pair_at(ctx, k->name, name, item) : -ENOMEM;
		v += n;
	}
	return r;
}

/* An option with nothing in it: QEMU would get an empty argument. */
static int empty_section(struct ql_ctx *ctx)
{
	struct strbuf list = STRBUF_INIT;
	size_t n;
	const char **names = key_names(ctx->type, &n);
	int r = -ENOMEM;

	if (names && sb_join(&list, names, n, ", ") == 0)
		r = n ? host_error(ctx, NULL, "empty section, expected one of: %s", list.buf)
		      : host_error(ctx, NULL, "empty section, expected keys for %s", ctx->type->option);
	free(names);
	sb_release(&list);
	return r;
}

/* The option: head, early keys, id, the rest in file order. */
static int emit_option(struct ql_ctx *ctx)
{
	const struct ql_host_api *api = &host_api;
	const struct cfg_section *sec = ctx->sec;
	const struct ql_section_type *t = ctx->type;
	int r = api->opt_begin(ctx, t->option);

	for (const struct ql_key *d = t->keys; d && d->name && r == 0; d++) {
		const struct cfg_key *k = cfg_key_find(sec, d->name);

		const char *v = k ? normalized(ctx, d, k->value) : d->dflt;

		if ((d->flags & QL_KEY_HEAD) && (k || d->dflt))
			r = v ? api->opt_value(ctx, d->name, v) : -ENOMEM;
	}
	for (const struct ql_key *d = t->keys; d && d->name && r == 0; d++) {
		const struct cfg_key *k = cfg_key_find(sec, d->name);

		if (!(d->flags & QL_KEY_EARLY) || (d->flags & QL_KEY_HOOK))
			continue;
		if (k)
			r = put_key(ctx, d, k);
		else if (d->dflt)
			r = host_opt_pair_at(ctx, d->name, d->qemu ? d->qemu : d->name, d->dflt);
	}
	if (r == 0 && t->id_key && sec->id)
		r = api->opt_pair(ctx, t->id_key, sec->id);
	for (size_t i = 0; i < sec->nkeys && r == 0; i++) {
		const struct cfg_key *k = &sec->keys[i];
		const struct ql_key *d = dsc_key(t, k->name);

		if (!d)
			r = api->opt_pair(ctx, k->name, k->value);
		else if (!(d->flags & (QL_KEY_HEAD | QL_KEY_EARLY | QL_KEY_ARG | QL_KEY_HOOK)))
			r = put_key(ctx, d, k);
	}
	if (r == 0 && !ctx->opt.body.len)
		return empty_section(ctx);
	return r ? r : api->opt_end(ctx);
}

int sec_emit(struct ql_ctx *ctx)
{
	const struct ql_host_api *api = &host_api;
	const struct ql_section_type *t = ctx->type;
	int r = 0;

	if (!t || (ctx->check && ctx->check->failed))
		return -EINVAL;
	if (t->option)
		r = emit_option(ctx);
	for (const struct ql_key *d = t->keys; d && d->name && r == 0; d++) {
		const struct cfg_key *k = cfg_key_find(ctx->sec, d->name);
		int on = 0;

		if (!(d->flags & QL_KEY_ARG) || (d->flags & QL_KEY_HOOK) || !k)
			continue;
		if (d->kind == QL_KEY_BOOL)
			r = val_bool(k->value, &on) == 0 && on ? api->arg(ctx, d->qemu) : 0;
		else if ((r = api->arg(ctx, d->qemu)) == 0)
			r = api->arg(ctx, k->value);
	}
	return r;
}
