/*
 * [vnc]: display (required: 127.0.0.1:5, unix:/path, none), tls-creds
 * and password-secret (each an [object]), every other key passed through
 * in file order -> -vnc DISPLAY,key=value,...
 *
 * A VNC server gives whoever connects the VM's screen and keyboard.  One
 * that other hosts can reach (any address but the loopback: ":5",
 * "0.0.0.0:5", "[::]:5", "192.0.2.1:5", ...) and that asks nothing of the
 * client is refused, unless insecure = on says that is meant (insecure is
 * qlaunch's, not passed to QEMU).  Asking means password = on,
 * password-secret, sasl = on, or tls-creds of a type other than
 * tls-creds-anon.  A websocket listens on its own HOST:PORT, or (on, or a
 * bare port) on the display's host: every interface for a unix display.
 */
#include <qlaunch/plugin.h>

#include <string.h>

/* Is host (the text before a port) a loopback address? */
static int loopback(const char *host, size_t len)
{
	return (len > 4 && strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") >= len) ||
	       (len == 9 && strncmp(host, "localhost", 9) == 0) ||
	       (len == 5 && strncmp(host, "[::1]", 5) == 0);
}

/* Can other hosts reach a server on HOST:PORT (or unix:, or none)? */
static int reachable(const char *where)
{
	const char *colon = strrchr(where, ':');

	if (strcmp(where, "none") == 0 || strncmp(where, "unix:", 5) == 0)
		return 0;
	return !colon || !loopback(where, (size_t)(colon - where));
}

/* Does the section make a client authenticate? */
static int authenticates(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *v, *type;
	int on = 0;

	if ((api->get_bool(ctx, "password", &on) > 0 && on) ||
	    (api->get_bool(ctx, "sasl", &on) > 0 && on) ||
	    api->get_string(ctx, "password-secret", &v) > 0)
		return 1;
	if (api->get_string(ctx, "tls-creds", &v) <= 0)
		return 0;
	return !QL_HOST_HAS(api, peek) || api->peek(ctx, "object", v, "type", &type) <= 0 ||
	       strcmp(type, "tls-creds-anon") != 0;
}

/* Where the websocket listens is reachable from other hosts. */
static int websocket_reachable(const char *display, const char *ws)
{
	if (strcmp(ws, "off") == 0)
		return 0;
	if (strcmp(ws, "on") == 0 || !ws[strspn(ws, "0123456789")])  /* the display's host */
		return strcmp(display, "none") == 0 || strncmp(display, "unix:", 5) == 0 ||
		       reachable(display);
	return reachable(ws);
}

static int vnc_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const expected = "expected 127.0.0.1:N or unix:PATH, or password = on, "
		"password-secret, sasl = on or tls-creds (insecure = on if this is really meant)";
	const char *display, *ws;
	int insecure = 0, r = 0;

	if (api->get_string(ctx, "display", &display) <= 0)
		return api->emit_section(ctx);
	if (api->get_bool(ctx, "insecure", &insecure) > 0 && insecure)
		return api->emit_section(ctx);
	if (authenticates(ctx, api))
		return api->emit_section(ctx);
	if (reachable(display))
		r = api->error(ctx, "display", "'%s' can be reached from other hosts and asks for no "
			       "authentication, %s", display, expected);
	if (api->get_string(ctx, "websocket", &ws) > 0 && websocket_reachable(display, ws))
		r = api->error(ctx, "websocket", "'%s' can be reached from other hosts and asks for no "
			       "authentication, %s", ws, expected);
	return r < 0 ? r : api->emit_section(ctx);
}

static const struct ql_key vnc_keys[] = {
	{ .name = "display", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "where to listen, such as 127.0.0.1:5, unix:/run/vm.vnc or none" },
	{ .name = "tls-creds", .kind = QL_KEY_REF, .ref = "object" },
	{ .name = "password-secret", .kind = QL_KEY_REF, .ref = "object" },
	{ .name = "password", .kind = QL_KEY_BOOL },
	{ .name = "sasl", .kind = QL_KEY_BOOL },
	{ .name = "lossy", .kind = QL_KEY_BOOL },
	{ .name = "insecure", .kind = QL_KEY_BOOL, .flags = QL_KEY_HOOK },
	{ .name = NULL },
};

static const struct ql_section_type vnc_sections[] = {
	{ .name = "vnc", .flags = QL_SECTION_SINGLE | QL_SECTION_PASS, .order = QL_ORDER_DISPLAY,
	  .option = "-vnc", QL_KEYS(vnc_keys), .emit = vnc_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "vnc",
	.version = "1.0",
	.description = "a VNC server for the VM's display (-vnc)",
	.sections = vnc_sections,
};
