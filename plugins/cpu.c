/*
 * [cpu]: model (required), then any other key as a CPU property or flag in
 * file order -> -cpu MODEL,key=value,...
 */
#include <qlaunch/plugin.h>

#include <string.h>

static int cpu_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const skip[] = { "model", NULL };
	const char *model;
	int r = 0;

	if (api->get_string(ctx, "model", &model) <= 0)
		return api->error(ctx, NULL, "missing key 'model', expected a CPU model such as qemu64 or max");
	/* QEMU's CPU feature parser splits at every comma and knows no ",,"
	 * escape, so a comma in a value would start another feature. */
	for (size_t i = 0; i < api->key_count(ctx); i++)
		if (strchr(api->key_value(ctx, i), ','))
			r = api->error(ctx, api->key_name(ctx, i),
				       "'%s' contains a comma, which -cpu cannot escape, expected one value per key",
				       api->key_value(ctx, i));
	if (r < 0)
		return r;
	if ((r = api->opt_begin(ctx, "-cpu")) < 0 ||
	    (r = api->opt_value(ctx, "model", model)) < 0 ||
	    (r = api->opt_rest(ctx, skip)) < 0)
		return r;
	return api->opt_end(ctx);
}

static const struct ql_section_type cpu_sections[] = {
	{ "cpu", QL_SECTION_SINGLE, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "cpu",
	.version = "1.0",
	.description = "CPU model and CPU properties (-cpu)",
	.sections = cpu_sections,
	.order = QL_ORDER_CPU,
	.emit = cpu_emit,
};
