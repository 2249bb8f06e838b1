/*
 * [object.ID]: type (required), every other key passed through in file
 * order -> -object TYPE,id=ID,key=value,...
 * The properties QEMU 7.2 takes as lists of numbers and ranges, given
 * once per item, are lists: a memory backend's host-nodes (host-nodes =
 * 0 2-3 -> host-nodes=0,host-nodes=2-3), a thread-context's cpu-affinity
 * and node-affinity.  One item is written as before.
 */
#include <qlaunch/plugin.h>

static const struct ql_key object_keys[] = {
	{ .name = "type", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "an object type such as memory-backend-file" },
	{ .name = "host-nodes", .kind = QL_KEY_LIST },
	{ .name = "cpu-affinity", .kind = QL_KEY_LIST },
	{ .name = "node-affinity", .kind = QL_KEY_LIST },
	{ .name = NULL },
};

static const struct ql_section_type object_sections[] = {
	{ .name = "object", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_OBJECTS, .option = "-object", .id_key = "id",
	  QL_KEYS(object_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "objects",
	.version = "1.0",
	.description = "user-creatable objects: memory backends, secrets, iothreads (-object)",
	.sections = object_sections,
};
