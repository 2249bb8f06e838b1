/*
 * [qmp] and [qmp.NAME]: a QMP monitor each.  socket (a unix socket path,
 * at most 107 bytes) or tcp (HOST:PORT), server (default on), wait
 * (default off) -> -qmp unix:PATH,server=on,wait=off
 *
 * prebind = on: qlaunch creates, binds and listens on the unix socket
 * itself and hands it to QEMU -> -chardev socket,id=C,fd=N,server=on,
 * wait=off -mon chardev=C,mode=control.  A client may connect as soon as
 * qlaunch has exec'd QEMU; it is served once QEMU is up.  The socket file
 * gets socket-mode (octal, default 0600: only its owner may drive QEMU).
 */
#define _GNU_SOURCE             /* renameat2 */
#include <qlaunch/plugin.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
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
 * Does a live process listen at the socket path?  1 yes (a full backlog,
 * or a socket of another type, is live too), 0 no (only ECONNREFUSED, or
 * nothing there any more, says so), or -errno when that cannot be told
 * (EACCES: another user's socket).  Never blocks.
 */
static int live_socket(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), r;

	if (fd < 0)
		return -errno;
	set_addr(&sa, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		r = 1;
	else if (errno == ECONNREFUSED || errno == ENOENT)
		r = 0;
	else if (errno == EAGAIN || errno == EINPROGRESS || errno == EPROTOTYPE)
		r = 1;
	else
		r = -errno;
	close(fd);
	return r;
}

/* Put the socket file tmp at path, never in the place of something that
 * appeared there meanwhile.  0 or -errno (EEXIST: something is there). */
static int move_into_place(const char *tmp, const char *path)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
#endif
	/* link fails on an existing path as rename with NOREPLACE does */
	if (link(tmp, path) < 0)
		return -errno;
	unlink(tmp);
	return 0;
}

/* A socket name next to path nobody can guess: DIR/.qlaunch-XXXXXXXXXXXX. */
static int temp_name(const char *path, char *tmp, size_t len)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	const char *slash = strrchr(path, '/');
	unsigned char rnd[12];
	int n;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	n = snprintf(tmp, len, "%.*s.qlaunch-", slash ? (int)(slash - path + 1) : 0, path);
	if (n < 0 || (size_t)n + sizeof(rnd) >= len)
		return -1;
	for (size_t i = 0; i < sizeof(rnd); i++)
		tmp[n + i] = digits[rnd[i] % 36];
	tmp[n + sizeof(rnd)] = '\0';
	return 0;
}

/*
 * Bind fd at name with the file mode mode, then listen: nobody can connect
 * before the mode is set, since nothing listens yet.
 */
static int bind_listen(int fd, const char *name, mode_t mode)
{
	struct sockaddr_un sa;

	set_addr(&sa, name);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	if (chmod(name, mode) < 0 || listen(fd, 16) < 0) {
		int e = errno;

		unlink(name);
		return -e;
	}
	return 0;
}

/*
 * Bind and listen under a random temporary name next to path, then move it
 * into place: the path appears only once connections are accepted, so a
 * client that waits for the file never sees "connection refused".  If no
 * temporary name fits a socket address, bind path itself.  0 or -errno.
 */
static int listen_at(int fd, const char *path, mode_t mode)
{
	char tmp[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int r = -EEXIST;

	if (temp_name(path, tmp, sizeof(tmp)) < 0)
		return bind_listen(fd, path, mode);
	for (int tries = 0; tries < 8 && r == -EEXIST; tries++) {
		if (tries && temp_name(path, tmp, sizeof(tmp)) < 0)
			return -EIO;
		r = bind_listen(fd, tmp, mode);
		if (r == -EADDRINUSE)
			r = -EEXIST;    /* the name is taken: another one */
	}
	if (r < 0)
		return r;
	r = move_into_place(tmp, path);
	if (r < 0)
		unlink(tmp);
	return r;
}

/*
 * ql_open_fn: create the listening socket, called by the core in run mode
 * once the configuration is valid.  arg is "MODE PATH", MODE in octal.  A
 * socket left by an earlier run is replaced, after a check that nothing
 * listens on it; anything else at the path is left alone.
 */
static int prebind(const char *arg, char *msg, size_t msglen)
{
	char *end;
	mode_t mode = (mode_t)strtoul(arg, &end, 8);
	const char *path = end + 1;
	struct stat st, again;
	int fd = -1, r;

	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(msg, msglen, "%s exists and is not a socket, expected nothing or a stale socket there",
				 path);
			return -EEXIST;
		}
		r = live_socket(path);
		if (r > 0) {
			snprintf(msg, msglen, "%s is in use by a running process, expected a free path", path);
			return -EADDRINUSE;
		}
		if (r < 0) {
			snprintf(msg, msglen, "cannot tell whether %s is in use: %s, expected a socket "
				 "qlaunch may connect to, or none", path, strerror(-r));
			return r;
		}
		/* stale: remove it, if it is still the socket just probed */
		if (lstat(path, &again) == 0 && again.st_dev == st.st_dev && again.st_ino == st.st_ino)
			unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	r = fd < 0 ? -errno : listen_at(fd, path, mode);
	if (r == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	if (r == -EEXIST)
		snprintf(msg, msglen, "cannot listen on %s: something else appeared there meanwhile, "
			 "expected nothing or a stale socket there", path);
	else
		snprintf(msg, msglen, "cannot listen on %s: %s", path, strerror(-r));
	return r;
}

/*
 * ql_undo_fn: the launch failed after prebind made the socket: remove its
 * file, so that no run leaves one that nothing will ever listen on.
 */
static void unprebind(const char *arg, int fd)
{
	const char *path = strchr(arg, ' ') + 1;
	struct stat st;

	(void)fd;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
}

/* -chardev socket,id=C,fd=N,server=on,wait=off -mon chardev=C,mode=control */
static int emit_prebound(struct ql_ctx *ctx, const struct ql_host_api *api,
			 const char *path)
{
	const char *name = api->section_id(ctx), *id, *num, *mode_s = "0600", *arg;
	unsigned long mode;
	char *end;
	int qemu_fd, r;

	api->get_string(ctx, "socket-mode", &mode_s);
	mode = strtoul(mode_s, &end, 8);
	if (!*mode_s || *end || mode > 0777 || strspn(mode_s, "01234567") != strlen(mode_s))
		return api->error(ctx, "socket-mode", "invalid mode '%s', expected octal permissions "
				  "such as 0600 or 0660", mode_s);
	arg = api->format(ctx, "%04lo %s", mode, path);
	if (!arg)
		return -ENOMEM;
	if ((r = check_socket_path(ctx, api, path)) < 0 ||
	    (r = api->fd_pass(ctx, "socket", prebind, unprebind, arg, &qemu_fd)) < 0)
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
	if (api->get_string(ctx, "socket-mode", &addr) > 0)
		return api->error(ctx, "socket-mode", "applies to a prebound socket only (QEMU creates "
				  "its own with its umask), expected prebind = on");
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
	/* of the prebound socket's file: QEMU makes its own sockets itself */
	{ .name = "socket-mode", .kind = QL_KEY_STRING },
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
