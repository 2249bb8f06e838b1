/* The plugin loader (core/plugin.c) and the host API's bookkeeping
 * (core/host.c, core/build.c) with plugins built only for these tests. */
#include <qlconfig.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "plgindex.h"
#include "plugin.h"
#include "testutil.h"

static const char *test_plugins(void)
{
	const char *d = getenv("QLAUNCH_TEST_PLUGIN_DIR");

	ck_assert_msg(d != NULL, "QLAUNCH_TEST_PLUGIN_DIR is not set");
	return d;
}

/* Make TMP/sub and copy the named test plugins into it. */
static const char *dir_with(const char *sub, const char *const *names)
{
	static char dir[512];
	char src[1024], dst[1024], buf[65536];

	snprintf(dir, sizeof(dir), "%s/%s", tu_tmpdir(), sub);
	mkdir(dir, 0755);
	for (; *names; names++) {
		int in, out;
		ssize_t n;

		snprintf(src, sizeof(src), "%s/%s.so", test_plugins(), *names);
		snprintf(dst, sizeof(dst), "%s/%s.so", dir, *names);
		in = open(src, O_RDONLY | O_CLOEXEC);
		ck_assert_msg(in >= 0, "missing %s", src);
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
		ck_assert_int_ge(out, 0);
		while ((n = read(in, buf, sizeof(buf))) > 0)
			ck_assert_int_eq(write(out, buf, (size_t)n), n);
		close(in);
		close(out);
	}
	return dir;
}

/* Load from one directory; return the errors with the dir shown as "D". */
static char *load_errors(const char *dir, struct plg_set **set)
{
	struct diag dg = DIAG_INIT;
	struct plg_set *s = NULL;
	char *err;

	s = tu_plugins(dir, &dg);
	err = tu_shorten(tu_join_diag(&dg), dir, 'D');
	dg_release(&dg);
	if (set)
		*set = s;
	else
		plg_set_free(s);
	return err;
}

#define ck_load_error(variant, expect) do { \
		static const char *const n_[] = { variant, NULL }; \
		char *e_ = load_errors(dir_with(variant, n_), NULL); \
		ck_assert_str_eq(e_, expect); \
		free(e_); \
	} while (0)

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

START_TEST(good_plugin_loads)
{
	static const char *const names[] = { "tgood", NULL };
	struct plg_set *set;
	char *err = load_errors(dir_with("good", names), &set);

	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(set->n, 1);
	ck_assert_str_eq(set->v[0].desc.name, "tgood");
	ck_assert_str_eq(set->v[0].desc.version, "0.1");
	ck_assert_int_eq(set->v[0].desc.sections[0].order, 500);
	ck_assert_int_eq(set->v[0].desc.sections[0].key_size, sizeof(struct ql_key));
	ck_assert_str_eq(set->v[0].desc.sections[0].keys[1].name, "b");
	ck_assert_ptr_null(set->v[0].desc.sections[0].keys[2].name);
	ck_assert_ptr_null(set->v[0].desc.sections[1].keys);
	ck_assert_str_eq(set->v[0].desc.sections[0].name, "tsingle");
	ck_assert_str_eq(set->v[0].desc.sections[1].name, "tmulti");
	ck_assert_ptr_nonnull(strstr(set->v[0].path, "/good/tgood.so"));
	free(err);
	plg_set_free(set);
}
END_TEST

START_TEST(broken_plugins_named_clearly)
{
	ck_load_error("tnosym", "D/tnosym.so: not a qlaunch plugin: it does not export ql_plugin_v2");
	ck_load_error("tmagic", "D/tmagic.so: not a qlaunch plugin: descriptor ql_plugin_v2 has magic 0xdeadbeef, expected 0x514c504c");
	ck_load_error("tabi3", "D/tabi3.so: plugin built for ABI 3.2 (it exports ql_plugin_v3), this qlaunch supports ABI 2.2 (ql_plugin_v2): port it to ABI 2 (see qlaunch-plugin(7)) and rebuild it");
	ck_load_error("tfuture", "D/tfuture.so: plugin uses members of its descriptor from ABI 2.99 that this "
		      "qlaunch (ABI 2.2) does not know, expected them unset; upgrade qlaunch");
	/* built from the 0.1 SDK's header (tests/abi1/): refused, not run */
	ck_load_error("tabi1", "D/tabi1.so: plugin built for ABI 1.0 (it exports ql_plugin_v1), this qlaunch supports ABI 2.2 (ql_plugin_v2): port it to ABI 2 (see qlaunch-plugin(7)) and rebuild it");
	ck_load_error("tname", "D/tname.so: plugin calls itself 'other', expected 'tname' (its file name)");
}
END_TEST

START_TEST(junk_file_is_a_dlopen_error)
{
	char path[600], *err;
	const char *dir;
	FILE *f;

	dir = dir_with("junk", (const char *const[]){ NULL });
	snprintf(path, sizeof(path), "%s/junk.so", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not an ELF file\n", f);
	fclose(f);
	err = load_errors(dir, NULL);
	ck_assert_msg(strncmp(err, "D/junk.so: cannot load plugin: ", 31) == 0, "got: %s", err);
	free(err);
}
END_TEST

START_TEST(only_regular_so_files)
{
	static const char *const names[] = { "tgood", NULL };
	const char *dir = dir_with("mixed", names);
	char path[600];
	struct plg_set *set;
	char *err;

	snprintf(path, sizeof(path), "%s/adir.so", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/fifo.so", dir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	snprintf(path, sizeof(path), "%s/readme.txt", dir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	snprintf(path, sizeof(path), "%s/.so", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	err = load_errors(dir, &set);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(set->n, 1);
	free(err);
	plg_set_free(set);
}
END_TEST

START_TEST(conflicting_owners)
{
	static const char *const names[] = { "tgood", "tdup", NULL };
	char *err = load_errors(dir_with("dup", names), NULL);

	/* tdup sorts first, so tgood is the second claimant */
	ck_assert_str_eq(err, "D/tgood.so: section type [tsingle] is also claimed by D/tdup.so, "
			 "expected one owner per section type");
	free(err);
}
END_TEST

START_TEST(core_sections_reserved)
{
	static const char *const names[] = { "tgood", NULL };
	static const struct ql_section_type reserved[] = {
		{ .name = "tmulti", .flags = QL_SECTION_MULTI }, { .name = NULL },
	};
	struct strv p = STRV_INIT;
	struct diag dg = DIAG_INIT;
	struct plg_set *set = NULL;

	ck_assert_int_eq(sv_push(&p, dir_with("res", names)), 0);
	ck_assert_int_eq(plg_load_all(&p, NULL, reserved, &dg, &set), -EINVAL);
	ck_assert_uint_eq(dg.msgs.n, 1);
	ck_assert_ptr_nonnull(strstr(dg.msgs.v[0], "/res/tgood.so: section type [tmulti] belongs to the qlaunch core, expected another name"));
	plg_set_free(set);
	sv_release(&p);
	dg_release(&dg);
}
END_TEST

START_TEST(search_path_and_masking)
{
	static const char *const good[] = { "tgood", NULL };
	static const char *const dirs[] = { "/explicit" };
	struct strv p = STRV_INIT;
	struct diag dg = DIAG_INIT;
	struct plg_set *set = NULL;
	char first[512], second[512];

	ck_assert_int_eq(plg_search_path(dirs, 1, "a::b:", "/deflt", &p), 0);
	ck_assert_uint_eq(p.n, 4);
	ck_assert_str_eq(p.v[0], "=/explicit");
	ck_assert_str_eq(p.v[1], "?a");
	ck_assert_str_eq(p.v[2], "?b");
	ck_assert_str_eq(p.v[3], "?/deflt");
	sv_release(&p);

	snprintf(first, sizeof(first), "%s", dir_with("one", good));
	snprintf(second, sizeof(second), "%s", dir_with("two", good));
	ck_assert_int_eq(sv_push(&p, first), 0);
	ck_assert_int_eq(sv_push(&p, "?/nonexistent/optional"), 0);
	ck_assert_int_eq(sv_push(&p, second), 0);
	ck_assert_int_eq(plg_load_all(&p, NULL, NULL, &dg, &set), 0);
	ck_assert_uint_eq(set->n, 1);
	ck_assert_ptr_nonnull(strstr(set->v[0].path, "/one/tgood.so"));
	plg_set_free(set);
	sv_release(&p);

	/* an explicit directory that does not exist is an error */
	ck_assert_int_eq(sv_push(&p, "/nonexistent/explicit"), 0);
	ck_assert_int_eq(plg_load_all(&p, NULL, NULL, &dg, &set), -EINVAL);
	ck_assert_str_eq(dg.msgs.v[0], "/nonexistent/explicit: cannot open plugin directory: No such file or directory");
	plg_set_free(set);
	sv_release(&p);
	dg_release(&dg);
}
END_TEST

/* Build ini with the given test plugins; returns argv or errors. */
static char *build_with(const char *const *names, const char *ini, int *ok)
{
	struct diag dg = DIAG_INIT;
	struct plg_set *set = tu_plugins(dir_with("b", names), &dg);
	struct strbuf sb = STRBUF_INIT;
	struct cfg *cfg = NULL;
	struct launch l;

	ck_assert(!dg_failed(&dg));
	ck_assert_int_eq(cfg_load(tu_write("b.ini", ini, strlen(ini)), &dg, &cfg), 0);
	*ok = bld_launch(cfg, set, QL_MODE_PRINT, "/q", NULL, &dg, &l) == 0;
	if (*ok) {
		for (size_t i = 0; i < l.argv.n; i++)
			sb_printf(&sb, "%s%s", i ? " " : "", l.argv.v[i]);
		launch_release(&l);
	} else {
		char *e = tu_join_diag(&dg);

		sb_adds(&sb, e);
		free(e);
	}
	cfg_free(cfg);
	plg_set_free(set);
	dg_release(&dg);
	return sb_detach(&sb);
}

START_TEST(plugin_failures_reported)
{
	static const char *const names[] = { "tsilent", "topen", NULL };
	int ok;
	char *out = build_with(names, "[tsilent]\n[topen]\n", &ok);

	ck_assert(!ok);
	ck_assert_ptr_nonnull(strstr(out, "/b.ini:1: [tsilent]: plugin failed (Input/output error) without saying why"));
	ck_assert_ptr_nonnull(strstr(out, "/b.ini:2: [topen]: plugin bug: option -x was never ended"));
	free(out);
}
END_TEST

/* A plugin may handle its sections and add nothing: not an error, and
 * nothing of it reaches the command line. */
START_TEST(plugin_without_output)
{
	static const char *const names[] = { "tquiet", "tgood", NULL };
	int ok;
	char *out = build_with(names, "[tquiet.a]\nk = v\n[tsingle]\na = x\n[tquiet.b]\n", &ok);

	ck_assert_msg(ok, "%s", out);
	ck_assert_str_eq(out, "/q x");
	free(out);
}
END_TEST

/* --- the plugin index (core/plgindex.c) --- */

static const char *const idx_names[] = { "tgood", "tquiet", "tsilent", NULL };

/* Copy the index test plugins to TMP/sub and write their index. */
static const char *indexed_dir(const char *sub)
{
	struct diag dg = DIAG_INIT;
	const char *dir = dir_with(sub, idx_names);
	struct plg_set *set = tu_plugins(dir, &dg);

	ck_assert_msg(!dg_failed(&dg), "%s", dg.msgs.n ? dg.msgs.v[0] : "");
	ck_assert_int_eq(pix_write(dir, set, &dg), 0);
	plg_set_free(set);
	dg_release(&dg);
	return dir;
}

static struct plg_set *load_lazy(const char *dir, struct diag *dg)
{
	struct plg_filter f = { .lazy = 1 };
	struct strv p = STRV_INIT;
	struct plg_set *set = NULL;

	ck_assert_int_eq(sv_push(&p, dir), 0);
	ck_assert_int_eq(plg_load_all(&p, &f, bld_core_types, dg, &set), 0);
	sv_release(&p);
	return set;
}

/* "tgood.so" etc. of set: loaded (1) or known from the index only (0). */
static int loaded(const struct plg_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].desc.name, name) == 0)
			return set->v[i].handle != NULL;
	ck_abort_msg("plugin %s not in the set", name);
	return -1;
}

static char *read_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sb_add(&sb, buf, (size_t)n);
	close(fd);
	return sb_detach(&sb);
}

START_TEST(index_loads_only_what_is_used)
{
	const char *dir = indexed_dir("idx");
	struct diag dg = DIAG_INIT;
	struct plg_set *set;
	struct cfg *cfg = NULL;
	struct launch l;
	char path[600], *text, *line;
	struct stat st;

	/* the index: a header, then one line per plugin with its types */
	snprintf(path, sizeof(path), "%s/plugins.index", dir);
	text = read_file(path);
	ck_assert_ptr_nonnull(strstr(text, "qlaunch-plugin-index 1 abi 2\ntgood.so "));
	line = strstr(text, "\ntgood.so ");
	snprintf(path, sizeof(path), "%s/tgood.so", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	{
		char want[300];

		snprintf(want, sizeof(want), "\ntgood.so %llu %llu %lld %lld %ld %lld %ld tsingle:1 tmulti:2\n",
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
			 (long long)st.st_size, (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
			 (long long)st.st_ctim.tv_sec, (long)st.st_ctim.tv_nsec);
		ck_assert_msg(strncmp(line, want, strlen(want)) == 0, "index line: %s", line);
	}
	ck_assert_ptr_nonnull(strstr(text, " tquiet:2\n"));
	ck_assert_ptr_nonnull(strstr(text, " tsilent:1\n"));
	free(text);

	/* lazily: nothing is loaded until the config is known */
	set = load_lazy(dir, &dg);
	ck_assert_uint_eq(set->n, 3);
	ck_assert_int_eq(loaded(set, "tgood"), 0);
	ck_assert_int_eq(loaded(set, "tquiet"), 0);
	ck_assert_int_eq(loaded(set, "tsilent"), 0);
	ck_assert_int_eq(cfg_load(tu_write("i.ini", "[tsingle]\na = x\n[tquiet.q]\n", strlen("[tsingle]\na = x\n[tquiet.q]\n")), &dg, &cfg), 0);
	ck_assert_int_eq(plg_load_used(set, cfg, &dg), 0);
	ck_assert_int_eq(loaded(set, "tgood"), 1);
	ck_assert_int_eq(loaded(set, "tquiet"), 1);
	ck_assert_int_eq(loaded(set, "tsilent"), 0);      /* its [tsilent] fails if run */
	ck_assert_msg(bld_launch(cfg, set, QL_MODE_PRINT, "/q", NULL, &dg, &l) == 0, "%s",
		      tu_join_diag(&dg));
	ck_assert_uint_eq(l.argv.n, 2);
	ck_assert_str_eq(l.argv.v[1], "x");
	launch_release(&l);
	ck_assert(!dg_failed(&dg));
	cfg_free(cfg);
	plg_set_free(set);
	dg_release(&dg);
}
END_TEST

START_TEST(stale_or_unusable_index_loads_eagerly)
{
	const char *dir = indexed_dir("stale");
	struct timespec times[2] = { { 0, UTIME_OMIT }, { 1000000000, 0 } };
	struct diag dg = DIAG_INIT;
	struct plg_set *set;
	char path[600];

	/* a plugin changed since the index was written: loaded at once */
	snprintf(path, sizeof(path), "%s/tgood.so", dir);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
	set = load_lazy(dir, &dg);
	ck_assert_int_eq(loaded(set, "tgood"), 1);
	ck_assert_int_eq(loaded(set, "tquiet"), 0);
	plg_set_free(set);

	/* an index others may write is not trusted: everything loads */
	snprintf(path, sizeof(path), "%s/plugins.index", dir);
	ck_assert_int_eq(chmod(path, 0666), 0);
	set = load_lazy(dir, &dg);
	ck_assert_int_eq(loaded(set, "tquiet"), 1);
	plg_set_free(set);

	/* nor one written for another plugin ABI */
	ck_assert_int_eq(chmod(path, 0644), 0);
	{
		char *text = read_file(path), *abi = strstr(text, " abi 2\n");

		ck_assert_ptr_nonnull(abi);
		abi[5] = '9';
		ck_assert_int_eq(unlink(path), 0);
		tu_write("stale/plugins.index", text, strlen(text));
		free(text);
	}
	set = load_lazy(dir, &dg);
	ck_assert_int_eq(loaded(set, "tquiet"), 1);
	plg_set_free(set);

	/* nor a file with a malformed line */
	ck_assert_int_eq(unlink(path), 0);
	{
		static const char junk[] = "qlaunch-plugin-index 1 abi 2\ntquiet.so 1 2\n";

		tu_write("stale/plugins.index", junk, strlen(junk));
	}
	set = load_lazy(dir, &dg);
	ck_assert_int_eq(loaded(set, "tquiet"), 1);
	ck_assert_int_eq(loaded(set, "tsilent"), 1);
	plg_set_free(set);
	ck_assert(!dg_failed(&dg));
	dg_release(&dg);
}
END_TEST

START_TEST(index_with_other_types_fails_closed)
{
	const char *dir = indexed_dir("wrong");
	struct diag dg = DIAG_INIT;
	struct plg_set *set;
	struct cfg *cfg = NULL;
	char path[600], *text, *at, *err;

	/* the entry of tquiet.so still matches the file, but names [tother] */
	snprintf(path, sizeof(path), "%s/plugins.index", dir);
	text = read_file(path);
	at = strstr(text, " tquiet:2\n");
	ck_assert_ptr_nonnull(at);
	memcpy(at, " tother:2", 9);
	ck_assert_int_eq(unlink(path), 0);
	tu_write("wrong/plugins.index", text, strlen(text));
	free(text);

	set = load_lazy(dir, &dg);
	ck_assert_int_eq(cfg_load(tu_write("w.ini", "[tother]\n", 9), &dg, &cfg), 0);
	ck_assert_int_eq(plg_load_used(set, cfg, &dg), -EINVAL);
	err = tu_shorten(tu_join_diag(&dg), dir, 'D');
	ck_assert_str_eq(err, "D/tquiet.so: the plugin declares other section types than D/plugins.index says, "
			 "expected that index to be up to date (run 'qlaunch index D')");
	free(err);
	cfg_free(cfg);
	plg_set_free(set);
	dg_release(&dg);
}
END_TEST

START_TEST(references_and_order)
{
	static const char *const names[] = { "tgood", NULL };
	int ok;
	char *out;

	out = build_with(names, "[tmulti.B]\nref = A\nx = 1,2\n[tsingle]\na = first\n[tmulti.A]\n", &ok);
	ck_assert_msg(ok, "%s", out);
	/* same order number: file order; values escaped, ids keep case */
	ck_assert_str_eq(out, "/q -tmulti id=B,x=1,,2 first -tmulti id=A");
	free(out);
	out = build_with(names, "[tmulti.B]\nref = a\n", &ok);
	ck_assert(!ok);
	ck_assert_ptr_nonnull(strstr(out, "/b.ini:2: [tmulti.B] ref: refers to [tmulti.a], which is not defined, "
				     "expected the id of a [tmulti.ID] section"));
	free(out);
	out = build_with(names, "[tsingle.x]\n[tmulti]\n[tsingle]\nc = 1\n", &ok);
	ck_assert(!ok);
	ck_assert_ptr_nonnull(strstr(out, "/b.ini:1: [tsingle.x]: [tsingle] takes no id, expected [tsingle]"));
	ck_assert_ptr_nonnull(strstr(out, "/b.ini:2: [tmulti]: [tmulti] needs an id, expected [tmulti.ID]"));
	ck_assert_ptr_nonnull(strstr(out, "/b.ini:4: [tsingle] c: unknown key, expected one of: a, b"));
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plugin");
	TCase *tc = tcase_create("loader");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, good_plugin_loads);
	tcase_add_test(tc, broken_plugins_named_clearly);
	tcase_add_test(tc, junk_file_is_a_dlopen_error);
	tcase_add_test(tc, only_regular_so_files);
	tcase_add_test(tc, conflicting_owners);
	tcase_add_test(tc, core_sections_reserved);
	tcase_add_test(tc, search_path_and_masking);
	tcase_add_test(tc, plugin_failures_reported);
	tcase_add_test(tc, plugin_without_output);
	tcase_add_test(tc, index_loads_only_what_is_used);
	tcase_add_test(tc, stale_or_unusable_index_loads_eagerly);
	tcase_add_test(tc, index_with_other_types_fails_closed);
	tcase_add_test(tc, references_and_order);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
