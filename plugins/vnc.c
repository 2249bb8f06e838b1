/*
 * [vnc]: display (required: 127.0.0.1:5, unix:/path, none), tls-creds
 * (an [object]), every other key passed through in file order
 * -> -vnc DISPLAY,key=value,...
 *
 * A VNC server on every network interface (":5", "0:5", "0.0.0.0:5", "[::]:5")
 * without password = on, sasl = on or tls-creds gives anyone who reaches
 * the host the VM's screen and keyboard: refused unless insecure = on
 * says that is meant (insecure is qlaunch's, not passed to QEMU).  The
 * same holds for a websocket = HOST:PORT.
 */
#include <qlaunch/plugin.h>

#include <string.h>

/* Does display listen on every interface: no host, 0.0.0.0 or ::? */
static int on_every_interface(const char *display)
{
	const char *colon = strrchr(display, ':');
	size_t host;

	if (strcmp(display, "none") == 0 || strncmp(display, "unix:", 5) == 0 || !colon)
		return 0;
	host = (size_t)(colon - display);
	return host == 0 || (host == 1 && display[0] == '0') ||
	       (host == 7 && strncmp(display, "0.0.0.0", 7) == 0) ||
	       (host == 4 && strncmp(display, "[::]", 4) == 0) ||
	       (host == 2 && strncmp(display, "::", 2) == 0);
}

static int vnc_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *display, *v;
	int on = 0, allowed = 0;   /* protected, or insecure = on */

	if (api->get_string(ctx, "display", &display) <= 0)
		return api->emit_section(ctx);
	api->get_bool(ctx, "insecure", &allowed);
	if (api->get_bool(ctx, "password", &on) > 0 && on)
		allowed = 1;
	if (api->get_bool(ctx, "sasl", &on) > 0 && on)
		allowed = 1;
	if (api->get_string(ctx, "tls-creds", &v) > 0)
		allowed = 1;
	if (!allowed && on_every_interface(display))
		return api->error(ctx, "display", "'%s' listens on every network interface without "
				  "authentication, expected 127.0.0.1:N or unix:PATH, or password = on, "
				  "sasl = on or tls-creds (insecure = on if this is really meant)", display);
	/* websocket = HOST:PORT listens where it says, on or a port where display does */
	if (!allowed && api->get_string(ctx, "websocket", &v) > 0 && strchr(v, ':') && on_every_interface(v))
		return api->error(ctx, "websocket", "'%s' listens on every network interface without "
				  "authentication, expected 127.0.0.1:PORT, or password = on, sasl = on or "
				  "tls-creds (insecure = on if this is really meant)", v);
	return api->emit_section(ctx);
}

static const struct ql_key vnc_keys[] = {
	{ .name = "display", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .what = "where to listen, such as 127.0.0.1:5, unix:/run/vm.vnc or none" },
	{ .name = "tls-creds", .kind = QL_KEY_REF, .ref = "object" },
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
