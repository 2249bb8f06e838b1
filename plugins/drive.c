/*
 * [drive.ID]: QEMU's legacy drive option, every key passed through in file
 * order -> -drive id=ID,key=value,...  (the form many users know; [disk]
 * and [blockdev] are the current ones).
 */
#include <qlaunch/plugin.h>

static const struct ql_section_type drive_sections[] = {
	{ .name = "drive", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_DRIVE, .option = "-drive", .id_key = "id" },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "drive",
	.version = "1.0",
	.description = "drives in QEMU's legacy form (-drive)",
	.sections = drive_sections,
};
