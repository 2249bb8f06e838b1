#include <qlconfig.h>

#include "qemu.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host.h"

static const char *const displays[] = {
	"none", "gtk", "sdl", "curses", "egl-headless", "spice-app", "dbus", NULL,
};
static const char *const serials[] = { "stdio", "null", "none", "pty", NULL };
static const char *const watchdog_actions[] = {
	"reset", "shutdown", "poweroff", "pause", "debug", "none", "inject-nmi", NULL,
};

#define BOOL(n) { .name = n, .kind = QL_KEY_BOOL }

const struct ql_key qemu_keys[] = {
	{ .name = "binary", .kind = QL_KEY_STRING },
	{ .name = "name", .kind = QL_KEY_STRING },
	{ .name = "uuid", .kind = QL_KEY_STRING },
	BOOL("nodefaults"),
	BOOL("no-user-config"),
	BOOL("nographic"),
	{ .name = "display", .kind = QL_KEY_CHOICE, .choices = displays },
	{ .name = "serial", .kind = QL_KEY_CHOICE, .choices = serials },
	BOOL("stopped"),
	BOOL("no-reboot"),
	{ .name = "reboot-timeout", .kind = QL_KEY_UINT, .max = 65535 },
	{ .name = "pidfile", .kind = QL_KEY_PATH },
	BOOL("daemonize"),
	BOOL("no-shutdown"),
	BOOL("debug-threads"),
	{ .name = "incoming", .kind = QL_KEY_STRING },
	{ .name = "watchdog-action", .kind = QL_KEY_CHOICE, .choices = watchdog_actions },
	{ .name = NULL },
};

/* 8-4-4-4-12 hexadecimal digits. */
static int valid_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int qemu_emit_name(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *name;
	int r = 0, threads = 0, has_name = api->get_string(ctx, "name", &name) > 0,
	    has_threads = api->get_bool(ctx, "debug-threads", &threads) > 0;

	if (has_name && !*name)
		return api->error(ctx, "name", "empty name, expected the VM's name");
	if (!has_name && !has_threads)
		return 0;
	if ((r = api->opt_begin(ctx, "-name")) == 0 && has_name)
		r = api->opt_pair(ctx, "guest", name);
	if (r == 0 && has_threads)
		r = api->opt_pair(ctx, "debug-threads", threads ? "on" : "off");
	return r ? r : api->opt_end(ctx);
}

int qemu_emit_uuid(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *uuid;
	int r = 0;

	if (api->get_string(ctx, "uuid", &uuid) > 0) {
		if (!valid_uuid(uuid))
			r = api->error(ctx, "uuid", "invalid UUID '%s', expected 8-4-4-4-12 hexadecimal digits "
				       "like 6f1c3a52-8d1e-4b7a-9c3f-2e5d7a9b0c11", uuid);
		else if ((r = api->arg(ctx, "-uuid")) == 0)
			r = api->arg(ctx, uuid);
	}
	return r;
}

/* Emit FLAG if the boolean key is on; remembers the first error in *r.
 * Returns the key's value (0 if absent or invalid). */
static int flag(struct ql_ctx *ctx, const struct ql_host_api *api,
		const char *key, const char *flagname, int *r)
{
	int on = 0;
	int got = api->get_bool(ctx, key, &on);

	if (got < 0 && *r == 0)
		*r = got;
	else if (got > 0 && on && *r == 0)
		*r = api->arg(ctx, flagname);
	return got > 0 && on;
}

/*
 * A plugin set's default for key yields to the family that says it at
 * length: [qemu] display to a [display] section, [qemu] reboot-timeout to
 * [boot] reboot-timeout.  (Both set in the file is the family's error.)
 */
static int yields(struct ql_ctx *ctx, const struct ql_host_api *api, const char *key,
		  const char *type, const char *long_key)
{
	const struct cfg_key *k = cfg_key_find(ctx->sec, key);
	const char *v;

	if (!k || !k->is_default)
		return 0;
	return long_key ? api->peek(ctx, type, NULL, long_key, &v) > 0
			: api->peek(ctx, type, NULL, NULL, NULL) > 0;
}

int qemu_emit_tail(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *pidfile, *incoming;
	uint64_t timeout;
	size_t i, serial = 0;
	int r = 0, got, daemonize, nographic, has_serial;

	flag(ctx, api, "nodefaults", "-nodefaults", &r);
	flag(ctx, api, "no-user-config", "-no-user-config", &r);
	nographic = flag(ctx, api, "nographic", "-nographic", &r);
	got = yields(ctx, api, "display", "display", NULL) ? 0 : api->get_enum(ctx, "display", displays, &i);
	if (got > 0 && r == 0 && (r = api->opt_begin(ctx, "-display")) == 0 &&
	    (r = api->opt_value(ctx, "display", displays[i])) == 0)
		r = api->opt_end(ctx);
	else if (got < 0 && r == 0)
		r = got;
	has_serial = api->get_enum(ctx, "serial", serials, &serial);
	if (has_serial > 0 && r == 0 && (r = api->arg(ctx, "-serial")) == 0)
		r = api->arg(ctx, serials[serial]);
	else if (has_serial < 0 && r == 0)
		r = has_serial;
	flag(ctx, api, "stopped", "-S", &r);
	flag(ctx, api, "no-reboot", "-no-reboot", &r);
	got = yields(ctx, api, "reboot-timeout", "boot", "reboot-timeout") ? 0 :
	      api->get_uint(ctx, "reboot-timeout", 0, 65535, &timeout);
	if (got > 0 && r == 0 && (r = api->opt_begin(ctx, "-boot")) == 0) {
		const char *v = api->format(ctx, "%llu", (unsigned long long)timeout);

		if (!v)
			r = -ENOMEM;
		else if ((r = api->opt_pair(ctx, "reboot-timeout", v)) == 0)
			r = api->opt_end(ctx);
	} else if (got < 0 && r == 0) {
		r = got;
	}
	flag(ctx, api, "no-shutdown", "-no-shutdown", &r);
	got = api->get_string(ctx, "incoming", &incoming);
	if (got > 0 && r == 0 && !*incoming)
		r = api->error(ctx, "incoming", "empty, expected where the migration comes from, such as "
			       "defer, tcp:0:4444 or unix:/run/vm.migrate");
	else if (got > 0 && r == 0 && (r = api->arg(ctx, "-incoming")) == 0)
		r = api->arg(ctx, incoming);
	got = api->get_enum(ctx, "watchdog-action", watchdog_actions, &i);
	if (got > 0 && r == 0 && (r = api->arg(ctx, "-watchdog-action")) == 0)
		r = api->arg(ctx, watchdog_actions[i]);
	else if (got < 0 && r == 0)
		r = got;
	got = api->get_string(ctx, "pidfile", &pidfile);    /* checked: QL_KEY_PATH */
	if (got > 0 && r == 0 && (r = api->arg(ctx, "-pidfile")) == 0)
		r = api->arg(ctx, pidfile);
	else if (got < 0 && r == 0)
		r = got;
	daemonize = flag(ctx, api, "daemonize", "-daemonize", &r);
	/* QEMU refuses both: a daemon has no terminal */
	if (daemonize && nographic)
		r = api->error(ctx, "daemonize", "cannot be combined with nographic (QEMU refuses it), expected one of them");
	if (daemonize && has_serial > 0 && strcmp(serials[serial], "stdio") == 0)
		r = api->error(ctx, "daemonize", "cannot be combined with serial = stdio (QEMU refuses it), expected another serial");
	return r;
}

int qemu_binary(const struct cfg *cfg, const struct cfg_section *sec,
		const char *deflt, struct diag *dg, const char **out)
{
	const struct cfg_key *k = sec ? cfg_key_find(sec, "binary") : NULL;

	if (!k) {
		*out = deflt;
		return 0;
	}
	if (k->value[0] != '/')
		return dg_error(dg, cfg_where(cfg, k->file), k->line, sec->name, "binary",
				"'%s' is not an absolute path, expected the full path of a QEMU binary",
				k->value);
	*out = k->value;
	return 0;
}
