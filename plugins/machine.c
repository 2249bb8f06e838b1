/*
 * [machine]: type (required), accel, then any other key as a machine
 * property in file order -> -machine TYPE,accel=ACCEL,key=value,...
 */
#include <qlaunch/plugin.h>

static int machine_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const skip[] = { "type", "accel", NULL };
	const char *type, *accel;
	int r;

	if (api->get_string(ctx, "type", &type) <= 0)
		return api->error(ctx, NULL, "missing key 'type', expected a machine type such as q35 or pc");
	if ((r = api->opt_begin(ctx, "-machine")) < 0 ||
	    (r = api->opt_value(ctx, "type", type)) < 0)
		return r;
	if (api->get_string(ctx, "accel", &accel) > 0 &&
	    (r = api->opt_pair(ctx, "accel", accel)) < 0)
		return r;
	if ((r = api->opt_rest(ctx, skip)) < 0)
		return r;
	return api->opt_end(ctx);
}

static const struct ql_section_type machine_sections[] = {
	{ "machine", QL_SECTION_SINGLE, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "machine",
	.version = "1.0",
	.description = "machine type, accelerator and machine properties (-machine)",
	.sections = machine_sections,
	.order = QL_ORDER_MACHINE,
	.emit = machine_emit,
};
