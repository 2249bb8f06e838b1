/*
 * Run-control options that production command lines carry, one section
 * and one option each:
 *   [overcommit] mem-lock, cpu-pm          -> -overcommit mem-lock=off,...
 *   [sandbox]    enable (required, on/off), obsolete, elevateprivileges,
 *                spawn, resourcecontrol    -> -sandbox on,obsolete=deny,...
 *   [msg]        timestamp, guest-name     -> -msg timestamp=on,...
 *   [action]     reboot, shutdown, panic, watchdog -> -action reboot=...,...
 * Choices are QEMU 7.2's.  [action] watchdog and [qemu] watchdog-action,
 * or [action] shutdown and [qemu] no-shutdown, say the same thing twice:
 * one of them.
 */
#include <qlaunch/plugin.h>

static const char *const allow_deny[] = { "allow", "deny", NULL };
static const char *const elevate[] = { "allow", "deny", "children", NULL };
static const char *const on_reboot[] = { "reset", "shutdown", NULL };
static const char *const on_shutdown[] = { "poweroff", "pause", NULL };
static const char *const on_panic[] = { "pause", "shutdown", "exit-failure", "none", NULL };
static const char *const on_watchdog[] = {
	"reset", "shutdown", "poweroff", "inject-nmi", "pause", "debug", "none", NULL,
};

/* [action] next to the [qemu] keys that are its short forms. */
static int action_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const pairs[][2] = {
		{ "watchdog", "watchdog-action" }, { "shutdown", "no-shutdown" },
	};
	const char *v;
	int r = 0;

	for (size_t i = 0; i < 2 && QL_HOST_HAS(api, peek); i++)
		if (api->get_string(ctx, pairs[i][0], &v) > 0 &&
		    api->peek(ctx, "qemu", NULL, pairs[i][1], &v) == 1)
			r = api->error(ctx, pairs[i][0], "also set by [qemu] %s, expected it in one of the two "
				       "sections", pairs[i][1]);
	return r < 0 ? r : api->emit_section(ctx);
}

static const struct ql_key overcommit_keys[] = {
	{ .name = "mem-lock", .kind = QL_KEY_BOOL },
	{ .name = "cpu-pm", .kind = QL_KEY_BOOL },
	{ .name = NULL },
};

static const struct ql_key sandbox_keys[] = {
	{ .name = "enable", .kind = QL_KEY_BOOL, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED },
	{ .name = "obsolete", .kind = QL_KEY_CHOICE, .choices = allow_deny },
	{ .name = "elevateprivileges", .kind = QL_KEY_CHOICE, .choices = elevate },
	{ .name = "spawn", .kind = QL_KEY_CHOICE, .choices = allow_deny },
	{ .name = "resourcecontrol", .kind = QL_KEY_CHOICE, .choices = allow_deny },
	{ .name = NULL },
};

static const struct ql_key msg_keys[] = {
	{ .name = "timestamp", .kind = QL_KEY_BOOL },
	{ .name = "guest-name", .kind = QL_KEY_BOOL },
	{ .name = NULL },
};

static const struct ql_key action_keys[] = {
	{ .name = "reboot", .kind = QL_KEY_CHOICE, .choices = on_reboot },
	{ .name = "shutdown", .kind = QL_KEY_CHOICE, .choices = on_shutdown },
	{ .name = "panic", .kind = QL_KEY_CHOICE, .choices = on_panic },
	{ .name = "watchdog", .kind = QL_KEY_CHOICE, .choices = on_watchdog },
	{ .name = NULL },
};

static const struct ql_section_type runctl_sections[] = {
	{ .name = "overcommit", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_RUNCTL,
	  .option = "-overcommit", QL_KEYS(overcommit_keys) },
	{ .name = "sandbox", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_RUNCTL,
	  .option = "-sandbox", QL_KEYS(sandbox_keys) },
	{ .name = "msg", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_RUNCTL,
	  .option = "-msg", QL_KEYS(msg_keys) },
	{ .name = "action", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_RUNCTL,
	  .option = "-action", QL_KEYS(action_keys), .emit = action_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "runctl",
	.version = "1.0",
	.description = "run control: -overcommit, -sandbox, -msg, -action",
	.sections = runctl_sections,
};
