/*
 * [qmp] and [qmp.NAME]: a QMP monitor each.  socket (a unix socket path,
 * at most 107 bytes) or tcp (HOST:PORT), server (default on), wait
 * (default off) -> -qmp unix:PATH,server=on,wait=off
 */
#include <qlaunch/plugin.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sun_path holds 108 bytes with the terminating NUL. */
#define UNIX_PATH_MAX_LEN 107

/* HOST:PORT, HOST letters, digits, '.', '-' (may be empty: all
 * interfaces), PORT 1-65535. */
static int valid_tcp(const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || colon[1] == '\0')
		return 0;
	for (const char *p = s; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return 0;
	for (const char *p = colon + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	port = strtol(colon + 1, &end, 10);
	return *end == '\0' && port >= 1 && port <= 65535;
}

static int qmp_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *sock = NULL, *tcp = NULL;
	char *addr = NULL;
	int server = 1, wait = 0, has_sock, has_tcp, has_wait, r;

	has_sock = api->get_string(ctx, "socket", &sock);
	has_tcp = api->get_string(ctx, "tcp", &tcp);
	if (api->get_bool(ctx, "server", &server) < 0 ||
	    (has_wait = api->get_bool(ctx, "wait", &wait)) < 0)
		return -EINVAL;
	if (has_sock && has_tcp)
		return api->error(ctx, "tcp", "a monitor has one address, expected socket or tcp, not both");
	if (!has_sock && !has_tcp)
		return api->error(ctx, NULL, "missing key 'socket', expected a unix socket path (or tcp = HOST:PORT)");
	if (has_sock && !*sock)
		return api->error(ctx, "socket", "empty path, expected a unix socket path");
	if (has_sock && strlen(sock) > UNIX_PATH_MAX_LEN)
		return api->error(ctx, "socket", "path is %zu bytes, expected at most %d (the limit of unix sockets)",
				  strlen(sock), UNIX_PATH_MAX_LEN);
	if (has_tcp && !valid_tcp(tcp))
		return api->error(ctx, "tcp", "invalid address '%s', expected HOST:PORT such as 127.0.0.1:4444", tcp);
	if (has_wait && !server)
		return api->error(ctx, "wait", "wait applies to server sockets only (QEMU refuses it), expected server = on");
	addr = malloc(strlen(has_sock ? sock : tcp) + 6);
	if (!addr)
		return -ENOMEM;
	sprintf(addr, "%s%s", has_sock ? "unix:" : "tcp:", has_sock ? sock : tcp);
	if ((r = api->opt_begin(ctx, "-qmp")) == 0 &&
	    (r = api->opt_value(ctx, has_sock ? "socket" : "tcp", addr)) == 0 &&
	    (r = api->opt_pair(ctx, "server", server ? "on" : "off")) == 0 &&
	    (!server || (r = api->opt_pair(ctx, "wait", wait ? "on" : "off")) == 0))
		r = api->opt_end(ctx);
	free(addr);
	return r;
}

static const char *const qmp_keys[] = { "socket", "tcp", "server", "wait", NULL };

static const struct ql_section_type qmp_sections[] = {
	{ "qmp", QL_SECTION_SINGLE | QL_SECTION_MULTI, qmp_keys },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "qmp",
	.version = "1.0",
	.description = "QMP monitors on unix or TCP sockets (-qmp)",
	.sections = qmp_sections,
	.order = QL_ORDER_QMP,
	.emit = qmp_emit,
};
