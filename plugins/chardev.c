/*
 * [chardev.ID]: backend (required: socket, file, pty, null, stdio, pipe,
 * ringbuf, ...), every other key passed through in file order
 * -> -chardev BACKEND,id=ID,key=value,...  wait needs server=on, which
 * QEMU also insists on; tls-creds= must name an [object.ID].
 */
#include "idopt.h"

static const struct idopt_ref chardev_refs[] = {
	{ "tls-creds", "object" },
	{ NULL, NULL },
};

static const struct idopt chardev_opt = {
	.flag = "-chardev",
	.head_key = "backend",
	.what = "a backend such as socket, file, pty, null or stdio",
	.refs = chardev_refs,
};

static int chardev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	int server = 0, wait = 0, has_server, has_wait;

	has_server = api->get_bool(ctx, "server", &server);
	has_wait = api->get_bool(ctx, "wait", &wait);
	if (has_server < 0 || has_wait < 0)
		return has_server < 0 ? has_server : has_wait;
	if (has_wait && !server)
		return api->error(ctx, "wait", "wait applies to server sockets only (QEMU refuses it), expected server = on");
	return idopt_emit(ctx, api, &chardev_opt);
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
