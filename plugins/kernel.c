/*
 * [kernel]: path, initrd, append, dtb -> -kernel P -initrd I -append TEXT
 * -dtb D.  These are raw arguments: QEMU does not parse them as options,
 * so nothing is escaped.  initrd, append and dtb need path (QEMU refuses
 * them without -kernel).
 */
#include <qlaunch/plugin.h>

static const struct ql_key kernel_keys[] = {
	{ .name = "path", .kind = QL_KEY_PATH, .flags = QL_KEY_ARG | QL_KEY_EXISTS, .qemu = "-kernel" },
	{ .name = "initrd", .kind = QL_KEY_PATH, .flags = QL_KEY_ARG | QL_KEY_EXISTS, .qemu = "-initrd" },
	{ .name = "append", .kind = QL_KEY_STRING, .flags = QL_KEY_ARG, .qemu = "-append" },
	{ .name = "dtb", .kind = QL_KEY_PATH, .flags = QL_KEY_ARG | QL_KEY_EXISTS, .qemu = "-dtb" },
	{ .name = NULL },
};

static int kernel_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *v;
	int r = 0;

	if (api->get_string(ctx, "path", &v) != 0)
		return api->emit_section(ctx);
	for (const struct ql_key *k = kernel_keys + 1; k->name; k++)
		if (api->get_string(ctx, k->name, &v) != 0)
			r = api->error(ctx, k->name, "needs path (QEMU refuses %s without -kernel), expected path too",
				       k->qemu);
	return r ? r : api->error(ctx, NULL, "missing key 'path', expected the kernel image to boot");
}

static const struct ql_section_type kernel_sections[] = {
	{ .name = "kernel", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_KERNEL,
	  QL_KEYS(kernel_keys), .emit = kernel_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "kernel",
	.version = "1.0",
	.description = "direct kernel boot: kernel, initrd, command line, device tree",
	.sections = kernel_sections,
};
