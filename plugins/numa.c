/*
 * [numa.NAME]: type = node (the default) | dist | cpu | hmat-lb |
 * hmat-cache, then its keys in file order -> -numa TYPE,key=value,...
 * NAME only tells the sections apart.  memdev names an [object]; cpus is
 * a list, as a node may own several ranges (cpus = 0-3 8-11 ->
 * cpus=0-3,cpus=8-11).
 */
#include <qlaunch/plugin.h>

static const char *const numa_types[] = { "node", "dist", "cpu", "hmat-lb", "hmat-cache", NULL };

static const struct ql_key numa_keys[] = {
	{ .name = "type", .kind = QL_KEY_CHOICE, .flags = QL_KEY_HEAD, .choices = numa_types,
	  .dflt = "node" },
	{ .name = "memdev", .kind = QL_KEY_REF, .ref = "object" },
	{ .name = "cpus", .kind = QL_KEY_LIST },
	{ .name = NULL },
};

static const struct ql_section_type numa_sections[] = {
	{ .name = "numa", .flags = QL_SECTION_MULTI | QL_SECTION_PASS, .order = QL_ORDER_NUMA,
	  .option = "-numa", QL_KEYS(numa_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "numa",
	.version = "1.0",
	.description = "NUMA nodes, distances and CPU placement (-numa)",
	.sections = numa_sections,
};
