/*
 * [chardev.ID]: backend (required: socket, file, pty, null, stdio, pipe,
 * ringbuf, ...), every other key passed through in file order
 * -> -chardev BACKEND,id=ID,key=value,...  wait needs server=on, which
 * QEMU also insists on; tls-creds= must name an [object.ID].
 */
#include "idopt.h"

#include <errno.h>
#include <string.h>

static const struct idopt_ref chardev_refs[] = {
	{ "tls-creds", "object" },
	{ NULL, NULL },
};

static const char *const chardev_bools[] = {
	"server", "wait", "telnet", "tn3270", "websocket", "nodelay", "append",
	"logappend", "mux", "ipv4", "ipv6", NULL,
};

static const struct idopt chardev_opt = {
	.flag = "-chardev",
	.head_key = "backend",
	.what = "a backend such as socket, file, pty, null or stdio",
	.refs = chardev_refs,
	.bools = chardev_bools,
};

static int chardev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *wait, *server = "off";
	int r = 0;

	/* idopt_emit checks both booleans; only their combination is ours */
	api->get_string(ctx, "server", &server);
	if (api->get_string(ctx, "wait", &wait) > 0 && strcmp(server, "on") != 0 &&
	    strcmp(server, "yes") != 0 && strcmp(server, "true") != 0)
		r = api->error(ctx, "wait", "wait applies to server sockets only (QEMU refuses it), expected server = on");
	/* on to the rest, so every problem of the section is reported */
	if (idopt_emit(ctx, api, &chardev_opt) < 0)
		r = -EINVAL;
	return r;
}

static const struct ql_section_type chardev_sections[] = {
	{ "chardev", QL_SECTION_MULTI, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "chardev",
	.version = "1.0",
	.description = "character devices: sockets, files, ptys, consoles (-chardev)",
	.sections = chardev_sections,
	.order = QL_ORDER_CHARDEV,
	.emit = chardev_emit,
};
