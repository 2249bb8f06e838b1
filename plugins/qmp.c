/*
 * [qmp] and [qmp.NAME]: a QMP monitor each.  socket (a unix socket path,
 * at most 107 bytes) or tcp (HOST:PORT), server (default on), wait
 * (default off) -> -qmp unix:PATH,server=on,wait=off
 *
 * prebind = on: qlaunch creates, binds and listens on the unix socket
 * itself and hands it to QEMU -> -chardev socket,id=C,fd=N,server=on,
 * wait=off -mon chardev=C,mode=control.  A client may connect as soon as
 * qlaunch has exec'd QEMU; it is served once QEMU is up.
 */
#include <qlaunch/plugin.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

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

/*
 * Check what is at path and its directory: a missing directory, or a file
 * that is not a socket (QEMU would delete it), is an error.  Returns 0 or
 * the reported error.  Only looks: nothing is opened.
 */
static int check_socket_path(struct ql_ctx *ctx, const struct ql_host_api *api,
			     const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[UNIX_PATH_MAX_LEN + 1];
	struct stat st;

	if (slash == path)
		strcpy(dir, "/");
	else if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		strcpy(dir, ".");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return api->error(ctx, "socket", "directory %s does not exist, expected it to be created first", dir);
	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode))
		return api->error(ctx, "socket", "%s exists and is not a socket, expected nothing or a stale socket there",
				  path);
	return 0;
}

static void set_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, strlen(path));
}

/*
 * Bind and listen under a temporary name next to path, then rename it into
 * place: the path appears only once connections are accepted, so a client
 * that waits for the file never sees "connection refused".  If the
 * temporary name would not fit a socket address, bind path directly.
 */
static int listen_at(int fd, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct sockaddr_un sa;
	char tmp[sizeof(sa.sun_path)];
	int n = snprintf(tmp, sizeof(tmp), "%.*s.qlaunch-%ld", slash ? (int)(slash - path + 1) : 0,
			 path, (long)getpid());

	if (n > 0 && (size_t)n < sizeof(tmp)) {
		unlink(tmp);
		set_addr(&sa, tmp);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			return -1;
		if (listen(fd, 16) < 0 || rename(tmp, path) < 0) {
			int e = errno;

			unlink(tmp);
			errno = e;
			return -1;
		}
		return 0;
	}
	set_addr(&sa, path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return listen(fd, 16);
}

/*
 * ql_open_fn: create the listening socket at path, called by the core in
 * run mode once the configuration is valid.  A socket left by an earlier
 * run is replaced; one that a live process listens on is not.
 */
static int prebind(const char *path, char *msg, size_t msglen)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, e;

	set_addr(&sa, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(fd);
			snprintf(msg, msglen, "%s is in use by a running process, expected a free path", path);
			return -EADDRINUSE;
		}
		close(fd);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			goto fail;
	}
	if (listen_at(fd, path) == 0)
		return fd;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	snprintf(msg, msglen, "cannot listen on %s: %s", path, strerror(e));
	return -e;
}

/* -chardev socket,id=C,fd=N,server=on,wait=off -mon chardev=C,mode=control */
static int emit_prebound(struct ql_ctx *ctx, const struct ql_host_api *api,
			 const char *path)
{
	const char *name = api->section_id(ctx), *id, *num;
	int qemu_fd, r;

	if ((r = check_socket_path(ctx, api, path)) < 0 ||
	    (r = api->fd_pass(ctx, "socket", prebind, path, &qemu_fd)) < 0)
		return r;
	id = api->format(ctx, "qlaunch-qmp%s%s", name ? "." : "", name ? name : "");
	num = api->format(ctx, "%d", qemu_fd);
	if (!id || !num)
		return -ENOMEM;
	if ((r = api->opt_begin(ctx, "-chardev")) == 0 &&
	    (r = api->opt_value(ctx, "socket", "socket")) == 0 &&
	    (r = api->opt_pair(ctx, "id", id)) == 0 &&
	    (r = api->opt_pair(ctx, "fd", num)) == 0 &&
	    (r = api->opt_pair(ctx, "server", "on")) == 0 &&
	    (r = api->opt_pair(ctx, "wait", "off")) == 0 &&
	    (r = api->opt_end(ctx)) == 0 &&
	    (r = api->opt_begin(ctx, "-mon")) == 0 &&
	    (r = api->opt_pair(ctx, "chardev", id)) == 0 &&
	    (r = api->opt_pair(ctx, "mode", "control")) == 0)
		r = api->opt_end(ctx);
	return r;
}

static int qmp_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *sock = NULL, *tcp = NULL, *addr;
	int server = 1, wait = 0, pre = 0, has_sock, has_tcp, has_wait, r;

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
	if (api->get_bool(ctx, "prebind", &pre) < 0)
		return -EINVAL;
	if (pre && (!has_sock || !server || wait))
		return api->error(ctx, "prebind", "prebind needs a unix socket with server = on and wait = off, "
				  "expected socket = PATH without tcp, server or wait");
	if (pre)
		return emit_prebound(ctx, api, sock);
	addr = api->format(ctx, "%s%s", has_sock ? "unix:" : "tcp:", has_sock ? sock : tcp);
	if (!addr)
		return -ENOMEM;
	if ((r = api->opt_begin(ctx, "-qmp")) == 0 &&
	    (r = api->opt_value(ctx, has_sock ? "socket" : "tcp", addr)) == 0 &&
	    (r = api->opt_pair(ctx, "server", server ? "on" : "off")) == 0 &&
	    (!server || (r = api->opt_pair(ctx, "wait", wait ? "on" : "off")) == 0))
		r = api->opt_end(ctx);
	return r;
}

static const struct ql_key qmp_keys[] = {
	{ .name = "socket", .kind = QL_KEY_STRING },
	{ .name = "tcp", .kind = QL_KEY_STRING },
	{ .name = "server", .kind = QL_KEY_BOOL },
	{ .name = "wait", .kind = QL_KEY_BOOL },
	{ .name = "prebind", .kind = QL_KEY_BOOL },
	{ .name = NULL },
};

static const struct ql_section_type qmp_sections[] = {
	{ .name = "qmp", .flags = QL_SECTION_SINGLE | QL_SECTION_MULTI, .order = QL_ORDER_QMP,
	  QL_KEYS(qmp_keys), .emit = qmp_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "qmp",
	.version = "1.0",
	.description = "QMP monitors on unix or TCP sockets (-qmp)",
	.sections = qmp_sections,
};
