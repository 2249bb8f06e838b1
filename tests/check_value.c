/* Typed value parsing and suggestions (core/value.c). */
#include <qlconfig.h>

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "value.h"
#include "testutil.h"

START_TEST(uint_parses_and_rejects)
{
	uint64_t v = 7;

	ck_assert_int_eq(val_uint("0", &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(val_uint("18446744073709551615", &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(val_uint("18446744073709551616", &v), -ERANGE);
	ck_assert_int_eq(val_uint("", &v), -EINVAL);
	ck_assert_int_eq(val_uint("-1", &v), -EINVAL);
	ck_assert_int_eq(val_uint("+1", &v), -EINVAL);
	ck_assert_int_eq(val_uint(" 1", &v), -EINVAL);
	ck_assert_int_eq(val_uint("1 ", &v), -EINVAL);
	ck_assert_int_eq(val_uint("0x10", &v), -EINVAL);
	/* QEMU would read these as octal */
	ck_assert_int_eq(val_uint("010", &v), -EINVAL);
	ck_assert_int_eq(val_uint("00", &v), -EINVAL);
}
END_TEST

START_TEST(size_suffixes)
{
	uint64_t v = 0;

	ck_assert_int_eq(val_size("2G", 1, &v), 0);
	ck_assert_uint_eq(v, 2ull << 30);
	ck_assert_int_eq(val_size("512m", 1, &v), 0);
	ck_assert_uint_eq(v, 512ull << 20);
	ck_assert_int_eq(val_size("3k", 1, &v), 0);
	ck_assert_uint_eq(v, 3072);
	ck_assert_int_eq(val_size("1T", 1, &v), 0);
	ck_assert_uint_eq(v, 1ull << 40);
	ck_assert_int_eq(val_size("2048", 1 << 20, &v), 0);
	ck_assert_uint_eq(v, 2048ull << 20);
	ck_assert_int_eq(val_size("64", 1, &v), 0);
	ck_assert_uint_eq(v, 64);
}
END_TEST

START_TEST(size_rejects)
{
	uint64_t v = 0;

	ck_assert_int_eq(val_size("", 1, &v), -EINVAL);
	ck_assert_int_eq(val_size("G", 1, &v), -EINVAL);
	ck_assert_int_eq(val_size("2X", 1, &v), -EINVAL);
	ck_assert_int_eq(val_size("2GB", 1, &v), -EINVAL);
	ck_assert_int_eq(val_size("1.5G", 1, &v), -EINVAL);
	ck_assert_int_eq(val_size("-1G", 1, &v), -EINVAL);
	ck_assert_int_eq(val_size("16777216T", 1, &v), -ERANGE);
	ck_assert_int_eq(val_size("99999999999999999999", 1, &v), -ERANGE);
	ck_assert_int_eq(val_size("18446744073709551615", 2, &v), -ERANGE);
	ck_assert_int_eq(val_size("999999999999999999999999999999999999", 1, &v), -ERANGE);
}
END_TEST

START_TEST(bools)
{
	static const char *const yes[] = { "on", "yes", "true" };
	static const char *const no[] = { "off", "no", "false" };
	int v;

	for (int i = 0; i < 3; i++) {
		v = -1;
		ck_assert_int_eq(val_bool(yes[i], &v), 0);
		ck_assert_int_eq(v, 1);
		ck_assert_int_eq(val_bool(no[i], &v), 0);
		ck_assert_int_eq(v, 0);
	}
	ck_assert_int_eq(val_bool("1", &v), -EINVAL);
	ck_assert_int_eq(val_bool("ON", &v), -EINVAL);
	ck_assert_int_eq(val_bool("", &v), -EINVAL);
}
END_TEST

START_TEST(suggestions)
{
	static const char *const types[] = { "machine", "memory", "smp", "qemu", NULL };

	ck_assert_str_eq(val_suggest("memroy", types), "memory");
	ck_assert_str_eq(val_suggest("machin", types), "machine");
	ck_assert_str_eq(val_suggest("smb", types), "smp");
	ck_assert_ptr_null(val_suggest("device", types));
	ck_assert_ptr_null(val_suggest("x", types));
	ck_assert_ptr_null(val_suggest("memory", NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("value");

	tcase_add_test(tc, uint_parses_and_rejects);
	tcase_add_test(tc, size_suffixes);
	tcase_add_test(tc, size_rejects);
	tcase_add_test(tc, bools);
	tcase_add_test(tc, suggestions);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
