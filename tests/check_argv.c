/* QEMU option escaping (core/argv.c) and argv output (core/output.c). */
#include <qlconfig.h>

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "output.h"
#include "testutil.h"

static char *escaped(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	ck_assert_int_eq(av_escape(&sb, s), 0);
	return sb_detach(&sb);
}

START_TEST(escape_doubles_commas)
{
	char *s;

	s = escaped("/a,b");
	ck_assert_str_eq(s, "/a,,b");
	free(s);
	s = escaped(",x,,y,");
	ck_assert_str_eq(s, ",,x,,,,y,,");
	free(s);
	s = escaped("plain");
	ck_assert_str_eq(s, "plain");
	free(s);
	s = escaped("");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(option_builder)
{
	struct av_opt o = AV_OPT_INIT;
	struct strv argv = STRV_INIT;

	ck_assert_int_eq(av_opt_begin(&o, "-drive"), 0);
	ck_assert_int_eq(av_opt_value(&o, "x"), 0);
	ck_assert_int_eq(av_opt_pair(&o, "file", "/x,readonly=off"), 0);
	ck_assert_int_eq(av_opt_pair(&o, "if", "none"), 0);
	ck_assert_int_eq(av_opt_end(&o, &argv), 0);
	ck_assert_uint_eq(argv.n, 2);
	ck_assert_str_eq(argv.v[0], "-drive");
	/* the injected ",readonly=off" stays inside the value */
	ck_assert_str_eq(argv.v[1], "x,file=/x,,readonly=off,if=none");
	ck_assert_ptr_null(o.flag);
	sv_release(&argv);
}
END_TEST

START_TEST(valid_keys)
{
	ck_assert(av_valid_key("mem-path"));
	ck_assert(av_valid_key("mount_tag"));
	ck_assert(av_valid_key("x.y"));
	ck_assert(!av_valid_key(""));
	ck_assert(!av_valid_key("a,b"));
	ck_assert(!av_valid_key("a=b"));
	ck_assert(!av_valid_key("a b"));
}
END_TEST

static char *render(const char *const *words, size_t n, enum out_format f)
{
	struct strv argv = STRV_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t bad = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(sv_push(&argv, words[i]), 0);
	ck_assert_int_eq(out_render(&argv, f, &sb, &bad), 0);
	s = sb_detach(&sb);
	sv_release(&argv);
	return s;
}

START_TEST(shell_quoting)
{
	static const char *const w[] = {
		"/usr/bin/qemu", "-name", "guest=my vm", "it's", "", "a,,b=c", "$HOME",
	};
	char *s = render(w, 7, OUT_SHELL);

	ck_assert_str_eq(s, "/usr/bin/qemu -name 'guest=my vm' 'it'\\''s' '' a,,b=c '$HOME'\n");
	free(s);
}
END_TEST

START_TEST(json_and_null)
{
	static const char *const w[] = { "/q", "a\"b\\c", "tab\there\n", "\x01", "caf\xc3\xa9" };
	char *s = render(w, 5, OUT_JSON);
	struct strv argv = STRV_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t bad = 99;

	ck_assert_str_eq(s, "[\"/q\", \"a\\\"b\\\\c\", \"tab\\there\\n\", \"\\u0001\", \"caf\xc3\xa9\"]\n");
	free(s);
	s = render(w, 2, OUT_NULL);
	ck_assert_int_eq(memcmp(s, "/q\0a\"b\\c\0", 10), 0);
	free(s);
	/* invalid UTF-8 cannot be JSON */
	ck_assert_int_eq(sv_push(&argv, "ok"), 0);
	ck_assert_int_eq(sv_push(&argv, "bad\xff"), 0);
	ck_assert_int_eq(out_render(&argv, OUT_JSON, &sb, &bad), -EILSEQ);
	ck_assert_uint_eq(bad, 1);
	sb_release(&sb);
	sv_release(&argv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("argv");
	TCase *tc = tcase_create("argv");

	tcase_add_test(tc, escape_doubles_commas);
	tcase_add_test(tc, option_builder);
	tcase_add_test(tc, valid_keys);
	tcase_add_test(tc, shell_quoting);
	tcase_add_test(tc, json_and_null);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
