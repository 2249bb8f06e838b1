/*
 * [kernel]: path, initrd, append, dtb -> -kernel P -initrd I -append TEXT
 * -dtb D.  These are raw arguments: QEMU does not parse them as options,
 * so nothing is escaped.  initrd, append and dtb need path (QEMU refuses
 * them without -kernel).
 */
#include <qlaunch/plugin.h>

static int kernel_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const keys[] = { "path", "initrd", "append", "dtb" };
	static const char *const flags[] = { "-kernel", "-initrd", "-append", "-dtb" };
	const char *v[4] = { NULL, NULL, NULL, NULL };
	int r = 0;

	for (size_t i = 0; i < 4; i++)
		api->get_string(ctx, keys[i], &v[i]);
	if (!v[0]) {
		for (size_t i = 1; i < 4; i++)
			if (v[i])
				r = api->error(ctx, keys[i], "needs path (QEMU refuses %s without -kernel), expected path too",
					       flags[i]);
		return r ? r : api->error(ctx, NULL, "missing key 'path', expected the kernel image to boot");
	}
	for (size_t i = 0; i < 4; i++)
		if (i != 2 && v[i] && !*v[i])
			r = api->error(ctx, keys[i], "empty path, expected a file name");
	if (r < 0)
		return r;
	for (size_t i = 0; i < 4; i++) {
		if (!v[i])
			continue;
		if ((r = api->arg(ctx, flags[i])) < 0 || (r = api->arg(ctx, v[i])) < 0)
			return r;
	}
	return 0;
}

static const char *const kernel_keys[] = { "path", "initrd", "append", "dtb", NULL };

static const struct ql_section_type kernel_sections[] = {
	{ "kernel", QL_SECTION_SINGLE, kernel_keys },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "kernel",
	.version = "1.0",
	.description = "direct kernel boot: kernel, initrd, command line, device tree",
	.sections = kernel_sections,
	.order = QL_ORDER_KERNEL,
	.emit = kernel_emit,
};
