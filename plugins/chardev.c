/*
 * [chardev.ID]: backend (required: socket, file, pty, null, stdio, pipe,
 * ringbuf, ...), every other key passed through in file order
 * -> -chardev BACKEND,id=ID,key=value,...  wait needs server=on, which
 * QEMU also insists on; tls-creds= must name an [object.ID].
 */
#include <qlaunch/plugin.h>

#include <errno.h>

static int chardev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *wait;
	int server = 0, r = 0;

	/* the core checked both booleans; only their combination is ours */
	if (api->get_bool(ctx, "server", &server) < 0)
		return -EINVAL;         /* the core said what is wrong */
	if (api->get_string(ctx, "wait", &wait) > 0 && !server)
		r = api->error(ctx, "wait", "wait applies to server sockets only (QEMU refuses it), expected server = on");
	return r < 0 ? r : api->emit_section(ctx);
}

#define BOOL(n) { .name = n, .kind = QL_KEY_BOOL }

static const struct ql_key chardev_keys[] = {
	{ .name = "backend", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "a backend such as socket, file, pty, null or stdio" },
	{ .name = "tls-creds", .kind = QL_KEY_REF, .ref = "object" },
	BOOL("server"), BOOL("wait"), BOOL("telnet"), BOOL("tn3270"),
	BOOL("websocket"), BOOL("nodelay"), BOOL("append"), BOOL("logappend"),
	BOOL("mux"), BOOL("ipv4"), BOOL("ipv6"),
	{ .name = NULL },
};

static const struct ql_section_type chardev_sections[] = {
	{ .name = "chardev", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_CHARDEV, .option = "-chardev", .id_key = "id",
	  QL_KEYS(chardev_keys), .emit = chardev_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "chardev",
	.version = "1.0",
	.description = "character devices: sockets, files, ptys, consoles (-chardev)",
	.sections = chardev_sections,
};
