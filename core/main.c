/*
 * qlaunch: turn an INI description of a virtual machine into a QEMU
 * command line, with option plugins, and run it.
 */
#include <qlconfig.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#ifdef HAVE_GETAUXVAL
#include <sys/auxv.h>
#endif

#include "build.h"
#include "capcheck.h"
#include "config.h"
#include "desc.h"
#include "diag.h"
#include "exec.h"
#include "explain.h"
#include "fds.h"
#include "include.h"
#include "lifecycle.h"
#include "output.h"
#include "plgindex.h"
#include "plugin.h"
#include "probe.h"
#include "pset.h"
#include "qemu.h"
#include "start.h"

#include <json.h>

#if !defined(PLUGINDIR) || !defined(SYSCONFDIR)
#error "PLUGINDIR and SYSCONFDIR must be defined by the build"
#endif

#define DEFAULT_PLUGIN_SET SYSCONFDIR "/qlaunch/qlaunch.conf"

enum {
	EXIT_INVALID = 1,
	EXIT_USAGE = 2,
};

enum command {
	CMD_NONE, CMD_PRINT, CMD_CHECK, CMD_RUN, CMD_PLUGINS, CMD_INDEX,
	CMD_WAIT, CMD_STATUS, CMD_STOP, CMD_QMP, CMD_START, CMD_PROBE,
};

/* wait, status, stop and qmp talk to a running QEMU (lifecycle.h) */
static int lifecycle_cmd(enum command c)
{
	return c == CMD_WAIT || c == CMD_STATUS || c == CMD_STOP || c == CMD_QMP;
}

struct options {
	enum command cmd;
	const char *config;
	struct strv plugin_dirs;
	struct strv fd_bindings;   /* "NAME=N" from --fd */
	const char *plugin_set;    /* --plugin-set, NULL: the default file */
	const char *qemu;          /* --qemu */
	int allow_unsafe;          /* --allow-unsafe-plugins */
	const char *const *names;  /* plugins NAME..., index DIR... */
	size_t nnames;
	enum out_format format;
	int format_set;
	int explain;               /* print --explain */
	int no_probe;              /* check --no-probe */
	const char *qmp_path;      /* --qmp */
	int timeout_ms;            /* --timeout, -1 if not given */
	const char *qmp_command;   /* qmp COMMAND */
	const char *qmp_args;      /* qmp COMMAND JSON, or NULL */
	json_object *qmp_json;     /* it parsed (owned) */
};

static const char usage_text[] =
	"Usage: qlaunch [OPTION]... COMMAND [CONFIG]\n"
	"Turn an INI description of a virtual machine into a QEMU command line.\n"
	"\n"
	"Commands:\n"
	"  print CONFIG     print the QEMU command line that 'run' would execute\n"
	"  check CONFIG     validate CONFIG; print nothing if it is valid\n"
	"  run CONFIG       replace qlaunch with QEMU (same pid, QEMU's exit status)\n"
	"  start CONFIG     start QEMU, wait until it answers QMP, print its pid and\n"
	"                   leave it running; if it fails, its errors at their INI lines\n"
	"  plugins [NAME]...  list the plugins (or these), and those not loaded\n"
	"  index [DIR]...   write the plugin index of each DIR (default: the\n"
	"                   built-in plugin directory)\n"
	"  wait CONFIG      wait until QEMU answers on the config's [qmp] socket\n"
	"  status CONFIG    print whether QEMU runs and the guest's state\n"
	"  stop CONFIG      power the guest down; quit QEMU after the timeout\n"
	"  qmp CONFIG COMMAND [JSON]  run a QMP command, print its reply as JSON\n"
	"  probe            ask the QEMU binary what it has (cached), print a summary\n"
	"\n"
	"Options:\n"
	"  -P, --plugin-dir DIR   look for plugins in DIR first (repeatable)\n"
	"  -f, --fd NAME=N        hand inherited fd N to QEMU as [fd.NAME] (repeatable)\n"
	"  -q, --qemu PATH        run this QEMU binary (overrides [qemu] binary)\n"
	"      --allow-unsafe-plugins  load plugin files others may write\n"
	"  -s, --plugin-set FILE  use this plugin set ('none': none) instead of\n"
	"                         " DEFAULT_PLUGIN_SET "\n"
	"  -0, --null             print: one argument per NUL-terminated word\n"
	"  -j, --json             print: a JSON array of strings; probe: all it knows\n"
	"      --no-probe         check: do not compare the config with the QEMU binary\n"
	"  -e, --explain          print: each option after the section and the\n"
	"                         file and line of each key that made it\n"
	"  -t, --timeout S        wait, status, stop, qmp, start: give up after S\n"
	"                         seconds (defaults 30, 10, 60, 10, 30)\n"
	"      --qmp PATH         wait, status, stop, qmp: talk to the QMP socket\n"
	"                         PATH (CONFIG may then be left out)\n"
	"  -h, --help             show this help and exit\n"
	"  -V, --version          show the version and plugin ABI and exit\n"
	"\n"
	"Plugins are searched in --plugin-dir, then $QLAUNCH_PLUGIN_PATH\n"
	"(colon-separated), then the plugin set's path or " PLUGINDIR ".\n"
	"Exit status: 0 ok, 1 invalid configuration, 2 usage error,\n"
	"126 QEMU cannot be executed, 127 QEMU not found; status and stop:\n"
	"3 the guest is not running (stop: QEMU had to be quit), 4 no QEMU.\n"
	"See qlaunch(1) and qlaunch.ini(5).\n";

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("qlaunch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'qlaunch --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/* Like a compiler, stop after this many messages: a file that is not a
 * config at all (or a wrong --plugin-set) is clear from the first ones. */
#define MAX_SHOWN 50

/* Warnings and errors, each sorted by line (dg_sort), merged by line: a
 * user reads the file's problems top to bottom. */
static void print_diag(const struct diag *dg)
{
	size_t w = 0, e = 0, nw = dg->warns.n, ne = dg->msgs.n;

	while (w < nw || e < ne) {
		int warn = e >= ne || (w < nw && dg->warn_lines[w] <= dg->lines[e]);

		if (warn ? w < MAX_SHOWN : e < MAX_SHOWN)
			fprintf(stderr, "%s\n", warn ? dg->warns.v[w] : dg->msgs.v[e]);
		if (warn)
			w++;
		else
			e++;
	}
	if (nw > MAX_SHOWN)
		fprintf(stderr, "qlaunch: %zu more warnings not shown (%zu in all)\n", nw - MAX_SHOWN, nw);
	if (ne > MAX_SHOWN)
		fprintf(stderr, "qlaunch: %zu more errors not shown (%zu in all)\n",
			dg->msgs.n - MAX_SHOWN, dg->msgs.n);
	if (dg->oom)
		fputs("qlaunch: out of memory\n", stderr);
}

static int write_all(const char *buf, size_t len)
{
	if (len && fwrite(buf, 1, len, stdout) != len)
		return -EIO;
	return fflush(stdout) == 0 ? 0 : -EIO;
}

/* --timeout S: seconds, a fraction allowed, into milliseconds. */
static int parse_timeout(const char *s, int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0 || v > INT_MAX / 1000)
		return -EINVAL;
	*ms = (int)(v * 1000 + 0.5);
	return 0;
}

/*
 * The arguments after wait, status, stop or qmp: [CONFIG] (CONFIG only
 * without --qmp), then for qmp COMMAND [JSON].  -1 to go on, or an exit
 * status.
 */
static int lifecycle_args(int n, char **args, struct options *o)
{
	const char *name = args[-1];
	int want = o->qmp_path ? 0 : 1;

	if (o->cmd == CMD_QMP) {
		if (n < want + 1 || n > want + 2)
			return usage_error(o->qmp_path ? "'qmp' needs a COMMAND and at most one JSON argument" :
					   "'qmp' needs a CONFIG file, a COMMAND and at most one JSON argument");
		o->config = want ? args[0] : NULL;
		o->qmp_command = args[want];
		o->qmp_args = n == want + 2 ? args[want + 1] : NULL;
		if (!*o->qmp_command)
			return usage_error("'qmp' needs a COMMAND, got ''");
		return -1;
	}
	if (n == 1)
		o->config = args[0];
	else if (n != want)
		return usage_error(o->qmp_path ? "'%s' takes at most one CONFIG file" :
				   "'%s' needs exactly one CONFIG file (or --qmp PATH)", name);
	return -1;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "plugin-dir", required_argument, NULL, 'P' },
		{ "fd", required_argument, NULL, 'f' },
		{ "qemu", required_argument, NULL, 'q' },
		{ "plugin-set", required_argument, NULL, 's' },
		{ "allow-unsafe-plugins", no_argument, NULL, 'U' },
		{ "null", no_argument, NULL, '0' },
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "qmp", required_argument, NULL, 'Q' },
		{ "no-probe", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct { const char *name; enum command cmd; } cmds[] = {
		{ "print", CMD_PRINT }, { "check", CMD_CHECK },
		{ "run", CMD_RUN }, { "plugins", CMD_PLUGINS }, { "index", CMD_INDEX },
		{ "wait", CMD_WAIT }, { "status", CMD_STATUS }, { "stop", CMD_STOP },
		{ "qmp", CMD_QMP }, { "start", CMD_START }, { "probe", CMD_PROBE },
	};
	int c, nargs;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":P:f:q:s:0jet:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (!*optarg)
				return usage_error("--plugin-dir needs a directory");
			if (sv_push(&o->plugin_dirs, optarg) < 0)
				return usage_error("out of memory");
			break;
		case 'f':
			if (sv_push(&o->fd_bindings, optarg) < 0)
				return usage_error("out of memory");
			break;
		case 'q':
			o->qemu = optarg;
			break;
		case 'U':
			o->allow_unsafe = 1;
			break;
		case 's':
			if (!*optarg)
				return usage_error("--plugin-set needs a file name, or 'none' for no plugin set");
			o->plugin_set = optarg;
			break;
		case '0':
		case 'j':
		case 'e':
			if (o->format_set)
				return usage_error("--null, --json and --explain exclude each other");
			o->format = c == '0' ? OUT_NULL : OUT_JSON;
			o->explain = c == 'e';
			o->format_set = 1;
			break;
		case 't':
			if (parse_timeout(optarg, &o->timeout_ms) < 0)
				return usage_error("--timeout needs a number of seconds such as 30 or 0.5, "
						   "got '%s'", optarg);
			break;
		case 'Q':
			if (!*optarg)
				return usage_error("--qmp needs the path of a QMP socket");
			o->qmp_path = optarg;
			break;
		case 'N':
			o->no_probe = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("qlaunch %s (plugin ABI %d.%d)\n", PACKAGE_VERSION,
			       QL_ABI_MAJOR, QL_ABI_MINOR);
			return 0;
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	nargs = argc - optind;
	if (nargs == 0)
		return usage_error("no command given");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[optind], cmds[i].name) == 0)
			o->cmd = cmds[i].cmd;
	if (o->cmd == CMD_NONE)
		return usage_error("unknown command '%s'", argv[optind]);
	if (o->cmd == CMD_PLUGINS || o->cmd == CMD_INDEX) {
		o->names = (const char *const *)argv + optind + 1;
		o->nnames = (size_t)nargs - 1;
	} else if (lifecycle_cmd(o->cmd)) {
		int r = lifecycle_args(argc - optind - 1, argv + optind + 1, o);

		if (r >= 0)
			return r;
	} else if (o->cmd == CMD_PROBE) {
		if (nargs != 1)
			return usage_error("'probe' takes no arguments (--qemu PATH names the binary)");
	} else if (nargs != 2) {
		return usage_error("'%s' needs exactly one CONFIG file", argv[optind]);
	} else {
		o->config = argv[optind + 1];
	}
	if (o->format_set && o->cmd == CMD_PROBE && (o->format != OUT_JSON || o->explain))
		return usage_error("'probe' takes --json, not --null or --explain");
	if (o->format_set && o->cmd != CMD_PRINT && o->cmd != CMD_PROBE)
		return usage_error("--null, --json and --explain apply to 'print' only (and --json to 'probe')");
	if (o->no_probe && o->cmd != CMD_CHECK)
		return usage_error("--no-probe applies to 'check' only ('print' and 'run' never probe)");
	if (o->qmp_path && !lifecycle_cmd(o->cmd))
		return usage_error("--qmp applies to 'wait', 'status', 'stop' and 'qmp' only");
	if (o->timeout_ms >= 0 && !lifecycle_cmd(o->cmd) && o->cmd != CMD_START)
		return usage_error("--timeout applies to 'wait', 'status', 'stop', 'qmp' and 'start' only");
	if (o->qemu && lifecycle_cmd(o->cmd))
		return usage_error("--qemu applies to 'print', 'check', 'run', 'start' and 'probe' only");
	if (o->fd_bindings.n && (o->cmd == CMD_PLUGINS || o->cmd == CMD_INDEX || o->cmd == CMD_PROBE ||
				 lifecycle_cmd(o->cmd)))
		return usage_error("--fd applies to 'print', 'check', 'run' and 'start' only");
	if (o->cmd == CMD_INDEX && (o->plugin_dirs.n || o->plugin_set || o->qemu))
		return usage_error("'index' takes its directories as arguments, "
				   "not --plugin-dir, --plugin-set or --qemu");
	if (o->qmp_args) {
		char err[1024];

		if (lc_parse_arguments(o->qmp_args, &o->qmp_json, err, sizeof(err)) < 0)
			return usage_error("%s", err);
	}
	return -1;
}

/* Did the kernel start us with privileges the caller does not have? */
static int secure_mode(void)
{
#ifdef HAVE_GETAUXVAL
	return getauxval(AT_SECURE) != 0;
#else
	return getuid() != geteuid() || getgid() != getegid();
#endif
}

static const char *env_var(const char *name)
{
#ifdef HAVE_SECURE_GETENV
	return secure_getenv(name);
#else
	return getuid() == geteuid() && getgid() == getegid() ? getenv(name) : NULL;
#endif
}

/* The plugin set: --plugin-set FILE, else $QLAUNCH_PLUGIN_SET, else the
 * default file if it exists; "none" means no set. */
static int load_pset(const struct options *o, struct diag *dg, struct pset *ps)
{
	const char *file = o->plugin_set ? o->plugin_set : env_var("QLAUNCH_PLUGIN_SET");

	memset(ps, 0, sizeof(*ps));
	if (file && !*file && !o->plugin_set)
		file = NULL;            /* QLAUNCH_PLUGIN_SET= is unset */
	if (file && strcmp(file, "none") == 0)
		return 0;
	if (!file && access(DEFAULT_PLUGIN_SET, F_OK) < 0)
		return 0;
	return pset_load(file ? file : DEFAULT_PLUGIN_SET, dg, ps);
}

static int load_plugins(const struct options *o, const struct pset *ps,
			struct diag *dg, struct plg_set **set)
{
	struct strv path = STRV_INIT;
	struct plg_filter filter;
	int r;

	const char *env = env_var("QLAUNCH_PLUGIN_PATH");

	/* the set's directories stand in for the built-in one */
	r = plg_search_path((const char *const *)o->plugin_dirs.v,
			    o->plugin_dirs.n, env, ps->dirs.n ? NULL : PLUGINDIR, &path);
	for (size_t i = 0; i < ps->dirs.n && r == 0; i++) {
		struct strbuf sb = STRBUF_INIT;

		r = sb_printf(&sb, "?%s", ps->dirs.v[i]);
		if (r == 0)
			r = sv_take(&path, sb_detach(&sb));
		sb_release(&sb);
	}
	pset_filter(ps, &filter);
	filter.allow_unsafe = o->allow_unsafe;
	/* print, check and run load only what the config uses (plgindex.h) */
	filter.lazy = o->cmd != CMD_PLUGINS;
	filter.builtins = plg_builtins;
	if (r == 0)
		r = plg_load_all(&path, &filter, bld_core_types, dg, set);
	sv_release(&path);
	return r;
}

/* Is the plugin called name (or at path, for one not loaded) asked for? */
static int wanted(const struct options *o, const char *name, const char *path)
{
	char stem[256];

	if (!name && strncmp(path, "built-in ", 9) == 0) {
		name = path + 9;
	} else if (!name) {
		const char *base = strrchr(path, '/');

		base = base ? base + 1 : path;
		snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(base) - 3), base);
		name = stem;
	}
	for (size_t i = 0; i < o->nnames; i++)
		if (strcmp(o->names[i], name) == 0)
			return 1;
	return o->nnames == 0;
}

static int cmd_plugins(const struct options *o, const struct pset *ps,
		       const struct plg_set *set, struct diag *dg)
{
	size_t errors = dg->msgs.n;

	for (size_t i = 0; i < o->nnames; i++) {
		int found = 0;

		for (size_t j = 0; j < set->n && !found; j++)
			found = strcmp(set->v[j].desc.name, o->names[i]) == 0;
		for (size_t j = 0; j < set->nskipped && !found; j++) {
			struct options one = { .names = &o->names[i], .nnames = 1 };

			found = wanted(&one, NULL, set->skipped[j].path);
		}
		if (!found)
			dg_error(dg, NULL, 0, NULL, NULL,
				 "no plugin named '%s' on the plugin search path", o->names[i]);
	}
	if (dg->msgs.n > errors)
		return EXIT_INVALID;
	if (ps->path)
		printf("plugin set: %s (%s)\n", ps->name, ps->path);
	else
		printf("plugin set: none (every plugin on the search path)\n");
	printf("%-12s %-8s %5s  %-24s %s\n", "NAME", "VERSION", "ORDER", "SECTIONS", "PATH");
	for (size_t i = 0; i < set->n; i++) {
		const struct plg *p = &set->v[i];
		struct strbuf secs = STRBUF_INIT;

		if (!wanted(o, p->desc.name, NULL))
			continue;
		for (const struct ql_section_type *t = p->desc.sections; t->name; t++)
			sb_printf(&secs, "%s%s%s", secs.len ? "," : "", t->name,
				  t->flags & QL_SECTION_SINGLE ? (t->flags & QL_SECTION_MULTI ? "[.ID]" : "") : ".ID");
		printf("%-12s %-8s %5d  %-24s %s\n", p->desc.name, p->desc.version,
		       dsc_order(&p->desc), secs.buf ? secs.buf : "",
		       p->builtin ? "built-in" : p->path);
		sb_release(&secs);
	}
	for (size_t i = 0; i < set->nskipped; i++)
		if (wanted(o, NULL, set->skipped[i].path))
			printf("not loaded: %s: %s\n", set->skipped[i].path, set->skipped[i].reason);
	return fflush(stdout) == 0 ? 0 : EXIT_INVALID;
}

static int check_with_probe(struct cfg *cfg, const struct plg_set *set, const struct launch *l,
			    struct diag *dg);

static int cmd_build(const struct options *o, const struct pset *ps,
		     struct plg_set *set, struct diag *dg)
{
	static const enum ql_mode modes[] = {
		[CMD_PRINT] = QL_MODE_PRINT, [CMD_CHECK] = QL_MODE_CHECK,
		[CMD_RUN] = QL_MODE_RUN, [CMD_START] = QL_MODE_RUN,
	};
	struct launch l = { STRV_INIT, FDP_TABLE_INIT, STRV_INIT, ARENA_INIT, NULL, 0 };
	struct strbuf out = STRBUF_INIT;
	struct cfg *cfg = NULL;
	size_t bad = 0;
	int status = EXIT_INVALID, r;

	static const char *const core_single[] = { QEMU_SECTION, NULL };

	if ((r = inc_load(o->config, dg, &cfg)) < 0) {
		dg->oom |= r == -ENOMEM;
		goto out;
	}
	/* command line > config file > its base files > plugin-set defaults
	 * > built-in */
	if (pset_apply(ps, set, core_single, cfg, dg) < 0 ||
	    (o->qemu && cfg_set_key(cfg, QEMU_SECTION, "binary", o->qemu, "--qemu") < 0))
		goto out;
	if ((r = plg_load_used(set, cfg, dg)) < 0) {
		dg->oom |= r == -ENOMEM;
		goto out;
	}
	r = bld_launch(cfg, set, modes[o->cmd], QEMU_BINARY, &o->fd_bindings, dg, &l);
	if (r == -ENOMEM)
		dg->oom = 1;
	if (o->cmd == CMD_CHECK && !o->no_probe && r != -ENOMEM &&
	    check_with_probe(cfg, set, r == 0 ? &l : NULL, dg) < 0 && r == 0)
		r = -EINVAL;
	if (r == -ENOENT || r == -ENOTDIR)
		status = 127;
	else if (r < 0 && r != -EINVAL && r != -ENOMEM)
		status = 126;
	if (r < 0)
		goto out;
	switch (o->cmd) {
	case CMD_CHECK:
		status = 0;
		break;
	case CMD_PRINT:
		r = o->explain ? xp_explain(&l, cfg, &out) : out_render(&l.argv, o->format, &out, &bad);
		if (r == -EILSEQ)
			dg_error(dg, o->config, 0, NULL, NULL,
				 "argument %zu is not valid UTF-8 and cannot be printed as JSON; use --null", bad);
		else if (r < 0 || write_all(out.buf, out.len) < 0)
			dg_error(dg, NULL, 0, NULL, NULL, "cannot write the command line: %s",
				 strerror(r < 0 ? -r : EIO));
		else
			status = 0;
		break;
	case CMD_RUN:
		fflush(NULL);
		status = ex_exec(&l, dg);
		/* only back here if the exec failed: what the run made goes */
		fdp_undo(&l.fds);
		fdt_unlink(&l.created);
		break;
	case CMD_START:
		status = st_start(&l, cfg, o->timeout_ms, dg);
		break;
	default:
		break;
	}
out:
	sb_release(&out);
	launch_release(&l);
	cfg_free(cfg);
	return status;
}

static void print_warnings(const struct strv *w)
{
	for (size_t i = 0; i < w->n; i++)
		fprintf(stderr, "qlaunch: warning: %s\n", w->v[i]);
}

/* Is binary a file that could be run (as run would check it)? */
static int executable(const char *binary)
{
	struct stat st;

	return stat(binary, &st) == 0 && S_ISREG(st.st_mode) && access(binary, X_OK) == 0;
}

/*
 * check's comparison of the config with the binary it names (capcheck.h),
 * when that binary is executable.  A binary that cannot be probed (not a
 * QEMU, say) is a warning: the config was not compared with it.  0, or
 * -EINVAL if something was reported, -ENOMEM.
 */
static int check_with_probe(struct cfg *cfg, const struct plg_set *set, const struct launch *l,
			    struct diag *dg)
{
	struct diag scratch = DIAG_INIT;
	const struct cfg_section *qsec = NULL;
	const char *binary = NULL;
	struct prb_want *want = NULL;
	struct prb p;
	char err[1024];
	size_t n = 0;
	int r = 0;

	memset(&p, 0, sizeof(p));
	for (size_t i = 0; i < cfg->nsections; i++)
		if (!cfg->sections[i].removed && strcmp(cfg->sections[i].type, QEMU_SECTION) == 0)
			qsec = &cfg->sections[i];
	if (qemu_binary(cfg, qsec, QEMU_BINARY, &scratch, &binary) < 0 || !executable(binary))
		goto out;       /* bld_launch said what is wrong with it, if anything */
	if ((r = cap_wants(cfg, &want, &n)) < 0)
		goto out;
	r = prb_get(binary, want, n, NULL, &p, err, sizeof(err));
	if (r == -ENOMEM)
		goto out;
	print_warnings(&p.warnings);
	if (r < 0) {
		fprintf(stderr, "qlaunch: warning: cannot probe %s, so the config was not compared with "
			"what it has: %s\n", binary, err);
		r = 0;
		goto out;
	}
	r = cap_check(cfg, &set->reg, &p, binary, dg);
	/* what plugins wrote themselves, once the launch is built */
	if (l && r != -ENOMEM) {
		int ra = cap_check_argv(l, cfg, &p, binary, dg);

		r = ra == -ENOMEM || r == 0 ? ra : r;
	}
out:
	dg->oom |= r == -ENOMEM;
	free(want);
	prb_release(&p);
	dg_release(&scratch);
	return r;
}

/* probe [--qemu PATH] [--json]: what the binary has, from the cache or
 * asked now. */
static int cmd_probe(const struct options *o, struct diag *dg)
{
	static const struct { const char *name; enum prb_list which; } lists[] = {
		{ "machine types", PRB_MACHINES }, { "CPU models", PRB_CPUS },
		{ "device types", PRB_DEVICES }, { "object types", PRB_OBJECTS },
	};
	const char *binary = o->qemu ? o->qemu : QEMU_BINARY;
	struct json_object *v;
	struct prb p;
	char err[1024];
	int r, status = EXIT_INVALID;

	if (binary[0] != '/')
		return usage_error("--qemu needs an absolute path, got '%s'", binary);
	r = prb_get(binary, NULL, 0, NULL, &p, err, sizeof(err));
	if (r < 0) {
		dg_error(dg, NULL, 0, NULL, NULL, "qlaunch: cannot probe %s", err);
		dg->oom |= r == -ENOMEM;
		return r == -ENOENT ? 127 : EXIT_INVALID;
	}
	print_warnings(&p.warnings);
	if (o->format == OUT_JSON) {
		const char *text = json_object_to_json_string_ext(p.root, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);

		if (text && printf("%s\n", text) >= 0 && fflush(stdout) == 0)
			status = 0;
		goto out;
	}
	printf("binary: %s\n", binary);
	printf("version: %s", json_object_object_get_ex(p.root, "version", &v) ? json_object_get_string(v) : "?");
	if (json_object_object_get_ex(p.root, "package", &v) && *json_object_get_string(v))
		printf(" (%s)", json_object_get_string(v));
	printf("\ncache: %s (%s)\n", p.cache_file ? p.cache_file : "none",
	       p.from_cache ? "read, no QEMU started" : p.cache_file ? "probed now" : "probed now, not cached");
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		const char **names = prb_names(&p, lists[i].which);
		size_t n = 0;

		while (names && names[n])
			n++;
		printf("%s: %zu\n", lists[i].name, n);
		free(names);
	}
	static const struct { const char *name; enum prb_list which; } words[] = {
		{ "accelerators", PRB_ACCELS }, { "display back-ends", PRB_DISPLAYS },
		{ "audio drivers", PRB_AUDIODEV_DRIVERS },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char **names = prb_names(&p, words[i].which);

		printf("%s:", words[i].name);
		for (size_t j = 0; names && names[j]; j++)
			printf(" %s", names[j]);
		putchar('\n');
		free(names);
	}
	status = fflush(stdout) == 0 ? 0 : EXIT_INVALID;
out:
	prb_release(&p);
	return status;
}

/* wait, status, stop, qmp: the config's socket (loaded as print loads
 * it, plugin-set defaults too), or --qmp's. */
static int cmd_lifecycle(const struct options *o, const struct pset *ps,
			 const struct plg_set *set, struct diag *dg)
{
	static const enum lc_command cmds[] = {
		[CMD_WAIT] = LC_WAIT, [CMD_STATUS] = LC_STATUS, [CMD_STOP] = LC_STOP,
		[CMD_QMP] = LC_QMP,
	};
	static const char *const core_single[] = { QEMU_SECTION, NULL };
	struct lc_request rq = {
		.cmd = cmds[o->cmd], .config = o->config, .qmp_path = o->qmp_path,
		.timeout_ms = o->timeout_ms, .command = o->qmp_command,
	};
	struct cfg *cfg = NULL;
	int status = EXIT_INVALID, r;

	rq.args = o->qmp_json;
	if (o->config) {
		if ((r = inc_load(o->config, dg, &cfg)) < 0) {
			dg->oom |= r == -ENOMEM;
			goto out;
		}
		if (pset_apply(ps, set, core_single, cfg, dg) < 0)
			goto out;
		rq.cfg = cfg;
	}
	status = lc_run(&rq, dg);
out:
	cfg_free(cfg);
	return status;
}

/* Write the index of each directory (or of the built-in one), loading
 * every plugin there as 'plugins' would, with no plugin set. */
static int cmd_index(const struct options *o, struct diag *dg)
{
	static const char *const deflt[] = { PLUGINDIR, NULL };
	const char *const *dirs = o->nnames ? o->names : deflt;
	struct plg_filter filter = { .allow_unsafe = o->allow_unsafe };
	int status = 0;

	for (; *dirs; dirs++) {
		struct strv path = STRV_INIT;
		struct plg_set *set = NULL;
		int r = plg_search_path(dirs, 1, NULL, NULL, &path);   /* one, required */

		if (r == 0)
			r = plg_load_all(&path, &filter, bld_core_types, dg, &set);
		if (r == 0)
			r = pix_write(*dirs, set, dg);
		dg->oom |= r == -ENOMEM;
		if (r < 0)
			status = EXIT_INVALID;
		plg_set_free(set);
		sv_release(&path);
	}
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { .plugin_dirs = STRV_INIT, .fd_bindings = STRV_INIT,
			     .format = OUT_SHELL, .timeout_ms = -1 };
	struct diag dg = DIAG_INIT;
	struct plg_set *set = NULL;
	struct pset ps;
	int status;

	memset(&ps, 0, sizeof(ps));     /* released at out, whatever happens */
	/* Set-user-ID or set-group-ID: the command line, the environment and
	 * the config are the caller's, and they name the binary to exec and
	 * the plugins to load.  No subset of that is safe to run with the
	 * file owner's rights, so a privileged copy does nothing. */
	if (secure_mode()) {
		fputs("qlaunch: refusing to run set-user-ID or set-group-ID: the caller chooses the QEMU "
		      "binary, the config and the plugins, expected qlaunch to be started with the rights "
		      "it should have (by root, sudo or a service manager)\n", stderr);
		return EXIT_INVALID;
	}
	/* before anything is opened: fds 0-2 must not be handed out */
	if (ex_std_fds() < 0)
		return EXIT_INVALID;
	status = parse_args(argc, argv, &o);

	if (status >= 0)
		goto out;
	status = EXIT_INVALID;
	if (o.cmd == CMD_INDEX) {
		status = cmd_index(&o, &dg);
		goto out;
	}
	if (o.cmd == CMD_PROBE) {
		status = cmd_probe(&o, &dg);
		goto out;
	}
	if (lifecycle_cmd(o.cmd) && !o.config) {
		status = cmd_lifecycle(&o, &ps, NULL, &dg);   /* --qmp: no config to read */
		goto out;
	}
	if (load_pset(&o, &dg, &ps) < 0)
		goto out;
	if (load_plugins(&o, &ps, &dg, &set) < 0) {
		/* still show what did load: it helps find the bad one */
		if (o.cmd == CMD_PLUGINS && set)
			cmd_plugins(&o, &ps, set, &dg);
		goto out;
	}
	if (o.cmd == CMD_PLUGINS)
		status = cmd_plugins(&o, &ps, set, &dg);
	else if (lifecycle_cmd(o.cmd))
		status = cmd_lifecycle(&o, &ps, set, &dg);
	else
		status = cmd_build(&o, &ps, set, &dg);
out:
	dg_sort(&dg);
	print_diag(&dg);
	dg_release(&dg);
	plg_set_free(set);
	pset_release(&ps);
	sv_release(&o.plugin_dirs);
	sv_release(&o.fd_bindings);
	json_object_put(o.qmp_json);
	return status;
}
