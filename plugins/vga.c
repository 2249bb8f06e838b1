/*
 * [vga]: type, one of std, cirrus, vmware, qxl, virtio, none -> -vga TYPE.
 */
#include <qlaunch/plugin.h>

static int vga_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const types[] = {
		"std", "cirrus", "vmware", "qxl", "virtio", "none", NULL,
	};
	size_t i;
	int r = api->get_enum(ctx, "type", types, &i);

	if (r < 0)
		return r;
	if (r == 0)
		return api->error(ctx, NULL, "missing key 'type', expected one of: std, cirrus, vmware, qxl, virtio, none");
	if ((r = api->arg(ctx, "-vga")) < 0)
		return r;
	return api->arg(ctx, types[i]);
}

static const char *const vga_keys[] = { "type", NULL };

static const struct ql_section_type vga_sections[] = {
	{ "vga", QL_SECTION_SINGLE, vga_keys },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "vga",
	.version = "1.0",
	.description = "emulated VGA card (-vga)",
	.sections = vga_sections,
	.order = QL_ORDER_VGA,
	.emit = vga_emit,
};
