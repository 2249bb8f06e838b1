/*
 * [machine]: type (required), accel, then any other key as a machine
 * property in file order -> -machine TYPE,accel=ACCEL,key=value,...
 */
#include <qlaunch/plugin.h>

static const struct ql_key machine_keys[] = {
	{ .name = "type", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "a machine type such as q35 or pc" },
	{ .name = "accel", .kind = QL_KEY_STRING, .flags = QL_KEY_EARLY },
	{ .name = NULL },
};

static const struct ql_section_type machine_sections[] = {
	{ .name = "machine", .flags = QL_SECTION_SINGLE | QL_SECTION_PASS,
	  .order = QL_ORDER_MACHINE, .option = "-machine", QL_KEYS(machine_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "machine",
	.version = "1.0",
	.description = "machine type, accelerator and machine properties (-machine)",
	.sections = machine_sections,
};
