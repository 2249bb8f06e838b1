/*
 * [cpu]: model (required), then any other key as a CPU property or flag in
 * file order -> -cpu MODEL,key=value,...
 */
#include <qlaunch/plugin.h>

static int cpu_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const skip[] = { "model", NULL };
	const char *model;
	int r;

	if (api->get_string(ctx, "model", &model) <= 0)
		return api->error(ctx, NULL, "missing key 'model', expected a CPU model such as qemu64 or max");
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
