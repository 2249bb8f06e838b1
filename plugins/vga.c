/*
 * [vga]: type, one of std, cirrus, vmware, qxl, virtio, none -> -vga TYPE.
 */
#include <qlaunch/plugin.h>

static const char *const vga_types[] = {
	"std", "cirrus", "vmware", "qxl", "virtio", "none", NULL,
};

static const struct ql_key vga_keys[] = {
	{ .name = "type", .kind = QL_KEY_CHOICE, .flags = QL_KEY_REQUIRED | QL_KEY_ARG,
	  .qemu = "-vga", .choices = vga_types },
	{ .name = NULL },
};

static const struct ql_section_type vga_sections[] = {
	{ .name = "vga", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_VGA, QL_KEYS(vga_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "vga",
	.version = "1.0",
	.description = "emulated VGA card (-vga)",
	.sections = vga_sections,
};
