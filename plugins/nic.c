/*
 * [nic.ID]: QEMU's shorthand for a network back-end and its guest device in
 * one option.  type (required, as for [netdev]), model (default
 * virtio-net-pci), mac, hostfwd, guestfwd and dnssearch as lists, every
 * other key passed through in file order
 * -> -nic TYPE,model=MODEL,id=ID,mac=MAC,key=value,...
 */
#include <qlaunch/plugin.h>

#include <ctype.h>
#include <string.h>

#include "net.h"

/* Six two-digit hex numbers separated by ':' (QEMU's form), unicast. */
static int valid_mac(const char *s)
{
	for (int i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return 0;
		if (s[2] != (i == 5 ? '\0' : ':'))
			return 0;
	}
	return 1;
}

static int hex_digit(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

static int nic_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *mac, *model;
	int got = api->get_string(ctx, "mac", &mac);

	if (QL_HOST_HAS(api, peek) && api->peek(ctx, "netdev", api->section_id(ctx), NULL, NULL) > 0)
		return api->error(ctx, NULL, "[netdev.%s] has this id too (QEMU has one namespace for "
				  "both), expected another id", api->section_id(ctx));
	if (api->get_string(ctx, "model", &model) > 0 && !*model)
		return api->error(ctx, "model", "empty, expected a NIC model such as virtio-net-pci or e1000");
	if (got > 0 && !valid_mac(mac))
		return api->error(ctx, "mac", "invalid MAC address '%s', expected six hexadecimal pairs "
				  "such as 52:54:00:12:34:56", mac);
	if (got > 0 && (hex_digit(mac[1]) & 1))
		return api->error(ctx, "mac", "'%s' is a multicast address, expected a unicast one "
				  "(the first byte even, such as 52)", mac);
	return api->emit_section(ctx);
}

static const struct ql_key nic_keys[] = {
	{ .name = "type", .kind = QL_KEY_CHOICE, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .choices = net_types },
	{ .name = "model", .kind = QL_KEY_STRING, .flags = QL_KEY_EARLY, .dflt = "virtio-net-pci" },
	{ .name = "mac", .kind = QL_KEY_STRING },
	{ .name = "hostfwd", .kind = QL_KEY_LIST },
	{ .name = "guestfwd", .kind = QL_KEY_LIST },
	{ .name = "dnssearch", .kind = QL_KEY_LIST },
	{ .name = NULL },
};

static const struct ql_section_type nic_sections[] = {
	{ .name = "nic", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_NIC, .option = "-nic", .id_key = "id",
	  QL_KEYS(nic_keys), .emit = nic_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "nic",
	.version = "1.0",
	.description = "network back-ends with their guest device in one (-nic)",
	.sections = nic_sections,
};
