/*
 * [option.NAME]: one QEMU option that no family writes yet, checked.
 *
 *   [option.NAME]  arg (only for an option that takes an argument)
 *                  -> -NAME ARG   (ARG one argv word, exactly as written)
 *
 * NAME is the option without its dash, spelled (and cased) as QEMU spells
 * it: [option.k] arg = de -> -k de.  It must be an option of QEMU 7.2's
 * qemu-system-x86_64 (the table below); an option a standard family or the
 * core writes is refused with a pointer to that section, so the family's
 * checks cannot be bypassed by accident, and a few others are refused for
 * what they would do (see the table).  ARG is QEMU's whole argument:
 * nothing is escaped, because QEMU 7.2 takes the next argv word as the
 * argument whatever it holds (lookup_opt() in softmmu/vl.c), so it can
 * never become a second option, not even when it starts with '-'.
 * Refused in ARG: nothing (empty), control characters (a newline in a
 * logged command line), and any comma-separated item that is help or ?,
 * or has it as its key or value (QEMU would print help and exit instead
 * of running the VM).
 *
 * Sections come late (QL_ORDER_OPTION: after every family, before the
 * [qemu] switches), in file order.
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum opt_use {
	OPT_FREE,    /* no family writes it: allowed */
	OPT_OWNED,   /* a family or the core writes it: use that section */
	OPT_REFUSED, /* never through here, for the reason given */
};

struct qemu_opt {
	const char *name;    /* without the leading dash, as QEMU spells it */
	unsigned char arg;   /* 1 if QEMU takes an argument after it */
	unsigned char use;   /* enum opt_use */
	const char *owner;   /* OPT_OWNED: the section (and key) that writes
			      * it, as the user writes it; OPT_REFUSED: why,
			      * and what to do instead */
	const char *plugin;  /* OPT_OWNED: the plugin, or NULL for the core */
};

#define FREE(n, a) { n, a, OPT_FREE, NULL, NULL }
#define OWNED(n, a, sec, plg) { n, a, OPT_OWNED, sec, plg }
#define CORE(n, a, sec) { n, a, OPT_OWNED, sec, NULL }
#define REFUSED(n, a, why) { n, a, OPT_REFUSED, why, NULL }

/* The argument-free requests for information: QEMU prints and exits. */
#define PRINTS "prints and exits instead of starting the VM, expected it run outside qlaunch"

/*
 * Every option of QEMU 7.2's qemu-system-x86_64 (Debian 1:7.2+dfsg-7),
 * read from the binary's own option table (name, HAS_ARG and the
 * architecture mask: -g, -prom-env, -semihosting, -semihosting-config and
 * -old-param are other targets' and refused there) and checked against
 * it: every name with an argument answers "requires an argument" alone,
 * every other one runs on to the next word.  Sorted by strcmp (capitals
 * first) for bsearch.  Not in 7.2: -writeconfig, -nodefconfig, -soundhw,
 * -balloon, -tb-size (removed before 7.2), so they are unknown options.
 *
 * Decisions beyond "a family writes it":
 *   - short or legacy forms of an option a family writes (-M, -hda..-hdd,
 *     -fda, -fdb, -cdrom, -sd, -mtdblock, -pflash, -usbdevice, -virtfs,
 *     -net, -monitor, -qmp-pretty, -enable-kvm, -usb, -no-acpi, -no-hpet)
 *     are refused like that option: they skip the same checks ([disk]
 *     wants a format that -hda would let QEMU guess);
 *   - -set changes a property of any other option after qlaunch checked
 *     it, and -readconfig reads options from a file qlaunch never sees:
 *     both would bypass every check;
 *   - -h, -help, -version, -audio-help print and exit, and -dump-vmstate
 *     writes a file and exits: none starts the VM qlaunch was asked for;
 *   - -runas and -chroot change QEMU's user and root directory after it
 *     opened what qlaunch checked, so the paths and fds that checked safe
 *     would mean other files to another user: start qlaunch as that user
 *     (or in that root) instead;
 *   - -plugin loads a shared object into QEMU (host code with QEMU's
 *     privileges, under no family's checks of path or owner);
 *   - -qtest and -qtest-log are QEMU's internal test protocol (not in
 *     -help), whose peer reads and writes guest memory and I/O ports;
 *   - -s opens a GDB server on port 1234 of every interface without
 *     authentication (the rule of [vnc]): -gdb with an address can be
 *     given here, say [option.gdb] arg = tcp:127.0.0.1:1234;
 *   - allowed although a family is near: -mem-path and -mem-prealloc (the
 *     old form of a memory backend; [object.ID] is better), -bios, -audio,
 *     -snapshot, -parallel, -gdb, -trace, -d, -D.
 */
static const struct qemu_opt qemu_opts[] = {
	FREE("D", 1),
	FREE("L", 1),
	REFUSED("M", 1, "is the short form of -machine, expected [machine] (plugin machine)"),
	CORE("S", 0, "[qemu] stopped"),
	OWNED("accel", 1, "[accel.NAME]", "accel"),
	OWNED("acpitable", 1, "[acpitable.NAME]", "tables"),
	OWNED("action", 1, "[action]", "runctl"),
	CORE("add-fd", 1, "[fd.NAME]"),
	OWNED("append", 1, "[kernel] append", "kernel"),
	FREE("async-teardown", 0),
	FREE("audio", 1),
	REFUSED("audio-help", 0, PRINTS),
	OWNED("audiodev", 1, "[audiodev.ID]", "audiodev"),
	FREE("bios", 1),
	OWNED("blockdev", 1, "[blockdev.NODE]", "blockdev"),
	OWNED("boot", 1, "[boot]", "boot"),
	REFUSED("cdrom", 1, "is a short form of -drive, expected [disk.ID] (plugin disk) with media = cdrom"),
	OWNED("chardev", 1, "[chardev.ID]", "chardev"),
	REFUSED("chroot", 1, "changes QEMU's root directory after start-up, so the paths qlaunch checked would "
		"name other files, expected qlaunch itself started in that root"),
	FREE("compat", 1),
	OWNED("cpu", 1, "[cpu]", "cpu"),
	FREE("d", 1),
	CORE("daemonize", 0, "[qemu] daemonize"),
	FREE("debugcon", 1),
	OWNED("device", 1, "[device.ID]", "devices"),
	FREE("dfilter", 1),
	OWNED("display", 1, "[display]", "display"),
	OWNED("drive", 1, "[drive.ID]", "drive"),
	OWNED("dtb", 1, "[kernel] dtb", "kernel"),
	REFUSED("dump-vmstate", 1, "writes a file and exits instead of starting the VM, expected it run outside qlaunch"),
	FREE("echr", 1),
	REFUSED("enable-kvm", 0, "is the short form of -accel kvm, expected [accel.kvm] (plugin accel)"),
	FREE("enable-sync-profile", 0),
	REFUSED("fda", 1, "is a short form of -drive, expected [drive.ID] (plugin drive) with if = floppy"),
	REFUSED("fdb", 1, "is a short form of -drive, expected [drive.ID] (plugin drive) with if = floppy"),
	OWNED("fsdev", 1, "[fsdev.ID]", "fsdev"),
	FREE("full-screen", 0),
	OWNED("fw_cfg", 1, "[fw_cfg.NAME]", "tables"),
	FREE("gdb", 1),
	OWNED("global", 1, "[global.NAME]", "global"),
	REFUSED("h", 0, PRINTS),
	REFUSED("hda", 1, "is a short form of -drive, expected [disk.ID] (plugin disk)"),
	REFUSED("hdb", 1, "is a short form of -drive, expected [disk.ID] (plugin disk)"),
	REFUSED("hdc", 1, "is a short form of -drive, expected [disk.ID] (plugin disk)"),
	REFUSED("hdd", 1, "is a short form of -drive, expected [disk.ID] (plugin disk)"),
	REFUSED("help", 0, PRINTS),
	FREE("icount", 1),
	CORE("incoming", 1, "[qemu] incoming"),
	OWNED("initrd", 1, "[kernel] initrd", "kernel"),
	FREE("iscsi", 1),
	FREE("k", 1),
	OWNED("kernel", 1, "[kernel] path", "kernel"),
	FREE("loadvm", 1),
	OWNED("m", 1, "[memory]", "memory"),
	OWNED("machine", 1, "[machine]", "machine"),
	FREE("mem-path", 1),
	FREE("mem-prealloc", 0),
	OWNED("mon", 1, "[monitor.ID]", "monitor"),
	REFUSED("monitor", 1, "is a short form of -chardev and -mon, expected [chardev.ID] (plugin chardev) and "
		"[monitor.ID] (plugin monitor)"),
	OWNED("msg", 1, "[msg]", "runctl"),
	REFUSED("mtdblock", 1, "is a short form of -drive, expected [drive.ID] (plugin drive) with if = mtd"),
	CORE("name", 1, "[qemu] name"),
	REFUSED("net", 1, "is the legacy form of -netdev and -nic, expected [netdev.ID] (plugin netdev) or "
		"[nic.ID] (plugin nic)"),
	OWNED("netdev", 1, "[netdev.ID]", "netdev"),
	OWNED("nic", 1, "[nic.ID]", "nic"),
	REFUSED("no-acpi", 0, "is the short form of -machine acpi=off, expected [machine] acpi = off (plugin machine)"),
	FREE("no-fd-bootchk", 0),
	REFUSED("no-hpet", 0, "is the short form of -machine hpet=off, expected [machine] hpet = off (plugin machine)"),
	CORE("no-reboot", 0, "[qemu] no-reboot"),
	CORE("no-shutdown", 0, "[qemu] no-shutdown"),
	CORE("no-user-config", 0, "[qemu] no-user-config"),
	CORE("nodefaults", 0, "[qemu] nodefaults"),
	CORE("nographic", 0, "[qemu] nographic"),
	OWNED("numa", 1, "[numa.NAME]", "numa"),
	OWNED("object", 1, "[object.ID]", "objects"),
	FREE("only-migratable", 0),
	FREE("option-rom", 1),
	OWNED("overcommit", 1, "[overcommit]", "runctl"),
	FREE("parallel", 1),
	REFUSED("pflash", 1, "is a short form of -drive, expected [firmware] (plugin firmware)"),
	CORE("pidfile", 1, "[qemu] pidfile"),
	REFUSED("plugin", 1, "loads a shared object into QEMU, host code that no family checks, expected "
		"it run outside qlaunch"),
	FREE("portrait", 0),
	FREE("preconfig", 0),
	OWNED("qmp", 1, "[qmp]", "qmp"),
	REFUSED("qmp-pretty", 1, "is a short form of -chardev and -mon, expected [chardev.ID] (plugin chardev) and "
		"[monitor.ID] (plugin monitor) with mode = control and pretty = on"),
	REFUSED("qtest", 1, "is QEMU's internal test protocol, whose peer reads and writes guest memory and I/O "
		"ports, expected QMP ([qmp], plugin qmp)"),
	REFUSED("qtest-log", 1, "belongs to QEMU's internal test protocol (-qtest), expected QMP ([qmp], plugin qmp)"),
	REFUSED("readconfig", 1, "reads more options from a file that qlaunch does not check, expected those "
		"sections in this file"),
	FREE("rotate", 1),
	OWNED("rtc", 1, "[rtc]", "rtc"),
	REFUSED("runas", 1, "switches QEMU to another user after start-up, so the paths and fds qlaunch checked "
		"would be another user's, expected qlaunch itself started as that user"),
	REFUSED("s", 0, "opens a GDB server on port 1234 of every interface, without authentication, expected "
		"[option.gdb] with an address such as arg = tcp:127.0.0.1:1234"),
	OWNED("sandbox", 1, "[sandbox]", "runctl"),
	REFUSED("sd", 1, "is a short form of -drive, expected [drive.ID] (plugin drive) with if = sd"),
	FREE("seed", 1),
	CORE("serial", 1, "[qemu] serial"),
	REFUSED("set", 1, "changes a property of any other option after qlaunch checked it, expected the key "
		"in the section that writes that option"),
	FREE("singlestep", 0),
	OWNED("smbios", 1, "[smbios.NAME]", "tables"),
	OWNED("smp", 1, "[smp]", "smp"),
	FREE("snapshot", 0),
	OWNED("spice", 1, "[spice]", "display"),
	OWNED("tpmdev", 1, "[tpmdev.ID]", "tpmdev"),
	FREE("trace", 1),
	REFUSED("usb", 0, "is the short form of -machine usb=on, expected [machine] usb = on (plugin machine)"),
	REFUSED("usbdevice", 1, "is a short form of -device, expected [device.ID] (plugin devices)"),
	CORE("uuid", 1, "[qemu] uuid"),
	REFUSED("version", 0, PRINTS),
	OWNED("vga", 1, "[vga]", "vga"),
	REFUSED("virtfs", 1, "is a short form of -fsdev and -device, expected [fsdev.ID] (plugin fsdev) and "
		"[device.ID] (plugin devices)"),
	OWNED("vnc", 1, "[vnc]", "vnc"),
	CORE("watchdog-action", 1, "[qemu] watchdog-action"),
	FREE("win2k-hack", 0),
	FREE("xen-attach", 0),
	FREE("xen-domid", 1),
	FREE("xen-domid-restrict", 0),
};

#define NOPTS (sizeof(qemu_opts) / sizeof(qemu_opts[0]))

static int opt_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct qemu_opt *)elem)->name);
}

/* The option closest to name, by the core's rule for suggestions, or NULL
 * (also from a core without api->suggest). */
static const char *suggest(struct ql_ctx *ctx, const struct ql_host_api *api, const char *name)
{
	const char *names[NOPTS + 1];

	if (!QL_HOST_HAS(api, suggest))
		return NULL;
	for (size_t i = 0; i < NOPTS; i++)
		names[i] = qemu_opts[i].name;
	names[NOPTS] = NULL;
	return api->suggest(ctx, name, names);
}

/* Is s (an item of a comma-separated argument, length n) help or ?. */
static int is_help(const char *s, size_t n)
{
	return (n == 4 && memcmp(s, "help", 4) == 0) || (n == 1 && *s == '?');
}

/*
 * Would QEMU read arg as a request for help: an item (between unescaped
 * commas; ",," is a literal comma) that is help or ?, or whose key or
 * value is ("help=on", "driver=help").  Items are checked for every
 * option, whether or not QEMU parses its argument as a list: a word that
 * is help on its own is never worth the risk.
 */
static int asks_help(const char *arg)
{
	const char *item = arg, *eq = NULL;

	for (const char *p = arg;; p++) {
		if (*p == ',' && p[1] == ',') {
			p++;
			continue;
		}
		if (*p == '=' && !eq)
			eq = p;
		if (*p != ',' && *p)
			continue;
		if (is_help(item, (size_t)((eq ? eq : p) - item)) ||
		    (eq && is_help(eq + 1, (size_t)(p - eq - 1))))
			return 1;
		if (!*p)
			return 0;
		item = p + 1;
		eq = NULL;
	}
}

static int option_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *name = api->section_id(ctx), *arg = NULL, *near, *flag;
	const struct qemu_opt *o;
	int got;

	if (!name)
		return -EINVAL;         /* [option] alone: the core said so */
	got = api->get_string(ctx, "arg", &arg);
	if (got < 0)
		return got;
	o = bsearch(name, qemu_opts, NOPTS, sizeof(qemu_opts[0]), opt_cmp);
	if (!o) {
		near = suggest(ctx, api, name);
		if (near)
			return api->error(ctx, NULL, "unknown QEMU option -%s (did you mean -%s?), expected an option "
					  "of QEMU 7.2's qemu-system-x86_64, spelled as QEMU spells it", name, near);
		return api->error(ctx, NULL, "unknown QEMU option -%s, expected an option of QEMU 7.2's "
				  "qemu-system-x86_64, spelled as QEMU spells it", name);
	}
	if (o->use == OPT_OWNED)
		return api->error(ctx, NULL, "-%s is written by %s (%s%s), expected that %s", name, o->owner,
				  o->plugin ? "plugin " : "core", o->plugin ? o->plugin : "",
				  strchr(o->owner, ' ') ? "key" : "section");
	if (o->use == OPT_REFUSED)
		return api->error(ctx, NULL, "-%s %s", name, o->owner);
	if (!o->arg && got > 0)
		return api->error(ctx, "arg", "-%s takes no argument, expected no arg key", name);
	if (o->arg && got == 0)
		return api->error(ctx, NULL, "missing key 'arg', expected the argument of -%s", name);
	if (o->arg && !*arg)
		return api->error(ctx, "arg", "empty, expected the argument of -%s", name);
	for (const char *p = arg; o->arg && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return api->error(ctx, "arg", "control character 0x%02x in the argument, expected printable "
					  "text", (unsigned)(unsigned char)*p);
	if (o->arg && asks_help(arg))
		return api->error(ctx, "arg", "'%s' would ask QEMU for help and exit, expected an argument that "
				  "starts the VM", arg);
	if (!(flag = api->format(ctx, "-%s", name)))
		return -ENOMEM;
	got = api->arg(ctx, flag);
	if (got == 0 && o->arg)
		got = api->arg(ctx, arg);
	return got;
}

static const struct ql_key option_keys[] = {
	{ .name = "arg", .kind = QL_KEY_STRING, .flags = QL_KEY_HOOK },
	{ .name = NULL },
};

static const struct ql_section_type option_sections[] = {
	{ .name = "option", .flags = QL_SECTION_MULTI, .order = QL_ORDER_OPTION,
	  QL_KEYS(option_keys), .emit = option_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "option",
	.version = "1.0",
	.description = "one checked QEMU option that no family writes yet (-NAME ARG)",
	.sections = option_sections,
};
