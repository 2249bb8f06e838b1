#include "idopt.h"

int idopt_emit(struct ql_ctx *ctx, const struct ql_host_api *api,
	       const struct idopt *d)
{
	const char *skip[] = { d->head_key, NULL };
	const char *head = d->head_default, *value;
	int r = 0;

	api->get_string(ctx, d->head_key, &head);
	if (!head)
		return api->error(ctx, NULL, "missing key '%s', expected %s", d->head_key, d->what);
	for (const struct idopt_ref *ref = d->refs; ref && ref->key; ref++)
		if (api->get_string(ctx, ref->key, &value) > 0 &&
		    (r = api->require_id(ctx, ref->key, ref->type, value)) < 0)
			return r;
	if ((r = api->opt_begin(ctx, d->flag)) < 0 ||
	    (r = api->opt_value(ctx, d->head_key, head)) < 0 ||
	    (r = api->opt_pair(ctx, "id", api->section_id(ctx))) < 0 ||
	    (r = api->opt_rest(ctx, skip)) < 0)
		return r;
	return api->opt_end(ctx);
}
