/*
 * [cpu]: model (required), then any other key as a CPU property or flag in
 * file order -> -cpu MODEL,key=value,...
 */
#include <qlaunch/plugin.h>

#include <string.h>

/* QEMU's CPU feature parser splits at every comma and knows no ",,"
 * escape, so a comma in a value would start another feature. */
static int cpu_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	int r = 0;

	for (size_t i = 0; i < api->key_count(ctx); i++)
		if (strchr(api->key_value(ctx, i), ','))
			r = api->error(ctx, api->key_name(ctx, i),
				       "'%s' contains a comma, which -cpu cannot escape, expected one value per key",
				       api->key_value(ctx, i));
	return r < 0 ? r : api->emit_section(ctx);
}

static const struct ql_key cpu_keys[] = {
	{ .name = "model", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "a CPU model such as qemu64 or max" },
	{ .name = NULL },
};

static const struct ql_section_type cpu_sections[] = {
	{ .name = "cpu", .flags = QL_SECTION_SINGLE | QL_SECTION_PASS, .order = QL_ORDER_CPU,
	  .option = "-cpu", QL_KEYS(cpu_keys), .emit = cpu_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "cpu",
	.version = "1.0",
	.description = "CPU model and CPU properties (-cpu)",
	.sections = cpu_sections,
};
