/*
 * The plugin SDK as the core implements it: descriptors read across
 * struct sizes (core/desc.c), every key kind and flag as the core checks
 * and emits it (core/section.c), and every host API function with every
 * NULL argument (core/host.c).  The plugins here live in this program and
 * reach the loader the way built-in plugins do.
 */
#include <qlconfig.h>

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "desc.h"
#include "host.h"
#include "plugin.h"
#include "seed.h"
#include "testutil.h"

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

/* --- a plugin with every kind of key ------------------------------------ */

static const char *const colours[] = { "red", "green", "blue", NULL };

static const struct ql_key kinds_keys[] = {
	{ .name = "head", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD, .dflt = "dflt" },
	{ .name = "early", .kind = QL_KEY_STRING, .flags = QL_KEY_EARLY, .qemu = "Early" },
	{ .name = "n", .kind = QL_KEY_UINT, .min = 2, .max = 9 },
	{ .name = "big", .kind = QL_KEY_UINT, .min = 1 },
	{ .name = "mem", .kind = QL_KEY_SIZE, .unit = 1024 * 1024 },
	{ .name = "bytes", .kind = QL_KEY_SIZE },
	{ .name = "rawmem", .kind = QL_KEY_SIZE, .unit = 1024, .flags = QL_KEY_RAW },
	{ .name = "flag", .kind = QL_KEY_BOOL },
	{ .name = "rawflag", .kind = QL_KEY_BOOL, .flags = QL_KEY_RAW },
	{ .name = "colour", .kind = QL_KEY_CHOICE, .choices = colours },
	{ .name = "peer", .kind = QL_KEY_REF, .ref = "tkind" },
	{ .name = "fwd", .kind = QL_KEY_LIST, .qemu = "hostfwd" },
	{ .name = "file", .kind = QL_KEY_PATH },
	{ .name = "hidden", .kind = QL_KEY_STRING, .flags = QL_KEY_HOOK },
	{ .name = "arg", .kind = QL_KEY_PATH, .flags = QL_KEY_ARG, .qemu = "-karg" },
	{ .name = "switch", .kind = QL_KEY_BOOL, .flags = QL_KEY_ARG, .qemu = "-kswitch" },
	{ .name = NULL },
};

static const struct ql_key need_keys[] = {
	{ .name = "a", .kind = QL_KEY_UINT, .flags = QL_KEY_REQUIRED, .max = 3 },
	{ .name = "b", .kind = QL_KEY_CHOICE, .flags = QL_KEY_REQUIRED, .choices = colours },
	{ .name = "c", .kind = QL_KEY_REF, .flags = QL_KEY_REQUIRED, .ref = "tkind" },
	{ .name = "d", .kind = QL_KEY_STRING, .flags = QL_KEY_REQUIRED, .what = "a d" },
	{ .name = NULL },
};

static const struct ql_key empty_keys[] = {
	{ .name = "a", .kind = QL_KEY_STRING }, { .name = "b", .kind = QL_KEY_BOOL }, { .name = NULL },
};

/* A hook that sees what the core found: an invalid key reads as -EINVAL,
 * without a second message. */
static int need_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	uint64_t a;
	int r = api->get_uint(ctx, "a", 0, 3, &a);

	if (r < 0)
		return r;
	return api->arg(ctx, api->format(ctx, "a=%llu", (unsigned long long)a));
}

/* Only the generic emitter: it leaves the QL_KEY_HOOK key out. */
static int kinds_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	return api->emit_section(ctx);
}

static const struct ql_section_type kinds_sections[] = {
	{ .name = "tkind", .flags = QL_SECTION_MULTI | QL_SECTION_SINGLE | QL_SECTION_PASS,
	  .order = 500, .option = "-kind", .id_key = "id", QL_KEYS(kinds_keys), .emit = kinds_emit },
	{ .name = "tneed", .flags = QL_SECTION_SINGLE, .order = 400, QL_KEYS(need_keys),
	  .emit = need_emit },
	{ .name = "tempty", .flags = QL_SECTION_SINGLE, .order = 600, .option = "-e",
	  QL_KEYS(empty_keys) },
	{ .name = NULL },
};

static const struct ql_plugin kinds_plugin = {
	QL_PLUGIN_HEADER,
	.name = "tkinds",
	.version = "0",
	.description = "every kind of key",
	.sections = kinds_sections,
};

static const struct plg_builtin kinds_builtin[] = {
	{ "tkinds", &kinds_plugin },
	{ NULL, NULL },
};

static struct plg_set *kinds_set(void)
{
	const struct plg_filter f = { .builtins = kinds_builtin };
	struct strv none = STRV_INIT;
	struct diag dg = DIAG_INIT;
	struct plg_set *set = NULL;

	ck_assert_int_eq(plg_load_all(&none, &f, bld_core_types, &dg, &set), 0);
	ck_assert_uint_eq(set->n, 1);
	ck_assert(set->v[0].builtin);
	ck_assert_str_eq(set->v[0].path, "built-in tkinds");
	dg_release(&dg);
	return set;
}

#define ck_kinds_argv(ini, expect) do { \
		struct plg_set *s_ = kinds_set(); \
		char *e_ = NULL, *a_ = tu_build_set(s_, ini, &e_); \
		ck_assert_msg(a_ != NULL, "unexpected errors: %s", e_); \
		ck_assert_str_eq(a_, expect); \
		free(a_); \
		plg_set_free(s_); \
	} while (0)

#define ck_kinds_errors(ini, expect) do { \
		struct plg_set *s_ = kinds_set(); \
		char *e_ = NULL, *a_ = tu_build_set(s_, ini, &e_); \
		ck_assert_msg(a_ == NULL, "expected errors, got argv: %s", a_); \
		ck_assert_str_eq(tu_shorten(e_, tu_tmpdir(), 'T'), expect); \
		free(e_); \
		plg_set_free(s_); \
	} while (0)

START_TEST(generic_emitter_shape)
{
	/* head (its default), early keys, id, then file order; args last */
	ck_kinds_argv("[tkind.X]\nswitch = on\narg = /k\nzz = 1\nearly = e\n",
		      "-kind dflt,Early=e,id=X,zz=1 -karg /k -kswitch");
	ck_kinds_argv("[tkind]\nhead = h\nswitch = off\n", "-kind h");
	/* booleans on/off, a bare size gets its unit, a raw one stays */
	ck_kinds_argv("[tkind]\nflag = yes\nrawflag = yes\nmem = 512\nbytes = 64\nrawmem = 8\n",
		      "-kind dflt,flag=on,rawflag=yes,mem=512M,bytes=64,rawmem=8");
	ck_kinds_argv("[tkind]\nmem = 2G\nn = 9\nbig = 99999999999\n",
		      "-kind dflt,mem=2G,n=9,big=99999999999");
	/* a list becomes the QEMU key again per item, in its QEMU name */
	ck_kinds_argv("[tkind]\nfwd = tcp::1-:2   udp::3-:4\tx\n",
		      "-kind dflt,hostfwd=tcp::1-:2,hostfwd=udp::3-:4,hostfwd=x");
	/* a reference, a hook-only key left out, commas escaped */
	ck_kinds_argv("[tkind.a]\n[tkind.b]\npeer = a\nhidden = h\ncolour = red\nfile = /x,y\n",
		      "-kind dflt,id=a -kind dflt,id=b,peer=a,colour=red,file=/x,,y");
	ck_kinds_argv("[tneed]\na = 2\nb = blue\nc = q\nd = x\n[tkind.q]\n", "a=2 -kind dflt,id=q");
}
END_TEST

START_TEST(key_checks_and_messages)
{
	ck_kinds_errors("[tkind.X]\nid = Y\nn = 1\nbig = 0\nmem = 1Q\nflag = maybe\ncolour = gren\n"
			"peer = nope\nfwd =  \nfile =\narg =\n",
			"T/t.ini:2: [tkind.X] id: the id comes from the section name [tkind.X], expected no id key\n"
			"T/t.ini:3: [tkind.X] n: invalid value '1', expected a whole number from 2 to 9\n"
			"T/t.ini:4: [tkind.X] big: invalid value '0', expected a whole number of at least 1\n"
			"T/t.ini:5: [tkind.X] mem: invalid size '1Q', expected a whole number with an optional K, M, G or T suffix\n"
			"T/t.ini:6: [tkind.X] flag: invalid boolean 'maybe', expected on, off, yes, no, true or false\n"
			"T/t.ini:7: [tkind.X] colour: invalid value 'gren' (did you mean 'green'?), expected one of: red, green, blue\n"
			"T/t.ini:8: [tkind.X] peer: refers to [tkind.nope], which is not defined, expected the id of a [tkind.ID] section\n"
			"T/t.ini:9: [tkind.X] fwd: empty list, expected one or more values separated by blanks\n"
			"T/t.ini:10: [tkind.X] file: empty path, expected a file name\n"
			"T/t.ini:11: [tkind.X] arg: empty path, expected a file name");
	/* required keys: what is expected is derived from the kind, or given;
	 * the hook's getter of the bad key adds no second message */
	ck_kinds_errors("[tneed]\na = 7\n",
			"T/t.ini:1: [tneed]: missing key 'b', expected one of: red, green, blue\n"
			"T/t.ini:1: [tneed]: missing key 'c', expected the id of a [tkind.ID] section\n"
			"T/t.ini:1: [tneed]: missing key 'd', expected a d\n"
			"T/t.ini:2: [tneed] a: invalid value '7', expected a whole number from 0 to 3");
	/* an id key in the [type] form too; a raw argument cannot ask for
	 * help; an option with nothing in it */
	ck_kinds_errors("[tkind]\nid = x\narg = help\n[tempty]\n",
			"T/t.ini:2: [tkind] id: an id comes from a section name [tkind.ID], expected no id key\n"
			"T/t.ini:3: [tkind] arg: 'help' would make QEMU print help and exit, expected a value\n"
			"T/t.ini:4: [tempty]: empty section, expected one of: a, b");
	ck_kinds_argv("[tempty]\nb = true\n", "-e b=on");
	ck_kinds_errors("[tneed]\na = 1\nb = red\nc = x\nd = y\ne = 1\n",
			"T/t.ini:4: [tneed] c: refers to [tkind.x], which is not defined, expected the id of a [tkind.ID] section\n"
			"T/t.ini:6: [tneed] e: unknown key, expected one of: a, b, c, d");
}
END_TEST

/* --- descriptors across struct sizes and bad declarations -------------- */

/* A key of a newer minor: ours, then a member we do not know. */
struct key_next {
	struct ql_key k;
	uint64_t added_later;
};

struct section_next {
	struct ql_section_type t;
	void *added_later;
};

struct plugin_next {
	struct ql_plugin p;
	void *added_later;
};

/* A descriptor of a newer minor, with its key's new member set to extra. */
static int read_next(uint64_t extra, uint16_t minor, struct diag *dg, struct ql_plugin *d)
{
	static const char *const yn[] = { "y", "n", NULL };
	static struct key_next keys[3];
	static struct section_next secs[3];
	static struct plugin_next next;

	keys[0] = (struct key_next){ { .name = "a", .kind = QL_KEY_CHOICE, .choices = yn }, 0 };
	keys[1] = (struct key_next){ { .name = "b", .kind = QL_KEY_UINT, .max = 5 }, extra };
	keys[2] = (struct key_next){ { .name = NULL }, 0 };
	secs[0] = (struct section_next){ { .name = "tnext", .flags = QL_SECTION_SINGLE, .order = 3,
					   .option = "-n", .keys = &keys[0].k,
					   .key_size = sizeof(keys[0]) }, NULL };
	secs[1] = (struct section_next){ { .name = "tnext2", .flags = QL_SECTION_MULTI, .order = 4,
					   .option = "-m" }, NULL };
	secs[2] = (struct section_next){ { .name = NULL }, NULL };
	next = (struct plugin_next){
		{ .magic = QL_PLUGIN_MAGIC, .abi_major = QL_ABI_MAJOR, .abi_minor = minor,
		  .struct_size = sizeof(next), .section_size = sizeof(secs[0]),
		  .name = "tnext", .version = "9", .description = "d", .sections = &secs[0].t },
		NULL,
	};
	return dsc_read("P", "tnext", &next, dg, d);
}

START_TEST(descriptor_of_a_newer_minor)
{
	struct diag dg = DIAG_INIT;
	struct ql_plugin d;

	/* larger structs of a newer minor whose new members are unset: the
	 * core reads what it knows, in its own layout */
	ck_assert_int_eq(read_next(0, QL_ABI_MINOR + 1, &dg, &d), 0);
	ck_assert_str_eq(d.sections[1].name, "tnext2");
	ck_assert_int_eq(d.sections[1].order, 4);
	ck_assert_ptr_null(d.sections[2].name);
	ck_assert_int_eq(d.sections[0].key_size, sizeof(struct ql_key));
	ck_assert_str_eq(d.sections[0].keys[1].name, "b");
	ck_assert_uint_eq(d.sections[0].keys[1].max, 5);
	ck_assert_str_eq(d.sections[0].keys[0].choices[1], "n");
	ck_assert_ptr_null(d.sections[0].keys[2].name);
	ck_assert_int_eq(dsc_order(&d), 3);
	dsc_release(&d);
	dsc_release(NULL);
	ck_assert_uint_eq(dg.msgs.n, 0);
	/* a new member in use: refused, never ignored */
	ck_assert_int_eq(read_next(1, QL_ABI_MINOR + 1, &dg, &d), -EINVAL);
	/* larger structs claiming this minor: a wrong size, refused before
	 * anything past the core's own size is read */
	ck_assert_int_eq(read_next(0, QL_ABI_MINOR, &dg, &d), -EINVAL);
	ck_assert_uint_eq(dg.msgs.n, 2);
	ck_assert_str_eq(dg.msgs.v[0], "P: plugin uses members of a key of section type [tnext] from ABI 2.3 "
			 "that this qlaunch (ABI 2.2) does not know, expected them unset; upgrade qlaunch");
	ck_assert_str_eq(dg.msgs.v[1], "P: plugin gives its descriptor a size of 56 bytes, expected 48 for ABI 2.2");
	dg_release(&dg);
}
END_TEST

/* dsc_read of one section type with keys; the message or "". */
static char *declare(const struct ql_section_type *t, const struct ql_key *keys)
{
	struct ql_section_type v[2] = { *t, { .name = NULL } };
	struct ql_plugin p = {
		QL_PLUGIN_HEADER, .name = "tbad", .version = "1", .description = "d", .sections = v,
	};
	struct diag dg = DIAG_INIT;
	struct ql_plugin d;
	char *msg;

	v[0].keys = keys;
	v[0].key_size = sizeof(struct ql_key);
	if (dsc_read("P", "tbad", &p, &dg, &d) == 0)
		dsc_release(&d);
	msg = tu_join_diag(&dg);
	dg_release(&dg);
	return msg;
}

#define ck_declare(t, keys, expect) do { \
		char *m_ = declare(t, keys); \
		ck_assert_str_eq(m_, expect); \
		free(m_); \
	} while (0)

START_TEST(bad_declarations_refused)
{
	const struct ql_section_type opt = { .name = "tbad", .flags = QL_SECTION_MULTI, .option = "-x" };
	const struct ql_section_type noopt = { .name = "tbad", .flags = QL_SECTION_SINGLE };
	const struct ql_key head_no_option[] = {
		{ .name = "h", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD }, { .name = NULL } };
	const struct ql_key two_heads[] = {
		{ .name = "h", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD },
		{ .name = "i", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD }, { .name = NULL } };
	const struct ql_key twice[] = {
		{ .name = "h", .kind = QL_KEY_STRING }, { .name = "h", .kind = QL_KEY_BOOL },
		{ .name = NULL } };
	const struct ql_key bad_kind[] = { { .name = "k", .kind = 99 }, { .name = NULL } };
	const struct ql_key no_choices[] = { { .name = "k", .kind = QL_KEY_CHOICE }, { .name = NULL } };
	const struct ql_key no_ref[] = { { .name = "k", .kind = QL_KEY_REF, .ref = "Bad" }, { .name = NULL } };
	const struct ql_key arg_no_flag[] = {
		{ .name = "k", .kind = QL_KEY_PATH, .flags = QL_KEY_ARG, .qemu = "kernel" }, { .name = NULL } };
	const struct ql_key upper[] = { { .name = "Key", .kind = QL_KEY_STRING }, { .name = NULL } };
	const struct ql_key dflt[] = { { .name = "k", .kind = QL_KEY_STRING, .dflt = "x" }, { .name = NULL } };
	const struct ql_key range[] = { { .name = "k", .kind = QL_KEY_UINT, .min = 5, .max = 4 }, { .name = NULL } };
	const struct ql_key idk[] = { { .name = "id", .kind = QL_KEY_STRING }, { .name = NULL } };
	const struct ql_section_type with_id = { .name = "tbad", .flags = QL_SECTION_MULTI, .option = "-x",
						 .id_key = "id" };
	const struct ql_section_type single_id = { .name = "tbad", .flags = QL_SECTION_SINGLE, .id_key = "id" };
	const struct ql_section_type bad_option = { .name = "tbad", .flags = QL_SECTION_SINGLE, .option = "x" };
	const struct ql_section_type bad_flags = { .name = "tbad", .flags = QL_SECTION_PASS };

	const struct ql_key early_arg[] = {
		{ .name = "k", .kind = QL_KEY_PATH, .flags = QL_KEY_EARLY | QL_KEY_ARG, .qemu = "-kernel" },
		{ .name = NULL } };
	const struct ql_key hook_key[] = {
		{ .name = "k", .kind = QL_KEY_STRING, .flags = QL_KEY_HOOK }, { .name = NULL } };
	const struct ql_key odd_unit[] = { { .name = "k", .kind = QL_KEY_SIZE, .unit = 512 }, { .name = NULL } };
	const struct ql_key help_dflt[] = {
		{ .name = "k", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD, .dflt = "help" }, { .name = NULL } };
	const struct ql_key same_qemu[] = {
		{ .name = "x", .kind = QL_KEY_STRING, .qemu = "y" }, { .name = "y", .kind = QL_KEY_BOOL },
		{ .name = NULL } };
	const struct ql_key as_id[] = {
		{ .name = "ident", .kind = QL_KEY_STRING, .qemu = "id" }, { .name = NULL } };
	const struct ql_key unit_on_string[] = {
		{ .name = "k", .kind = QL_KEY_STRING, .unit = 1024 }, { .name = NULL } };
	const struct ql_key plain[] = { { .name = "k", .kind = QL_KEY_STRING }, { .name = NULL } };
	const struct ql_section_type pass_nowhere = { .name = "tbad", .flags = QL_SECTION_SINGLE | QL_SECTION_PASS };

	ck_declare(&opt, NULL, "");
	ck_declare(&opt, early_arg, "P: plugin declares key 'k' of section type [tbad] with more than one of "
		   "QL_KEY_HEAD, QL_KEY_EARLY, QL_KEY_ARG and QL_KEY_HOOK");
	ck_declare(&opt, hook_key, "P: plugin declares key 'k' of section type [tbad] with QL_KEY_HOOK in a "
		   "section type without an emit hook");
	ck_declare(&opt, odd_unit, "P: plugin declares key 'k' of section type [tbad] with a unit other than 1, 1K, 1M, 1G or 1T");
	ck_declare(&opt, help_dflt, "P: plugin declares key 'k' of section type [tbad] with a default that is not a plain value of its kind");
	ck_declare(&opt, same_qemu, "P: plugin declares key 'y' of section type [tbad] with the QEMU name of another key");
	ck_declare(&with_id, as_id, "P: plugin declares key 'ident' of section type [tbad] with the QEMU name of the id key");
	ck_declare(&opt, unit_on_string, "P: plugin declares key 'k' of section type [tbad] with a unit, but it is no QL_KEY_SIZE");
	ck_declare(&noopt, plain, "P: plugin declares key 'k' of section type [tbad] with nowhere to go: the "
		   "section type has no option and no emit hook");
	ck_declare(&pass_nowhere, NULL, "P: section type [tbad] passes keys through but has no option and no emit hook to put them in");
	ck_declare(&noopt, head_no_option,
		   "P: plugin declares key 'h' of section type [tbad] with QL_KEY_HEAD or QL_KEY_EARLY in a section type without an option");
	ck_declare(&opt, two_heads, "P: plugin declares key 'i' of section type [tbad] with a second QL_KEY_HEAD");
	ck_declare(&opt, twice, "P: plugin declares key 'h' of section type [tbad] with a second declaration");
	ck_declare(&opt, bad_kind, "P: plugin declares key 'k' of section type [tbad] with an unknown kind");
	ck_declare(&opt, no_choices, "P: plugin declares key 'k' of section type [tbad] with no choices");
	ck_declare(&opt, no_ref, "P: plugin declares key 'k' of section type [tbad] with no valid section type to refer to");
	ck_declare(&opt, arg_no_flag, "P: plugin declares key 'k' of section type [tbad] with QL_KEY_ARG without a QEMU flag such as -kernel");
	ck_declare(&opt, upper, "P: plugin declares key 'Key' of section type [tbad] with an invalid key name");
	ck_declare(&opt, dflt, "P: plugin declares key 'k' of section type [tbad] with a default without QL_KEY_HEAD or QL_KEY_EARLY");
	ck_declare(&opt, range, "P: plugin declares key 'k' of section type [tbad] with a range whose max is below its min");
	ck_declare(&with_id, idk, "P: plugin declares key 'id' of section type [tbad] with the name of the id key");
	ck_declare(&single_id, NULL, "P: section type [tbad] has an id key but no [tbad.ID] form or no option, or an invalid one");
	ck_declare(&bad_option, NULL, "P: section type [tbad] has the invalid option 'x', expected a QEMU flag such as -device");
	ck_declare(&bad_flags, NULL, "P: plugin declares an invalid section type 'tbad'");
}
END_TEST

START_TEST(descriptor_too_small)
{
	struct ql_section_type v[2] = { { .name = "tbad", .flags = QL_SECTION_SINGLE }, { .name = NULL } };
	struct ql_key k[2] = { { .name = "k", .kind = QL_KEY_STRING }, { .name = NULL } };
	struct ql_plugin p = {
		QL_PLUGIN_HEADER, .name = "tbad", .version = "1", .description = "d", .sections = v,
	};
	struct diag dg = DIAG_INIT;
	struct ql_plugin d;

	p.section_size = 8;
	ck_assert_int_eq(dsc_read("P", "tbad", &p, &dg, &d), -EINVAL);
	p.section_size = sizeof(v[0]);
	v[0].keys = k;
	v[0].key_size = 16;
	ck_assert_int_eq(dsc_read("P", "tbad", &p, &dg, &d), -EINVAL);
	ck_assert_uint_eq(dg.msgs.n, 2);
	ck_assert_str_eq(dg.msgs.v[0], "P: plugin gives its section types a size of 8 bytes, expected 56 for ABI 2.2");
	ck_assert_str_eq(dg.msgs.v[1], "P: plugin gives the keys of section type [tbad] a size of 16 bytes, expected 80 for ABI 2.2");
	dg_release(&dg);
}
END_TEST

/* --- the host API with NULL arguments ----------------------------------- */

/* verror takes a va_list: call it the way a plugin's own wrapper would. */
static int call_verror(struct ql_ctx *ctx, const char *key, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = host_api.verror(ctx, key, fmt, ap);
	va_end(ap);
	return r;
}

static int never_open(const char *arg, char *msg, size_t len)
{
	(void)arg;
	(void)msg;
	(void)len;
	return -EIO;
}

/* A config's first section as a hook sees it: a host state and a ctx. */
struct hook_env {
	struct diag dg;
	struct cfg *cfg;
	struct host_state st;
	struct ql_ctx ctx;
};

static void env_open(struct hook_env *e, const char *name, const char *ini)
{
	memset(e, 0, sizeof(*e));
	e->dg = (struct diag)DIAG_INIT;
	e->ctx.opt = (struct av_opt)AV_OPT_INIT;
	ck_assert_int_eq(cfg_load(tu_write(name, ini, strlen(ini)), &e->dg, &e->cfg), 0);
	e->st.file = e->cfg->path;
	e->st.dg = &e->dg;
	e->st.cfg = e->cfg;
	e->ctx.st = &e->st;
	e->ctx.sec = &e->cfg->sections[0];
}

static void env_close(struct hook_env *e)
{
	host_state_release(&e->st);
	av_opt_release(&e->ctx.opt);
	cfg_free(e->cfg);
	dg_release(&e->dg);
}

START_TEST(host_api_null_arguments)
{
	static const char *const ch[] = { "a", NULL };
	const struct ql_host_api *api = &host_api;
	struct hook_env e;
	struct ql_ctx *ctx = &e.ctx;
	const char *s = NULL;
	uint64_t u;
	size_t i;
	int b, fd;
	char *err;

	env_open(&e, "n.ini", "[x]\nk = v\n");

	/* a NULL ctx: nothing to report to, just a failure */
	ck_assert_ptr_null(api->section_type(NULL));
	ck_assert_ptr_null(api->section_id(NULL));
	ck_assert_uint_eq(api->key_count(NULL), 0);
	ck_assert_ptr_null(api->key_name(NULL, 0));
	ck_assert_ptr_null(api->key_value(NULL, 0));
	ck_assert_int_eq(api->mode(NULL), QL_MODE_CHECK);
	ck_assert_int_eq(api->get_string(NULL, "k", &s), -EINVAL);
	ck_assert_int_eq(api->get_uint(NULL, "k", 0, 1, &u), -EINVAL);
	ck_assert_int_eq(api->get_size(NULL, "k", 1, &u), -EINVAL);
	ck_assert_int_eq(api->get_bool(NULL, "k", &b), -EINVAL);
	ck_assert_int_eq(api->get_enum(NULL, "k", ch, &i), -EINVAL);
	ck_assert_int_eq(api->arg(NULL, "x"), -EINVAL);
	ck_assert_int_eq(api->opt_begin(NULL, "-x"), -EINVAL);
	ck_assert_int_eq(api->opt_value(NULL, "k", "v"), -EINVAL);
	ck_assert_int_eq(api->opt_pair(NULL, "k", "v"), -EINVAL);
	ck_assert_int_eq(api->opt_pair_as(NULL, "k", "q", "v"), -EINVAL);
	ck_assert_int_eq(api->opt_rest(NULL, NULL), -EINVAL);
	ck_assert_int_eq(api->opt_end(NULL), -EINVAL);
	ck_assert_int_eq(api->fd_pass(NULL, "k", never_open, NULL, "a", &fd), -EINVAL);
	ck_assert_int_eq(api->require_id(NULL, "k", "x", "y"), -EINVAL);
	ck_assert_int_eq(api->error(NULL, "k", "m"), -EINVAL);
	ck_assert_int_eq(call_verror(NULL, "k", "m"), -EINVAL);
	ck_assert_ptr_null(api->format(NULL, "%d", 1));
	ck_assert_int_eq(api->emit_section(NULL), -EINVAL);
	ck_assert_uint_eq(e.dg.msgs.n, 0);

	/* any other NULL: a plugin bug, reported at the section */
	ck_assert_int_eq(api->get_string(ctx, NULL, &s), -EINVAL);
	ck_assert_int_eq(api->get_string(ctx, "k", NULL), -EINVAL);
	ck_assert_int_eq(api->get_uint(ctx, "k", 0, 1, NULL), -EINVAL);
	ck_assert_int_eq(api->get_uint(ctx, NULL, 0, 1, &u), -EINVAL);
	ck_assert_int_eq(api->get_size(ctx, "k", 1, NULL), -EINVAL);
	ck_assert_int_eq(api->get_size(ctx, NULL, 1, &u), -EINVAL);
	ck_assert_int_eq(api->get_bool(ctx, "k", NULL), -EINVAL);
	ck_assert_int_eq(api->get_bool(ctx, NULL, &b), -EINVAL);
	ck_assert_int_eq(api->get_enum(ctx, "k", NULL, &i), -EINVAL);
	ck_assert_int_eq(api->get_enum(ctx, "k", ch, NULL), -EINVAL);
	ck_assert_int_eq(api->get_enum(ctx, NULL, ch, &i), -EINVAL);
	ck_assert_int_eq(api->arg(ctx, NULL), -EINVAL);
	ck_assert_int_eq(api->opt_begin(ctx, NULL), -EINVAL);
	ck_assert_int_eq(api->opt_value(ctx, "k", "v"), -EINVAL);     /* no option open */
	ck_assert_int_eq(api->opt_pair(ctx, "k", "v"), -EINVAL);
	ck_assert_int_eq(api->opt_end(ctx), -EINVAL);
	ck_assert_int_eq(api->opt_begin(ctx, "-x"), 0);
	ck_assert_int_eq(api->opt_pair(ctx, NULL, "v"), -EINVAL);
	ck_assert_int_eq(api->opt_pair(ctx, "k", NULL), -EINVAL);
	ck_assert_int_eq(api->opt_pair_as(ctx, "k", NULL, "v"), -EINVAL);
	ck_assert_int_eq(api->opt_begin(ctx, "x"), -EINVAL);      /* not a flag */
	ck_assert_int_eq(api->opt_value(ctx, NULL, NULL), -EINVAL);
	ck_assert_int_eq(api->opt_rest(ctx, NULL), 0);
	ck_assert_int_eq(api->opt_value(ctx, "k", "late"), -EINVAL);  /* after k=v */
	ck_assert_int_eq(api->opt_end(ctx), 0);
	ck_assert_int_eq(api->fd_pass(ctx, "k", NULL, NULL, "a", &fd), -EINVAL);
	ck_assert_int_eq(api->fd_pass(ctx, "k", never_open, NULL, NULL, &fd), -EINVAL);
	ck_assert_int_eq(api->fd_pass(ctx, "k", never_open, NULL, "a", NULL), -EINVAL);
	ck_assert_int_eq(api->require_id(ctx, "k", NULL, "y"), -EINVAL);
	ck_assert_int_eq(api->require_id(ctx, "k", "x", NULL), -EINVAL);
	ck_assert_int_eq(api->require_id(ctx, "k", "Object", "y"), -EINVAL);
	ck_assert_int_eq(api->error(ctx, NULL, NULL), -EINVAL);
	ck_assert_int_eq(call_verror(ctx, NULL, NULL), -EINVAL);
	ck_assert_int_eq(call_verror(ctx, "k", "verror %d", 2), -EINVAL);
	ck_assert_ptr_null(api->format(ctx, NULL));
	ck_assert_int_eq(api->emit_section(ctx), -EINVAL);    /* no section type */

	/* and what still works */
	ck_assert_str_eq(api->format(ctx, "%s-%d", "a", 7), "a-7");
	ck_assert_int_eq(api->get_string(ctx, "k", &s), 1);
	ck_assert_str_eq(s, "v");
	ck_assert_uint_eq(e.st.argv.n, 2);
	ck_assert_str_eq(e.st.argv.v[0], "-x");
	ck_assert_str_eq(e.st.argv.v[1], "k=v");

	err = tu_shorten(tu_join_diag(&e.dg), tu_tmpdir(), 'T');
	ck_assert_str_eq(err,
		"T/n.ini:1: [x]: plugin bug: NULL key\n"
		"T/n.ini:2: [x] k: plugin bug: NULL out\n"
		"T/n.ini:2: [x] k: plugin bug: NULL out\n"
		"T/n.ini:1: [x]: plugin bug: NULL key\n"
		"T/n.ini:2: [x] k: plugin bug: NULL out\n"
		"T/n.ini:1: [x]: plugin bug: NULL key\n"
		"T/n.ini:2: [x] k: plugin bug: NULL out\n"
		"T/n.ini:1: [x]: plugin bug: NULL key\n"
		"T/n.ini:2: [x] k: plugin bug: NULL choices\n"
		"T/n.ini:2: [x] k: plugin bug: NULL out\n"
		"T/n.ini:1: [x]: plugin bug: NULL key\n"
		"T/n.ini:1: [x]: plugin bug: NULL argument\n"
		"T/n.ini:1: [x]: plugin bug: option flag '(null)', expected '-' and a name such as -device\n"
		"T/n.ini:2: [x] k: plugin bug: value outside an option\n"
		"T/n.ini:2: [x] k: plugin bug: key outside an option\n"
		"T/n.ini:1: [x]: plugin bug: option ended twice\n"
		"T/n.ini:1: [x]: plugin bug: NULL key\n"
		"T/n.ini:2: [x] k: plugin bug: NULL value\n"
		"T/n.ini:2: [x] k: plugin bug: NULL key\n"
		"T/n.ini:1: [x]: plugin bug: option flag 'x', expected '-' and a name such as -device\n"
		"T/n.ini:1: [x]: plugin bug: NULL value\n"
		"T/n.ini:2: [x] k: plugin bug: a bare value after key=value in -x\n"
		"T/n.ini:2: [x] k: plugin bug: fd_pass without an open function, arg or qemu_fd\n"
		"T/n.ini:2: [x] k: plugin bug: fd_pass without an open function, arg or qemu_fd\n"
		"T/n.ini:2: [x] k: plugin bug: fd_pass without an open function, arg or qemu_fd\n"
		"T/n.ini:2: [x] k: plugin bug: NULL type or id\n"
		"T/n.ini:2: [x] k: plugin bug: NULL type or id\n"
		"T/n.ini:2: [x] k: plugin bug: section type 'Object', expected a lower-case type name\n"
		"T/n.ini:1: [x]: plugin bug: NULL format\n"
		"T/n.ini:1: [x]: plugin bug: NULL format\n"
		"T/n.ini:2: [x] k: verror 2\n"
		"T/n.ini:1: [x]: plugin bug: NULL format");
	free(err);
	env_close(&e);
}
END_TEST


/* --- ABI 2.1: counter, peek, seed_file; 2.2: suggest ------------------- */

#define P_INI "[x]\nk = v\n[machine]\ntype = q35\n[disk.D0]\n"

START_TEST(host_api_2_1)
{
	const struct ql_host_api *api = &host_api;
	struct hook_env e;
	struct ql_ctx *ctx = &e.ctx;
	const char *v = NULL;
	char *err;

	ck_assert(QL_HOST_HAS(api, counter) && QL_HOST_HAS(api, peek) && QL_HOST_HAS(api, seed_file) &&
		  QL_HOST_HAS(api, suggest));
	env_open(&e, "p.ini", P_INI);

	/* counter: 0, 1, 2 per name, names apart */
	ck_assert_int_eq(api->counter(ctx, "scsi"), 0);
	ck_assert_int_eq(api->counter(ctx, "scsi"), 1);
	ck_assert_int_eq(api->counter(ctx, "sata"), 0);
	ck_assert_int_eq(api->counter(ctx, "scsi"), 2);
	/* peek: a key, an absent key, a section, an absent one, ids as spelled */
	ck_assert_int_eq(api->peek(ctx, "machine", NULL, "type", &v), 1);
	ck_assert_str_eq(v, "q35");
	ck_assert_int_eq(api->peek(ctx, "machine", NULL, "accel", &v), 0);
	ck_assert_int_eq(api->peek(ctx, "disk", "D0", NULL, NULL), 1);
	ck_assert_int_eq(api->peek(ctx, "disk", "d0", NULL, NULL), 0);
	ck_assert_int_eq(api->peek(ctx, "disk", NULL, NULL, NULL), 1);     /* any [disk] */
	ck_assert_int_eq(api->peek(ctx, "vnc", NULL, NULL, NULL), 0);
	ck_assert_int_eq(api->peek(ctx, "machine", "x", "type", &v), 0);
	/* seed_file only records: nothing is made before seed_make */
	ck_assert_int_eq(api->seed_file(ctx, "k", "/t", "/p"), 0);
	ck_assert_uint_eq(e.st.seeds.n, 1);
	ck_assert_str_eq(e.st.seeds.v[0].path, "/p");
	/* suggest: the closest candidate, a pointer into them; none too far */
	{
		static const char *const names[] = { "device", "drive", "machine", NULL };

		ck_assert_ptr_eq(api->suggest(ctx, "devic", names), names[0]);
		ck_assert_ptr_eq(api->suggest(ctx, "Machine", names), names[2]);
		ck_assert_ptr_null(api->suggest(ctx, "object", names));
		ck_assert_ptr_null(api->suggest(ctx, "dv", names));  /* too short */
	}
	ck_assert_uint_eq(e.dg.msgs.n, 0);

	/* NULLs */
	ck_assert_int_eq(api->counter(NULL, "x"), -EINVAL);
	ck_assert_int_eq(api->peek(NULL, "x", NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(api->seed_file(NULL, "k", "/t", "/p"), -EINVAL);
	ck_assert_ptr_null(api->suggest(NULL, "x", (const char *const[]){ "x", NULL }));
	ck_assert_uint_eq(e.dg.msgs.n, 0);
	ck_assert_int_eq(api->counter(ctx, NULL), -EINVAL);
	ck_assert_int_eq(api->peek(ctx, NULL, NULL, "k", &v), -EINVAL);
	ck_assert_int_eq(api->peek(ctx, "x", NULL, "k", NULL), -EINVAL);
	ck_assert_int_eq(api->peek(ctx, "x", NULL, NULL, &v), -EINVAL);
	ck_assert_int_eq(api->seed_file(ctx, "k", "", "/p"), -EINVAL);
	ck_assert_int_eq(api->seed_file(ctx, "k", "/t", ""), -EINVAL);
	ck_assert_int_eq(api->seed_file(ctx, "k", "/t", NULL), -EINVAL);
	ck_assert_int_eq(api->seed_file(ctx, "k", NULL, "/p"), 0);      /* must exist */
	ck_assert_ptr_null(api->suggest(ctx, NULL, (const char *const[]){ "x", NULL }));
	ck_assert_ptr_null(api->suggest(ctx, "x", NULL));
	err = tu_shorten(tu_join_diag(&e.dg), tu_tmpdir(), 'T');
	ck_assert_str_eq(err,
		"T/p.ini:1: [x]: plugin bug: counter without a name\n"
		"T/p.ini:1: [x]: plugin bug: peek without a type, or with only one of key and value\n"
		"T/p.ini:1: [x]: plugin bug: peek without a type, or with only one of key and value\n"
		"T/p.ini:1: [x]: plugin bug: peek without a type, or with only one of key and value\n"
		"T/p.ini:2: [x] k: plugin bug: seed_file without a path, or with an empty template\n"
		"T/p.ini:2: [x] k: plugin bug: seed_file without a path, or with an empty template\n"
		"T/p.ini:2: [x] k: plugin bug: seed_file without a path, or with an empty template\n"
		"T/p.ini:1: [x]: plugin bug: suggest without a word or candidates\n"
		"T/p.ini:1: [x]: plugin bug: suggest without a word or candidates");
	free(err);
	env_close(&e);
}
END_TEST

#define S_INI "[firmware]\nvars-template = t\n"

/* The files seed_make makes, and the ones it refuses to touch. */
START_TEST(seed_files)
{
	struct diag dg = DIAG_INIT;
	struct cfg *cfg = NULL;
	struct seed_list l = SEED_LIST_INIT;
	struct strv created = STRV_INIT;
	struct stat sb;
	char tmpl[512], path[512], link[512], other[512];
	char *err;
	FILE *f;
	char buf[32] = "";
	mode_t old;

	ck_assert_int_eq(cfg_load(tu_write("s.ini", S_INI, strlen(S_INI)), &dg, &cfg), 0);
	snprintf(tmpl, sizeof(tmpl), "%s/tmpl", tu_tmpdir());
	snprintf(path, sizeof(path), "%s/vars", tu_tmpdir());
	snprintf(link, sizeof(link), "%s/link", tu_tmpdir());
	snprintf(other, sizeof(other), "%s/nodir/vars", tu_tmpdir());
	tu_write("tmpl", "TEMPLATE", 8);

	/* made: a 0600 copy, recorded, whatever the umask */
	ck_assert_int_eq(seed_add(&l, tmpl, path, &cfg->sections[0], "vars-template"), 0);
	old = umask(0777);
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), 0);
	umask(old);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, "TEMPLATE");
	ck_assert_uint_eq(created.n, 1);
	ck_assert_str_eq(created.v[0], path);

	/* there already: never overwritten, not recorded again */
	tu_write("tmpl", "CHANGED!", 8);
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, "TEMPLATE");
	ck_assert_uint_eq(created.n, 1);
	ck_assert_uint_eq(dg.msgs.n, 0);

	/* a symbolic link at the path, a missing template, a missing directory */
	ck_assert_int_eq(symlink(path, link), 0);
	l.v[0].path = link;
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), -EINVAL);
	l.v[0].path = path;
	unlink(path);
	l.v[0].template_path = "/nonexistent/tmpl";
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), -EINVAL);
	ck_assert_int_eq(access(path, F_OK), -1);
	l.v[0].template_path = tmpl;
	l.v[0].path = other;
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), -EINVAL);
	l.v[0].template_path = tu_tmpdir();
	l.v[0].path = path;
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), -EINVAL);
	/* a directory others may write (not sticky), the template itself */
	snprintf(other, sizeof(other), "%s/open", tu_tmpdir());
	ck_assert_int_eq(mkdir(other, 0777), 0);
	ck_assert_int_eq(chmod(other, 0777), 0);
	strcat(other, "/vars");
	l.v[0].template_path = tmpl;
	l.v[0].path = other;
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), -EINVAL);
	ck_assert_int_eq(access(other, F_OK), -1);
	l.v[0].path = tmpl;
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), -EINVAL);
	l.v[0].path = path;
	l.v[0].template_path = NULL;       /* no template: it must exist */
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), -EINVAL);
	tu_write("vars", "OWN", 3);
	ck_assert_int_eq(seed_make(&l, cfg->path, &dg, &created), 0);
	ck_assert_uint_eq(created.n, 1);
	err = tu_shorten(tu_join_diag(&dg), tu_tmpdir(), 'T');
	ck_assert_str_eq(err,
		"T/s.ini:2: [firmware] vars-template: T/link is a symbolic link, expected the VM's own file "
		"(or none: it is then copied from the template)\n"
		"T/s.ini:2: [firmware] vars-template: cannot read the template /nonexistent/tmpl: No such file or directory\n"
		"T/s.ini:2: [firmware] vars-template: cannot use T/nodir/vars: T/nodir: No such file or directory\n"
		"T/s.ini:2: [firmware] vars-template: the template T is not a regular file, expected a file to copy\n"
		"T/s.ini:2: [firmware] vars-template: T/open/vars is in T/open, which others may write, expected "
		"the file in directories only their owner writes (another user could swap it)\n"
		"T/s.ini:2: [firmware] vars-template: T/tmpl is the template T/tmpl itself, expected the VM's own copy\n"
		"T/s.ini:2: [firmware] vars-template: T/vars does not exist, expected the VM's own file (or a "
		"template to copy it from)");
	free(err);
	sv_release(&created);
	seed_release(&l);
	seed_release(NULL);
	cfg_free(cfg);
	dg_release(&dg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sdk");
	TCase *tc = tcase_create("sdk");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, generic_emitter_shape);
	tcase_add_test(tc, key_checks_and_messages);
	tcase_add_test(tc, descriptor_of_a_newer_minor);
	tcase_add_test(tc, bad_declarations_refused);
	tcase_add_test(tc, descriptor_too_small);
	tcase_add_test(tc, host_api_null_arguments);
	tcase_add_test(tc, host_api_2_1);
	tcase_add_test(tc, seed_files);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
