#include <qlconfig.h>

#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static char tmpdir[256];
static char path[512];

const char *tu_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");

		snprintf(tmpdir, sizeof(tmpdir), "%s/qltest.XXXXXX", base ? base : "/tmp");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	}
	return tmpdir;
}

const char *tu_write(const char *name, const char *text, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tu_tmpdir(), name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

struct plg_set *tu_plugins(const char *dir, struct diag *dg)
{
	/* the standard plugins come with this build's built-ins: a
	 * --with-builtin-plugins build has no .so for them */
	struct plg_filter f = { .builtins = dir ? NULL : plg_builtins };
	struct strv p = STRV_INIT;
	struct plg_set *set = NULL;

	if (!dir)
		dir = getenv("QLAUNCH_PLUGIN_DIR");
	ck_assert_msg(dir != NULL, "QLAUNCH_PLUGIN_DIR is not set");
	ck_assert_int_eq(sv_push(&p, dir), 0);
	plg_load_all(&p, &f, bld_core_types, dg, &set);
	sv_release(&p);
	return set;
}

char *tu_join_diag(const struct diag *dg)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < dg->msgs.n; i++)
		sb_printf(&sb, "%s%s", i ? "\n" : "", dg->msgs.v[i]);
	return sb_detach(&sb);
}

char *tu_build(const char *ini, char **errors)
{
	struct diag dg = DIAG_INIT;
	struct plg_set *set = tu_plugins(NULL, &dg);
	char *out;

	ck_assert_msg(!dg_failed(&dg), "plugins failed to load");
	out = tu_build_set(set, ini, errors);
	plg_set_free(set);
	dg_release(&dg);
	return out;
}

char *tu_build_set(const struct plg_set *set, const char *ini, char **errors)
{
	struct diag dg = DIAG_INIT;
	struct launch l;
	struct cfg *cfg = NULL;
	struct strbuf sb = STRBUF_INIT;
	char *out = NULL;

	*errors = NULL;
	if (inc_load(tu_write("t.ini", ini, strlen(ini)), &dg, &cfg) == 0 &&
	    bld_launch(cfg, set, QL_MODE_PRINT, "/usr/bin/qemu", NULL, &dg, &l) == 0) {
		for (size_t i = 1; i < l.argv.n; i++)
			sb_printf(&sb, "%s%s", i > 1 ? " " : "", l.argv.v[i]);
		out = sb_detach(&sb);
		launch_release(&l);
	} else {
		dg_sort(&dg);
		*errors = tu_join_diag(&dg);
	}
	cfg_free(cfg);
	dg_release(&dg);
	return out;
}

void tu_cleanup(void)
{
	char cmd[300];

	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	tmpdir[0] = '\0';
}

char *tu_shorten(char *s, const char *what, char with)
{
	size_t n = strlen(what);
	char *p;

	while (n && (p = strstr(s, what))) {
		p[0] = with;
		memmove(p + 1, p + n, strlen(p + n) + 1);
	}
	return s;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	TestResult **tr;
	int failed;

	/* Only TAP on stdout: check's own report (CK_NORMAL) is off, and
	 * where a failed test stopped follows as "# " comments. */
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	tr = srunner_failures(sr);
	for (int i = 0; tr && i < failed; i++)
		printf("# %s:%d: %s\n", tr_lfile(tr[i]), tr_lno(tr[i]), tr_msg(tr[i]));
	free(tr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
