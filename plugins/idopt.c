#include "idopt.h"

#include <errno.h>
#include <string.h>

static int listed(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(key, *list) == 0)
			return 1;
	return 0;
}

int idopt_emit(struct ql_ctx *ctx, const struct ql_host_api *api,
	       const struct idopt *d)
{
	const char *head = d->head_default, *value;
	size_t n = api->key_count(ctx);
	int r = 0, on;

	api->get_string(ctx, d->head_key, &head);
	if (!head)
		r = api->error(ctx, NULL, "missing key '%s', expected %s", d->head_key, d->what);
	if (api->get_string(ctx, "id", &value) > 0)
		r = api->error(ctx, "id", "the id comes from the section name [%s.%s], expected no id key",
			       api->section_type(ctx), api->section_id(ctx));
	for (const char *const *b = d->bools; b && *b; b++)
		if (api->get_bool(ctx, *b, &on) < 0)
			r = -EINVAL;
	for (const struct idopt_ref *ref = d->refs; ref && ref->key; ref++)
		if (api->get_string(ctx, ref->key, &value) > 0 &&
		    api->require_id(ctx, ref->key, ref->type, value) < 0)
			r = -EINVAL;
	if (r < 0)
		return r;
	if ((r = api->opt_begin(ctx, d->flag)) < 0 ||
	    (r = api->opt_value(ctx, d->head_key, head)) < 0 ||
	    (r = api->opt_pair(ctx, "id", api->section_id(ctx))) < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *key = api->key_name(ctx, i);

		value = api->key_value(ctx, i);
		if (strcmp(key, d->head_key) == 0)
			continue;
		if (listed(key, d->bools)) {
			api->get_bool(ctx, key, &on);
			value = on ? "on" : "off";
		}
		r = api->opt_pair(ctx, key, value);
	}
	return r < 0 ? r : api->opt_end(ctx);
}
