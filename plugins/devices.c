/*
 * [device.ID]: driver (required), every other key passed through in file
 * order -> -device DRIVER,id=ID,key=value,...  fsdev=, chardev=, memdev=
 * and iothread= must name sections of this file.
 */
#include "idopt.h"

static const struct idopt_ref device_refs[] = {
	{ "fsdev", "fsdev" },
	{ "chardev", "chardev" },
	{ "memdev", "object" },
	{ "iothread", "object" },
	{ NULL, NULL },
};

static const struct idopt device_opt = {
	.flag = "-device",
	.head_key = "driver",
	.what = "a device driver such as virtio-net-pci",
	.refs = device_refs,
};

static int device_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	return idopt_emit(ctx, api, &device_opt);
}

static const struct ql_section_type device_sections[] = {
	{ "device", QL_SECTION_MULTI, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "devices",
	.version = "1.0",
	.description = "devices with their properties (-device)",
	.sections = device_sections,
	.order = QL_ORDER_DEVICES,
	.emit = device_emit,
};
