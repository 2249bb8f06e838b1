/*
 * [machine]: type (required), accel, then any other key as a machine
 * property in file order -> -machine TYPE,accel=ACCEL,key=value,...
 * An accel that is only the plugin set's default yields to [accel.NAME]
 * sections in the file (QEMU takes one or the other).
 */
#include <qlaunch/plugin.h>

#include <errno.h>

static int machine_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const skip[] = { "type", "accel", NULL };
	const char *type, *v;
	int r;

	if (!QL_HOST_HAS(api, peek) || api->peek(ctx, "machine", NULL, "accel", &v) != 2 ||
	    api->peek(ctx, "accel", NULL, NULL, NULL) != 1)
		return api->emit_section(ctx);
	if (api->get_string(ctx, "type", &type) <= 0)
		return -EINVAL;  /* reported by the core */
	if ((r = api->opt_begin(ctx, "-machine")) < 0 || (r = api->opt_value(ctx, "type", type)) < 0 ||
	    (r = api->opt_rest(ctx, skip)) < 0)
		return r;
	return api->opt_end(ctx);
}

static const struct ql_key machine_keys[] = {
	{ .name = "type", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "a machine type such as q35 or pc" },
	{ .name = "accel", .kind = QL_KEY_STRING, .flags = QL_KEY_EARLY },
	{ .name = NULL },
};

static const struct ql_section_type machine_sections[] = {
	{ .name = "machine", .flags = QL_SECTION_SINGLE | QL_SECTION_PASS,
	  .order = QL_ORDER_MACHINE, .option = "-machine", QL_KEYS(machine_keys),
	  .emit = machine_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "machine",
	.version = "1.0",
	.description = "machine type, accelerator and machine properties (-machine)",
	.sections = machine_sections,
};
