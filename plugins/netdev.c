/*
 * [netdev.ID]: type (required), hostfwd, guestfwd and dnssearch as lists
 * (user networking takes each once per item), every other key passed
 * through in file order -> -netdev TYPE,id=ID,key=value,...
 * An fd comes through ${fd:NAME} (fd = ${fd:tap0}).
 */
#include <qlaunch/plugin.h>

#include "net.h"

static const struct ql_key netdev_keys[] = {
	{ .name = "type", .kind = QL_KEY_CHOICE, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .choices = net_types },
	{ .name = "hostfwd", .kind = QL_KEY_LIST },
	{ .name = "guestfwd", .kind = QL_KEY_LIST },
	{ .name = "dnssearch", .kind = QL_KEY_LIST },
	{ .name = NULL },
};

static const struct ql_section_type netdev_sections[] = {
	{ .name = "netdev", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_NETDEV, .option = "-netdev", .id_key = "id",
	  QL_KEYS(netdev_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "netdev",
	.version = "1.0",
	.description = "network back-ends (-netdev)",
	.sections = netdev_sections,
};
