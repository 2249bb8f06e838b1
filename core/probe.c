#include <qlconfig.h>

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_CLOSE_RANGE
#include <linux/close_range.h>
#endif

#include <json.h>

#include "clock.h"
#include "errbuf.h"
#include "qmpc.h"
#include "prbcache.h"

/* Each QMP command, and QEMU's start and exit. */
#define PRB_TIMEOUT_MS 10000
/* Most QEMU restarts for device types that kill it. */
#define PRB_MAX_RESTARTS 8

const char *const prb_list_keys[PRB_NLISTS] = {
	[PRB_MACHINES] = "machines", [PRB_CPUS] = "cpus", [PRB_DEVICES] = "devices",
	[PRB_OBJECTS] = "objects", [PRB_ACCELS] = "accels", [PRB_DISPLAYS] = "displays",
	[PRB_TYPES] = "types", [PRB_BLOCKDEV_DRIVERS] = "blockdev-drivers",
	[PRB_NETDEV_TYPES] = "netdev-types", [PRB_AUDIODEV_DRIVERS] = "audiodev-drivers",
};

/* Deepest SPEC of nested objects kept from the schema. */
#define PRB_SPEC_DEPTH 4

/* --- running QEMU ------------------------------------------------------------- */

/* The child's side: fds 0-3 as asked, default signals, then exec. */
static void child(const char *binary, char *const argv[], int in, int out, int errfd, int sock)
{
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	if (sock >= 0) {
		if (sock == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(sock, 3) < 0)
			_exit(127);
	}
	/* nothing else of ours (or of our caller: --fd) reaches QEMU */
	{
		int from = sock >= 0 ? 4 : 3;
#ifdef HAVE_CLOSE_RANGE
		if (close_range((unsigned)from, ~0u, 0) < 0)
#endif
		{
			long max = sysconf(_SC_OPEN_MAX);

			for (long fd = from; fd < (max < 0 || max > 65536 ? 65536 : max); fd++)
				close((int)fd);
		}
	}
	execv(binary, argv);
	_exit(127);
}

/* Wait at most ms for pid; then kill it.  Its wait status. */
static int reap(pid_t pid, int ms)
{
	long long end = clk_now_ms() + ms;
	int st = 0;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			return st;
		if (clk_now_ms() >= end)
			break;
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

/* Read what is there on a non-blocking fd, at most len-1 bytes, and keep
 * its first line. */
static void first_line(int fd, char *buf, size_t len)
{
	ssize_t n = read(fd, buf, len - 1);
	char *nl;

	buf[n > 0 ? n : 0] = 0;
	if ((nl = strchr(buf, '\n')))
		*nl = 0;
}

struct qemu {
	pid_t pid;
	int errfd;            /* QEMU's stderr (non-blocking) */
	struct qmpc *q;
};

static void qemu_stop(struct qemu *qm, char *why, size_t whylen)
{
	struct json_object *ret = NULL;
	int st;

	if (qm->q)
		qmpc_execute(qm->q, "quit", NULL, 2000, &ret, NULL, 0);
	json_object_put(ret);
	qmpc_close(qm->q);
	qm->q = NULL;
	if (qm->pid > 0) {
		st = reap(qm->pid, PRB_TIMEOUT_MS);
		(void)st;
	}
	if (why && whylen)
		why[0] = 0;
	if (qm->errfd >= 0) {
		if (why && whylen)
			first_line(qm->errfd, why, whylen);
		close(qm->errfd);
	}
	qm->pid = 0;
	qm->errfd = -1;
}

static int qemu_start(const char *binary, struct qemu *qm, char *err, size_t errlen)
{
	char *argv[] = {
		(char *)binary, "-machine", "none", "-nodefaults", "-no-user-config",
		"-display", "none", "-S", "-chardev", "socket,id=qlprobe,fd=3",
		"-mon", "chardev=qlprobe,mode=control", NULL,
	};
	int sv[2] = { -1, -1 }, ep[2] = { -1, -1 }, null = -1, r;
	char why[512];

	qm->pid = 0;
	qm->errfd = -1;
	qm->q = NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    pipe2(ep, O_CLOEXEC) < 0 || (null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		r = eb_fail(err, errlen, -errno, "cannot start %s: %s", binary, strerror(errno));
		goto out;
	}
	qm->pid = fork();
	if (qm->pid < 0) {
		r = eb_fail(err, errlen, -errno, "cannot start %s: %s", binary, strerror(errno));
		qm->pid = 0;
		goto out;
	}
	if (qm->pid == 0)
		child(binary, argv, null, null, ep[1], sv[1]);
	close(sv[1]);
	sv[1] = -1;
	close(ep[1]);
	ep[1] = -1;
	qm->errfd = ep[0];
	ep[0] = -1;
	fcntl(qm->errfd, F_SETFL, O_NONBLOCK);
	r = qmpc_attach(sv[0], binary, PRB_TIMEOUT_MS, &qm->q, err, errlen);
	sv[0] = -1;
	if (r < 0) {
		qemu_stop(qm, why, sizeof(why));
		r = eb_fail(err, errlen, r, "%s did not answer on QMP, expected a QEMU system emulator%s%s",
			 binary, why[0] ? ": " : "", why);
	}
out:
	for (int i = 0; i < 2; i++) {
		if (sv[i] >= 0)
			close(sv[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	if (null >= 0)
		close(null);
	return r;
}

/* An array of the "name" of each object in list (and of its "alias", if
 * with_alias), or with strip, only names that end in it, without it. */
static struct json_object *names_of(struct json_object *list, int with_alias, const char *strip)
{
	struct json_object *a = json_object_new_array();
	size_t sl = strip ? strlen(strip) : 0;

	for (size_t i = 0; a && i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i), *v;

		for (int k = 0; k < 1 + with_alias; k++) {
			const char *s;
			size_t len;

			if (!json_object_object_get_ex(e, k ? "alias" : "name", &v) ||
			    !json_object_is_type(v, json_type_string))
				continue;
			s = json_object_get_string(v);
			len = strlen(s);
			if (strip && (len <= sl || strcmp(s + len - sl, strip) != 0))
				continue;
			if (json_object_array_add(a, json_object_new_string_len(s, (int)(len - sl))) < 0) {
				json_object_put(a);
				return NULL;
			}
		}
	}
	return a;
}

static int ask(struct qemu *qm, const char *cmd, struct json_object *args,
	       struct json_object **ret, char *err, size_t errlen)
{
	int r = qmpc_execute(qm->q, cmd, args, PRB_TIMEOUT_MS, ret, err, errlen);

	json_object_put(args);
	if (r == 0 && !json_object_is_type(*ret, json_type_array) && strcmp(cmd, "query-version") != 0) {
		json_object_put(*ret);
		*ret = NULL;
		return eb_fail(err, errlen, -EPROTO, "%s: the reply is not a list", cmd);
	}
	return r;
}

static struct json_object *types_args(const char *implements)
{
	struct json_object *a = json_object_new_object();

	if (a && (json_object_object_add(a, "implements", json_object_new_string(implements)) < 0 ||
		  json_object_object_add(a, "abstract", json_object_new_boolean(0)) < 0)) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

static struct json_object *all_types_args(void)
{
	struct json_object *a = json_object_new_object();

	if (a && json_object_object_add(a, "abstract", json_object_new_boolean(1)) < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

static const char *string_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* query-qmp-schema's entities by name (a new object), or NULL. */
static struct json_object *schema_index(struct json_object *schema)
{
	struct json_object *idx = json_object_new_object();

	for (size_t i = 0; idx && i < json_object_array_length(schema); i++) {
		struct json_object *e = json_object_array_get_idx(schema, i);
		const char *name = string_of(e, "name");

		if (name && json_object_object_add(idx, name, json_object_get(e)) < 0) {
			json_object_put(idx);
			return NULL;
		}
	}
	return idx;
}

static int is_meta(struct json_object *e, const char *meta)
{
	const char *m = string_of(e, "meta-type");

	return m && strcmp(m, meta) == 0;
}

static int add_spec_members(struct json_object *idx, struct json_object *obj,
			    struct json_object *spec, const char *skip, int depth);

/* The SPEC of the type called name (probe.h), new; NULL if out of memory. */
static struct json_object *spec_of(struct json_object *idx, const char *name, int depth)
{
	struct json_object *e = get(idx, name ? name : ""), *values, *spec;

	if (is_meta(e, "builtin"))
		return json_object_new_string(name);
	if (is_meta(e, "enum") && json_object_object_get_ex(e, "values", &values) &&
	    prb_string_array(values))
		return json_object_get(values);
	if (!is_meta(e, "object") || depth >= PRB_SPEC_DEPTH)
		return json_object_new_string("any");
	if ((spec = json_object_new_object()) && add_spec_members(idx, e, spec, NULL, depth + 1) < 0) {
		json_object_put(spec);
		return NULL;
	}
	return spec;
}

/* one (owned) as spec's member name; a member the spec has already (of
 * another variant) keeps its place, and if both are objects they become
 * one with the members of both. */
static int merge(struct json_object *spec, const char *name, struct json_object *one)
{
	struct json_object *old;

	if (!json_object_object_get_ex(spec, name, &old)) {
		if (json_object_object_add(spec, name, one) == 0)
			return 0;
		json_object_put(one);
		return -ENOMEM;
	}
	if (json_object_is_type(old, json_type_object) && json_object_is_type(one, json_type_object)) {
		json_object_object_foreach(one, k, v) {
			if (merge(old, k, json_object_get(v)) < 0) {
				json_object_put(one);
				return -ENOMEM;
			}
		}
	}
	json_object_put(one);
	return 0;
}

/* obj's members (but skip) into spec, and, if variant is NULL, every
 * variant's too (a nested union: which one is not known here). */
static int add_members(struct json_object *idx, struct json_object *obj, struct json_object *spec,
		       const char *skip, int depth)
{
	struct json_object *members = get(obj, "members");

	for (size_t i = 0; json_object_is_type(members, json_type_array) &&
	     i < json_object_array_length(members); i++) {
		struct json_object *m = json_object_array_get_idx(members, i), *one;
		const char *name = string_of(m, "name");

		if (!name || (skip && strcmp(name, skip) == 0))
			continue;
		if (!(one = spec_of(idx, string_of(m, "type"), depth)))
			return -ENOMEM;
		if (merge(spec, name, one) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int add_spec_members(struct json_object *idx, struct json_object *obj,
			    struct json_object *spec, const char *skip, int depth)
{
	struct json_object *variants = get(obj, "variants");

	if (add_members(idx, obj, spec, skip, depth) < 0)
		return -ENOMEM;
	for (size_t i = 0; json_object_is_type(variants, json_type_array) &&
	     i < json_object_array_length(variants); i++)
		if (add_members(idx, get(idx, string_of(json_object_array_get_idx(variants, i), "type") ?: ""),
				spec, skip, depth) < 0)
			return -ENOMEM;
	return 0;
}

/* { case: SPEC } of the union that is command's key ("arg-type" or
 * "ret-type"): each case has the base's members but the tag and its
 * variant's.  An empty object if the schema does not say. */
static struct json_object *union_spec(struct json_object *idx, const char *command, const char *key)
{
	struct json_object *out = json_object_new_object(), *u, *variants;
	const char *tag;

	u = get(idx, string_of(get(idx, command), key) ?: "");
	if (!out || !is_meta(u, "object") || !(tag = string_of(u, "tag")) ||
	    !json_object_object_get_ex(u, "variants", &variants) ||
	    !json_object_is_type(variants, json_type_array))
		return out;
	for (size_t i = 0; i < json_object_array_length(variants); i++) {
		struct json_object *v = json_object_array_get_idx(variants, i), *spec;
		const char *c = string_of(v, "case");

		if (!c)
			continue;
		if (!(spec = json_object_new_object()) || add_members(idx, u, spec, tag, 1) < 0 ||
		    add_members(idx, get(idx, string_of(v, "type") ?: ""), spec, NULL, 1) < 0 ||
		    json_object_object_add(out, c, spec) < 0) {
			json_object_put(spec);
			json_object_put(out);
			return NULL;
		}
	}
	return out;
}

/* The type of obj's member called name, or NULL. */
static const char *member_type(struct json_object *obj, const char *name)
{
	struct json_object *members = get(obj, "members");

	for (size_t i = 0; json_object_is_type(members, json_type_array) &&
	     i < json_object_array_length(members); i++) {
		struct json_object *m = json_object_array_get_idx(members, i);
		const char *n = string_of(m, "name");

		if (n && strcmp(n, name) == 0)
			return string_of(m, "type");
	}
	return NULL;
}

/* { backend: SPEC } of chardev-add's backend: each variant wraps its
 * members in "data".  (For tools: -chardev's own keys are flat, and check
 * compares them with its query-command-line-options parameters.) */
static struct json_object *chardev_spec(struct json_object *idx)
{
	struct json_object *out = json_object_new_object(), *u, *variants;

	u = get(idx, member_type(get(idx, string_of(get(idx, "chardev-add"), "arg-type") ?: ""),
				 "backend") ?: "");
	if (!out || !json_object_object_get_ex(u, "variants", &variants) ||
	    !json_object_is_type(variants, json_type_array))
		return out;
	for (size_t i = 0; i < json_object_array_length(variants); i++) {
		struct json_object *v = json_object_array_get_idx(variants, i), *spec;
		const char *c = string_of(v, "case");
		const char *data = member_type(get(idx, string_of(v, "type") ?: ""), "data");

		if (!c || !data || !is_meta(get(idx, data), "object"))
			continue;
		if (!(spec = spec_of(idx, data, 1)) || json_object_object_add(out, c, spec) < 0) {
			json_object_put(spec);
			json_object_put(out);
			return NULL;
		}
	}
	return out;
}

/* The values of the enum that is the type of member of command's
 * arguments (blockdev-add's driver), as a new array; an empty one if the
 * schema does not say (a miss, never a false alarm: the check then
 * skips an empty list). */
static struct json_object *schema_enum(struct json_object *idx, const char *command,
				       const char *member)
{
	struct json_object *out = json_object_new_array(), *args, *members, *en, *values;

	args = get(idx, string_of(get(idx, command), "arg-type") ?: "");
	if (!out || !args || !json_object_object_get_ex(args, "members", &members) ||
	    !json_object_is_type(members, json_type_array))
		return out;
	for (size_t i = 0; i < json_object_array_length(members); i++) {
		struct json_object *m = json_object_array_get_idx(members, i);
		const char *name = string_of(m, "name");

		if (!name || strcmp(name, member) != 0)
			continue;
		en = get(idx, string_of(m, "type") ?: "");
		if (!is_meta(en, "enum") || !json_object_object_get_ex(en, "values", &values) ||
		    !prb_string_array(values))
			break;
		for (size_t j = 0; j < json_object_array_length(values); j++)
			if (json_object_array_add(out, json_object_get(json_object_array_get_idx(values, j))) < 0) {
				json_object_put(out);
				return NULL;
			}
		break;
	}
	return out;
}

/* What query-qmp-schema says into root. */
static int ask_schema(struct qemu *qm, struct json_object *root, char *err, size_t errlen)
{
	static const struct { const char *key, *command, *member; } es[] = {
		{ "blockdev-drivers", "blockdev-add", "driver" },
		{ "netdev-types", "netdev_add", "type" },
	};
	static const struct { const char *family, *command, *key; } us[] = {
		{ "netdev", "netdev_add", "arg-type" }, { "blockdev", "blockdev-add", "arg-type" },
		{ "object", "object-add", "arg-type" }, { "display", "query-display-options", "ret-type" },
	};
	struct json_object *schema = NULL, *idx = NULL, *args = NULL;
	int r = ask(qm, "query-qmp-schema", NULL, &schema, err, errlen);

	if (r < 0)
		return r;
	r = eb_fail(err, errlen, -ENOMEM, "out of memory");
	if (!(idx = schema_index(schema)) || !(args = json_object_new_object()))
		goto out;
	for (size_t i = 0; i < sizeof(es) / sizeof(es[0]); i++) {
		struct json_object *a = schema_enum(idx, es[i].command, es[i].member);

		if (!a || json_object_object_add(root, es[i].key, a) < 0)
			goto out;
	}
	for (size_t i = 0; i < sizeof(us) / sizeof(us[0]); i++) {
		struct json_object *a = union_spec(idx, us[i].command, us[i].key);

		if (!a || json_object_object_add(args, us[i].family, a) < 0)
			goto out;
	}
	{
		struct json_object *a = chardev_spec(idx);

		if (!a || json_object_object_add(args, "chardev", a) < 0)
			goto out;
	}
	if (json_object_object_add(root, "arguments", args) < 0)
		goto out;
	args = NULL;
	r = 0;
out:
	json_object_put(args);
	json_object_put(idx);
	json_object_put(schema);
	return r;
}

/* query-command-line-options: { option: { parameter: type } } of the
 * options that list parameters, into root. */
static int ask_options(struct qemu *qm, struct json_object *root, char *err, size_t errlen)
{
	struct json_object *ret = NULL, *opts = json_object_new_object();
	int r = opts ? ask(qm, "query-command-line-options", NULL, &ret, err, errlen) :
		eb_fail(err, errlen, -ENOMEM, "out of memory");

	for (size_t i = 0; r == 0 && i < json_object_array_length(ret); i++) {
		struct json_object *o = json_object_array_get_idx(ret, i), *params = get(o, "parameters"), *ps;
		const char *name = string_of(o, "option");

		if (!name || !*name || !json_object_is_type(params, json_type_array) ||
		    json_object_array_length(params) == 0)
			continue;
		if (!(ps = json_object_new_object()) || json_object_object_add(opts, name, ps) < 0) {
			json_object_put(ps);
			r = eb_fail(err, errlen, -ENOMEM, "out of memory");
			break;
		}
		for (size_t j = 0; j < json_object_array_length(params); j++) {
			struct json_object *pm = json_object_array_get_idx(params, j);
			const char *pn = string_of(pm, "name"), *pt = string_of(pm, "type");

			if (pn && pt && json_object_object_add(ps, pn, json_object_new_string(pt)) < 0) {
				r = eb_fail(err, errlen, -ENOMEM, "out of memory");
				break;
			}
		}
	}
	json_object_put(ret);
	if (r == 0 && json_object_object_add(root, "options", opts) < 0)
		r = eb_fail(err, errlen, -ENOMEM, "out of memory");
	else if (r == 0)
		opts = NULL;
	json_object_put(opts);
	return r;
}

/* { from: to } of the entries of list that have both. */
static struct json_object *pairs_of(struct json_object *list, const char *from, const char *to)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; o && i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		const char *f = string_of(e, from), *t = string_of(e, to);

		if (f && t && json_object_object_add(o, f, json_object_new_string(t)) < 0) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

/* The base answers into root. */
static int ask_base(struct qemu *qm, struct json_object *root, char *err, size_t errlen)
{
	static const struct {
		const char *key, *cmd, *implements, *strip;
		int alias;
		const char *pairs, *from, *to;   /* a map of the same reply */
	} qs[] = {
		{ "machines", "query-machines", NULL, NULL, 1, "machine-aliases", "alias", "name" },
		{ "cpus", "query-cpu-definitions", NULL, NULL, 0, "cpu-typenames", "name", "typename" },
		{ "devices", "qom-list-types", "device", NULL, 0, NULL, NULL, NULL },
		{ "objects", "qom-list-types", "user-creatable", NULL, 0, NULL, NULL, NULL },
		{ "accels", "qom-list-types", "accel", "-accel", 0, NULL, NULL, NULL },
		{ "types", "qom-list-types", NULL, NULL, 0, NULL, NULL, NULL }, /* abstract ones too */
	};
	struct json_object *ret = NULL, *v, *q;
	char ver[64];
	int r;

	if ((r = ask(qm, "query-version", NULL, &ret, err, errlen)) < 0)
		return r;
	if (!json_object_object_get_ex(ret, "qemu", &q) ||
	    !json_object_is_type(q, json_type_object)) {
		json_object_put(ret);
		return eb_fail(err, errlen, -EPROTO, "query-version: no version in the reply");
	}
	snprintf(ver, sizeof(ver), "%d.%d.%d",
		 json_object_object_get_ex(q, "major", &v) ? json_object_get_int(v) : 0,
		 json_object_object_get_ex(q, "minor", &v) ? json_object_get_int(v) : 0,
		 json_object_object_get_ex(q, "micro", &v) ? json_object_get_int(v) : 0);
	json_object_object_add(root, "version", json_object_new_string(ver));
	json_object_object_add(root, "package", json_object_new_string(
		json_object_object_get_ex(ret, "package", &v) && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : ""));
	json_object_put(ret);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		struct json_object *a, *m = NULL;

		ret = NULL;
		r = ask(qm, qs[i].cmd, strcmp(qs[i].key, "types") == 0 ? all_types_args() :
			qs[i].implements ? types_args(qs[i].implements) : NULL, &ret, err, errlen);
		if (r < 0)
			return r;
		a = names_of(ret, qs[i].alias, qs[i].strip);
		if (qs[i].pairs && (!(m = pairs_of(ret, qs[i].from, qs[i].to)) ||
				    json_object_object_add(root, qs[i].pairs, m) < 0)) {
			json_object_put(m);
			json_object_put(a);
			a = NULL;
		}
		json_object_put(ret);
		if (!a || json_object_object_add(root, qs[i].key, a) < 0)
			return eb_fail(err, errlen, -ENOMEM, "out of memory");
	}
	return 0;
}

/* `BINARY OPTION help` (QEMU loads each module to answer, and 7.2 has
 * no QMP command for these): the lines after header, as root's key. */
static int ask_help(const char *binary, const char *option, const char *header, const char *key,
		    struct json_object *root, char *err, size_t errlen)
{
	char *argv[] = { (char *)binary, (char *)option, "help", NULL };
	char buf[4096], *line, *save = NULL;
	struct json_object *a = NULL;
	size_t len = 0;
	long long end = clk_now_ms() + PRB_TIMEOUT_MS;
	int op[2] = { -1, -1 }, null = -1, r = 0;
	pid_t pid;

	if (pipe2(op, O_CLOEXEC) < 0 || (null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		r = eb_fail(err, errlen, -errno, "cannot start %s: %s", binary, strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		r = eb_fail(err, errlen, -errno, "cannot start %s: %s", binary, strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(binary, argv, null, op[1], null, -1);
	close(op[1]);
	op[1] = -1;
	while (len < sizeof(buf) - 1) {
		struct pollfd pfd = { .fd = op[0], .events = POLLIN };
		long long left = end - clk_now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = read(op[0], buf + len, sizeof(buf) - 1 - len);
		if (n <= 0 && !(n < 0 && errno == EINTR))
			break;
		if (n > 0)
			len += (size_t)n;
	}
	buf[len] = 0;
	reap(pid, 1000);
	if (!(a = json_object_new_array())) {
		r = eb_fail(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	line = strtok_r(buf, "\n", &save);
	if (!line || strcmp(line, header) != 0) {
		r = eb_fail(err, errlen, -EPROTO, "%s %s help: not the list it should be", binary, option);
		goto out;
	}
	while ((line = strtok_r(NULL, "\n", &save)))
		if (*line && json_object_array_add(a, json_object_new_string(line)) < 0) {
			r = eb_fail(err, errlen, -ENOMEM, "out of memory");
			goto out;
		}
	json_object_object_add(root, key, a);
	a = NULL;
out:
	json_object_put(a);
	for (int i = 0; i < 2; i++)
		if (op[i] >= 0)
			close(op[i]);
	if (null >= 0)
		close(null);
	return r;
}

/* The audio drivers that load; none known (an empty list: nothing is
 * checked) if the binary does not list them as 7.2 does. */
static int ask_audio(const char *binary, struct json_object *root, char *err, size_t errlen)
{
	int r = ask_help(binary, "-audiodev", "Available audio drivers:", "audiodev-drivers",
			 root, err, errlen);

	if (r != -EPROTO)
		return r;
	return json_object_object_add(root, "audiodev-drivers", json_object_new_array()) < 0 ?
	       eb_fail(err, errlen, -ENOMEM, "out of memory") : 0;
}

/* { name: { "type", "description" } } of a property list reply. */
static struct json_object *props_of(struct json_object *ret)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; o && i < json_object_array_length(ret); i++) {
		struct json_object *e = json_object_array_get_idx(ret, i), *one;
		const char *n = string_of(e, "name"), *t = string_of(e, "type"), *d = string_of(e, "description");

		if (!n || !t)
			continue;
		if (!(one = json_object_new_object()) || json_object_object_add(o, n, one) < 0 ||
		    json_object_object_add(one, "type", json_object_new_string(t)) < 0 ||
		    (d && json_object_object_add(one, "description", json_object_new_string(d)) < 0)) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

static int has(struct json_object *root, enum prb_list which, const char *name)
{
	return prb_has(&(struct prb){ .root = root }, which, name);
}

/* The QOM type of (kind, name) in buf, or NULL if root does not know it. */
static const char *qom_type(struct json_object *root, enum prb_kind kind, const char *name,
			    char *buf, size_t len)
{
	const char *t;

	switch (kind) {
	case PRB_DEVICE:
		return has(root, PRB_DEVICES, name) ? name : NULL;
	case PRB_CPU:
		return (t = string_of(get(root, "cpu-typenames"), name)) && has(root, PRB_DEVICES, t) ? t : NULL;
	case PRB_MACHINE:
		if ((t = string_of(get(root, "machine-aliases"), name)))
			name = t;
		snprintf(buf, len, "%s-machine", name);
		return has(root, PRB_TYPES, buf) ? buf : NULL;
	case PRB_ACCEL:
		snprintf(buf, len, "%s-accel", name);
		return has(root, PRB_TYPES, buf) ? buf : NULL;
	}
	return NULL;
}

static int known(struct json_object *root, const char *type)
{
	return json_object_object_get_ex(get(root, "properties"), type, NULL);
}

/*
 * Fill root's properties for the types in want it lacks, starting QEMU
 * if qm has none running.  A type QEMU does not know is left out (the
 * check reports it as unknown); one that makes QEMU exit is null, and
 * QEMU is started again for the rest.
 */
static int ask_props(const char *binary, struct qemu *qm, struct json_object *root,
		     const struct prb_want *want, size_t n, char *err, size_t errlen)
{
	struct json_object *props = get(root, "properties");
	int restarts = 0, r = 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *args, *ret = NULL;
		char buf[256];
		const char *type = qom_type(root, want[i].kind, want[i].name, buf, sizeof(buf));
		int dev = want[i].kind == PRB_DEVICE || want[i].kind == PRB_CPU;

		if (!type || known(root, type))
			continue;
		if (!qm->q && (r = qemu_start(binary, qm, err, errlen)) < 0)
			return r;
		if (!(args = json_object_new_object()) ||
		    json_object_object_add(args, "typename", json_object_new_string(type)) < 0) {
			json_object_put(args);
			return eb_fail(err, errlen, -ENOMEM, "out of memory");
		}
		r = ask(qm, dev ? "device-list-properties" : "qom-list-properties", args, &ret, err, errlen);
		if (r == 0) {
			struct json_object *o = props_of(ret);

			json_object_put(ret);
			if (!o || json_object_object_add(props, type, o) < 0)
				return eb_fail(err, errlen, -ENOMEM, "out of memory");
		} else if (r == -EREMOTEIO) {
			json_object_object_add(props, type, NULL);
		} else if (r == -ECONNRESET || r == -ETIMEDOUT) {
			/* QEMU died (or hung) answering: this type cannot be created */
			qemu_stop(qm, NULL, 0);
			json_object_object_add(props, type, NULL);
			if (++restarts > PRB_MAX_RESTARTS)
				return eb_fail(err, errlen, -EPROTO, "%s exited %d times while describing "
					    "types", binary, restarts);
		} else {
			return r;
		}
		r = 0;
	}
	return r;
}

static struct json_object *new_root(const struct prb_id *id)
{
	struct json_object *root = json_object_new_object(), *ido = prb_id_json(id);

	if (!root || !ido || json_object_object_add(root, "qlaunch-probe", json_object_new_int(PRB_FORMAT)) < 0 ||
	    json_object_object_add(root, "binary", ido) < 0 ||
	    json_object_object_add(root, "properties", json_object_new_object()) < 0) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

static int all_known(struct json_object *root, const struct prb_want *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[256];
		const char *type = qom_type(root, want[i].kind, want[i].name, buf, sizeof(buf));

		if (type && !known(root, type))
			return 0;
	}
	return 1;
}

int prb_get(const char *binary, const struct prb_want *want, size_t n,
	    const char *cache_dir, struct prb *out, char *err, size_t errlen)
{
	struct qemu qm = { 0, -1, NULL };
	struct json_object *root = NULL;
	char *dir = NULL, why[512];
	struct prb_id id;
	int r, use_cache = 0;

	memset(out, 0, sizeof(*out));
	if ((r = prb_identity(binary, &id)) < 0)
		return eb_fail(err, errlen, r, "%s: %s", binary, strerror(-r));
	dir = cache_dir ? strdup(cache_dir) : prb_default_dir();
	if (dir) {
		r = prb_cache_dir_ok(dir, why, sizeof(why));
		if (r == 0) {
			use_cache = 1;
			out->cache_file = prb_cache_path(dir, binary);
		} else {
			char *w = NULL;

			if (asprintf(&w, "not using the probe cache: %s", why) >= 0)
				sv_take(&out->warnings, w);
		}
	}
	if (use_cache && prb_cache_read(dir, &id, &root) == 0 && all_known(root, want, n)) {
		out->from_cache = 1;
		out->root = root;
		root = NULL;
		r = 0;
		goto out;
	}
	if (!root) {
		r = -ENOMEM;
		if (!(root = new_root(&id)))
			goto out;
		if ((r = qemu_start(binary, &qm, err, errlen)) < 0 ||
		    (r = ask_base(&qm, root, err, errlen)) < 0 ||
		    (r = ask_schema(&qm, root, err, errlen)) < 0 ||
		    (r = ask_options(&qm, root, err, errlen)) < 0 ||
		    (r = ask_help(binary, "-display", "Available display backend types:", "displays",
				  root, err, errlen)) < 0 ||
		    (r = ask_audio(binary, root, err, errlen)) < 0)
			goto out;
	}
	if ((r = ask_props(binary, &qm, root, want, n, err, errlen)) < 0)
		goto out;
	if ((r = prb_validate(root, &id)) < 0) {
		r = eb_fail(err, errlen, -EPROTO, "%s: the answers do not make a valid probe", binary);
		goto out;
	}
	/* the binary changed while it was asked: answer, but do not cache */
	{
		struct prb_id now;

		if (prb_identity(binary, &now) < 0 || prb_validate(root, &now) < 0)
			use_cache = 0;
	}
	if (use_cache && (r = prb_cache_write(dir, &id, root)) < 0) {
		char *w = NULL;

		if (asprintf(&w, "cannot write the probe cache %s: %s", out->cache_file, strerror(-r)) >= 0)
			sv_take(&out->warnings, w);
	}
	out->root = root;
	root = NULL;
	r = 0;
out:
	qemu_stop(&qm, NULL, 0);
	json_object_put(root);
	free(dir);
	if (r < 0)
		prb_release(out);
	return r;
}

/* --- answers -------------------------------------------------------------------- */

int prb_has(const struct prb *p, enum prb_list which, const char *name)
{
	struct json_object *a = get(p->root, prb_list_keys[which]);

	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a, i)), name) == 0)
			return 1;
	return 0;
}

static const char **array_names(struct json_object *a)
{
	size_t n = a ? json_object_array_length(a) : 0;
	const char **v = calloc(n + 1, sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		v[i] = json_object_get_string(json_object_array_get_idx(a, i));
	return v;
}

const char **prb_names(const struct prb *p, enum prb_list which)
{
	return array_names(get(p->root, prb_list_keys[which]));
}

/* The { name: { "type", "description" } } of (kind, name), or NULL with
 * *asked 0 if it was not asked for (or is not there), 1 if QEMU could not
 * describe it. */
static struct json_object *props_for(const struct prb *p, enum prb_kind kind, const char *name,
				     int *asked)
{
	char buf[256];
	const char *type = qom_type(p->root, kind, name, buf, sizeof(buf));
	struct json_object *o = NULL;

	*asked = type && json_object_object_get_ex(get(p->root, "properties"), type, &o);
	return o;
}

int prb_props(const struct prb *p, enum prb_kind kind, const char *name, const char ***names)
{
	int asked;
	struct json_object *o = props_for(p, kind, name, &asked);

	*names = NULL;
	if (!asked)
		return -ENOENT;
	if (!o)
		return 0;
	return (*names = prb_keys(o)) ? 1 : -ENOMEM;
}

const char **prb_keys(struct json_object *o)
{
	const char **v = calloc((size_t)json_object_object_length(o) + 1, sizeof(*v));
	size_t n = 0;

	if (v) {
		json_object_object_foreach(o, key, val) {
			(void)val;
			v[n++] = key;
		}
	}
	return v;
}

static const char *prop_field(const struct prb *p, enum prb_kind kind, const char *name,
			      const char *prop, const char *field)
{
	int asked;

	return string_of(get(props_for(p, kind, name, &asked), prop), field);
}

const char *prb_prop_type(const struct prb *p, enum prb_kind kind, const char *name, const char *prop)
{
	return prop_field(p, kind, name, prop, "type");
}

const char *prb_prop_description(const struct prb *p, enum prb_kind kind, const char *name,
				 const char *prop)
{
	return prop_field(p, kind, name, prop, "description");
}

struct json_object *prb_arguments(const struct prb *p, const char *family, const char *variant)
{
	struct json_object *v = get(get(get(p->root, "arguments"), family), variant);

	return json_object_is_type(v, json_type_object) ? v : NULL;
}

struct json_object *prb_option(const struct prb *p, const char *option)
{
	struct json_object *v = get(get(p->root, "options"), option);

	return json_object_is_type(v, json_type_object) ? v : NULL;
}

void prb_release(struct prb *p)
{
	if (!p)
		return;
	json_object_put(p->root);
	p->root = NULL;
	free(p->cache_file);
	p->cache_file = NULL;
	sv_release(&p->warnings);
}
