/* Helpers shared by the check suites. */
#ifndef QL_TESTUTIL_H
#define QL_TESTUTIL_H

#include <check.h>

#include "build.h"
#include "config.h"
#include "diag.h"
#include "include.h"
#include "plugin.h"

/* A fresh temp directory (removed by tu_cleanup). */
const char *tu_tmpdir(void);
/* Write text to TMPDIR/name; returns the path (static storage per call
 * site is not kept: the caller copies if needed; valid until next call). */
const char *tu_write(const char *name, const char *text, size_t len);
/* Load plugins from dir only (NULL: the standard plugins, from
 * $QLAUNCH_PLUGIN_DIR and the built-ins of this build). */
struct plg_set *tu_plugins(const char *dir, struct diag *dg);
/*
 * Build the argv for an INI text with the standard plugins.  Returns the
 * argv after argv[0], joined with single spaces, or NULL on failure; the
 * errors, joined with '\n', are then in *errors.  Both malloc'd.
 */
char *tu_build(const char *ini, char **errors);
/* The same with the plugins of set. */
char *tu_build_set(const struct plg_set *set, const char *ini, char **errors);
/* Join a diag's messages with '\n' (malloc'd). */
char *tu_join_diag(const struct diag *dg);
void tu_cleanup(void);
/* Replace every occurrence of what in s (in place) by the letter with;
 * returns s.  Pins messages that contain a temporary path. */
char *tu_shorten(char *s, const char *what, char with);
/* Run every test of suite s and print TAP on stdout: one "ok N - FILE:
 * TCASE:TEST: ..." or "not ok N - ..." line per test (a crash in fork
 * mode is a "not ok" too), the plan 1..N, then "# FILE:LINE: message"
 * for each failure.  Returns main()'s exit status. */
int tu_run(Suite *s);

/* Golden checks of tu_build: the exact argv (after argv[0]), or the exact
 * errors with the temp directory shown as "T". */
#define ck_argv(ini, expect) do { \
		char *e_ = NULL, *a_ = tu_build(ini, &e_); \
		ck_assert_msg(a_ != NULL, "unexpected errors: %s", e_); \
		ck_assert_str_eq(a_, expect); \
		free(a_); \
	} while (0)

#define ck_errors(ini, expect) do { \
		char *e_ = NULL, *a_ = tu_build(ini, &e_); \
		ck_assert_msg(a_ == NULL, "expected errors, got argv: %s", a_); \
		ck_assert_str_eq(tu_shorten(e_, tu_tmpdir(), 'T'), expect); \
		free(e_); \
	} while (0)

#endif
