/*
 * [device.ID]: driver (required), every other key passed through in file
 * order -> -device DRIVER,id=ID,key=value,...  fsdev=, chardev=, memdev=,
 * iothread=, drive= (a [blockdev] node, a [drive] or a [disk]) and netdev=
 * must name sections of this file.
 */
#include <qlaunch/plugin.h>

static const struct ql_key device_keys[] = {
	{ .name = "driver", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "a device driver such as virtio-net-pci" },
	{ .name = "fsdev", .kind = QL_KEY_REF, .ref = "fsdev" },
	{ .name = "chardev", .kind = QL_KEY_REF, .ref = "chardev" },
	{ .name = "memdev", .kind = QL_KEY_REF, .ref = "object" },
	{ .name = "iothread", .kind = QL_KEY_REF, .ref = "object" },
	{ .name = "drive", .kind = QL_KEY_REF, .ref = "blockdev drive disk" },
	{ .name = "netdev", .kind = QL_KEY_REF, .ref = "netdev" },
	{ .name = NULL },
};

static const struct ql_section_type device_sections[] = {
	{ .name = "device", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_DEVICES, .option = "-device", .id_key = "id",
	  QL_KEYS(device_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "devices",
	.version = "1.0",
	.description = "devices with their properties (-device)",
	.sections = device_sections,
};
