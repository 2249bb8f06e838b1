/*
 * netdev: a qlaunch plugin built out of tree, against the installed SDK.
 *
 * [netdev.ID]: type (required: tap, user, socket, bridge, ...) and any
 * other key, passed through in file order
 *   -> -netdev TYPE,id=ID,key=value,...
 * The id comes from the section name, so an id key is refused.  Values
 * arrive with ${fd:NAME} already replaced by the core, so
 *   [netdev.net0]
 *   type = tap
 *   fd = ${fd:tap0}
 * becomes -netdev tap,id=net0,fd=3 when [fd.tap0] is the first fd.
 */
#include <qlaunch/plugin.h>

#include <errno.h>

#if QL_ABI_MAJOR != 1
#error "netdev is written for qlaunch plugin ABI 1"
#endif

/*
 * Where -netdev goes in QEMU's argv: after -smp (QL_ORDER_SMP, 60) and
 * before -device (QL_ORDER_DEVICES, 70), so a NIC's netdev= names a backend
 * defined before it.
 */
#define NETDEV_ORDER 65

_Static_assert(QL_ORDER_SMP < NETDEV_ORDER && NETDEV_ORDER < QL_ORDER_DEVICES,
	       "netdev must come between smp and devices");

/* A QEMU netdev type name: a lower-case letter, then letters, digits and
 * '-' (user, tap, vhost-user, ...).  QEMU checks the name itself; this only
 * keeps obvious typos such as "tap,fd=3" out of the option string. */
static int valid_type(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return 0;
	return 1;
}

static int netdev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const skip[] = { "type", NULL };
	const char *type = NULL, *id = NULL;
	int r = 0, got;

	/* Report every problem of the section before giving up. */
	got = api->get_string(ctx, "type", &type);
	if (got == 0)
		r = api->error(ctx, NULL,
			       "missing key 'type', expected a netdev type such as tap, user, socket or bridge");
	else if (got < 0)
		r = got;
	else if (!valid_type(type))
		r = api->error(ctx, "type",
			       "invalid netdev type '%s', expected a name such as tap, user, socket or bridge",
			       type);
	if (api->get_string(ctx, "id", &id) > 0)
		r = api->error(ctx, "id",
			       "the id comes from the section name [%s.%s], expected no id key",
			       api->section_type(ctx), api->section_id(ctx));
	if (r < 0)
		return r;

	if ((r = api->opt_begin(ctx, "-netdev")) < 0 ||
	    (r = api->opt_value(ctx, "type", type)) < 0 ||
	    (r = api->opt_pair(ctx, "id", api->section_id(ctx))) < 0 ||
	    (r = api->opt_rest(ctx, skip)) < 0)
		return r;
	return api->opt_end(ctx);
}

/* keys = NULL: any key is accepted and passed through to QEMU, which knows
 * the options of each netdev type. */
static const struct ql_section_type netdev_sections[] = {
	{ "netdev", QL_SECTION_MULTI, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "netdev",
	.version = "1.0",
	.description = "network backends (-netdev)",
	.sections = netdev_sections,
	.order = NETDEV_ORDER,
	.emit = netdev_emit,
};
