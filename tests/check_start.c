/*
 * start: QEMU's stderr traced to the INI lines (st_translate), golden.
 * The launch is built in print mode with the standard plugins; the QEMU
 * messages are the exact forms QEMU 7.2 prints (tests/qemu-start.test
 * checks them against the real binary).
 */
#include <qlconfig.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "start.h"
#include "testutil.h"

static const char vm[] =
	"[qemu]\n"                              /* 1 */
	"name = t\n"
	"\n"
	"[machine]\n"                           /* 4 */
	"type = q36\n"
	"\n"
	"[memory]\n"                            /* 7 */
	"size = 1000T\n"
	"\n"
	"[device.vda]\n"                        /* 10 */
	"driver = virtio-blk-pcii\n"
	"\n"
	"[device.n]\n"                          /* 13 */
	"driver = virtio-net-pci\n"
	"macc = 1\n"
	"\n"
	"[kernel]\n"                            /* 17 */
	"path = /boot/none\n"
	"\n"
	"[object.m0]\n"                         /* 20 */
	"type = memory-backend-rom\n"
	"size = 1G\n";

/* st_translate of stderr for the config text ini, messages joined with
 * '\n' in the order QEMU gave them (the temp dir shown as T). */
static char *translate(const char *ini, const char *stderr_text)
{
	struct diag dg = DIAG_INIT;
	struct plg_set *set = tu_plugins(NULL, &dg);
	struct cfg *cfg = NULL;
	struct launch l;
	char *out;

	ck_assert_msg(!dg_failed(&dg), "plugins failed to load");
	ck_assert_int_eq(inc_load(tu_write("t.ini", ini, strlen(ini)), &dg, &cfg), 0);
	ck_assert_int_eq(bld_launch(cfg, set, QL_MODE_PRINT, "/usr/bin/qemu-system-x86_64", NULL,
				    &dg, &l), 0);
	ck_assert_int_eq(st_translate(&l, cfg, stderr_text, strlen(stderr_text), &dg), 0);
	out = tu_shorten(tu_join_diag(&dg), tu_tmpdir(), 'T');
	launch_release(&l);
	cfg_free(cfg);
	plg_set_free(set);
	dg_release(&dg);
	return out;
}

#define ck_translate(ini, text, expect) do { \
		char *got_ = translate(ini, text); \
		ck_assert_str_eq(got_, expect); \
		free(got_); \
	} while (0)

START_TEST(option_and_quoted_value)
{
	ck_translate(vm, "qemu-system-x86_64: -device virtio-blk-pcii,id=vda: 'virtio-blk-pcii' is "
		     "not a valid device model name\n",
		     "T/t.ini:11: [device.vda] driver: QEMU says: 'virtio-blk-pcii' is not a valid "
		     "device model name");
	ck_translate(vm, "qemu-system-x86_64: -object memory-backend-rom,id=m0,size=1G: Parameter "
		     "'qom-type' does not accept value 'memory-backend-rom'\n",
		     "T/t.ini:21: [object.m0] type: QEMU says: Parameter 'qom-type' does not accept "
		     "value 'memory-backend-rom'");
}
END_TEST

START_TEST(option_and_quoted_key)
{
	ck_translate(vm, "qemu-system-x86_64: -device virtio-net-pci,id=n,macc=1: Property "
		     "'virtio-net-pci.macc' not found\n",
		     "T/t.ini:15: [device.n] macc: QEMU says: Property 'virtio-net-pci.macc' not found");
}
END_TEST

START_TEST(option_without_key)
{
	ck_translate(vm, "qemu-system-x86_64: -device virtio-net-pci,id=n,macc=1: something else\n",
		     "T/t.ini:13: [device.n]: QEMU says: something else");
}
END_TEST

START_TEST(no_option_phrases_and_hints)
{
	ck_translate(vm, "qemu-system-x86_64: unsupported machine type\n"
		     "Use -machine help to list supported machines\n",
		     "T/t.ini:5: [machine] type: QEMU says: unsupported machine type\n"
		     "T/t.ini:5: [machine] type: QEMU says: Use -machine help to list supported machines");
	ck_translate(vm, "qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate "
		     "memory\n",
		     "T/t.ini:8: [memory] size: QEMU says: cannot set up guest memory 'pc.ram': Cannot "
		     "allocate memory");
}
END_TEST

START_TEST(no_option_quoted_value)
{
	ck_translate(vm, "qemu: could not open kernel file '/boot/none': No such file or directory\n",
		     "T/t.ini:18: [kernel] path: QEMU says: could not open kernel file '/boot/none': "
		     "No such file or directory");
}
END_TEST

START_TEST(unplaced_lines_stay_with_the_file)
{
	ck_translate("[qemu]\nname = t\n", "something QEMU says\r\n\n"
		     "qemu-system-x86_64: warning: \x1b[1mbold\n",
		     "T/t.ini: warning: QEMU says: ?[1mbold\n"        /* warnings first */
		     "T/t.ini: QEMU says: something QEMU says");
	ck_translate("[qemu]\nname = t\n", "", "");
	ck_translate("[qemu]\nname = t\n", "no newline at the end",
		     "T/t.ini: QEMU says: no newline at the end");
}
END_TEST

START_TEST(warnings_stay_warnings)
{
	ck_translate(vm, "qemu-system-x86_64: -device virtio-net-pci,id=n,macc=1: warning: "
		     "'macc' is old\nand a hint\nqemu-system-x86_64: unsupported machine type\n",
		     "T/t.ini:15: [device.n] macc: warning: QEMU says: 'macc' is old\n"
		     "T/t.ini:15: [device.n] macc: warning: QEMU says: and a hint\n"
		     "T/t.ini:5: [machine] type: QEMU says: unsupported machine type");
}
END_TEST

START_TEST(base_file_key_names_its_file)
{
	char ini[256];

	{
		static const char base[] = "# base\n[device.vda]\ndriver = virtio-blk-pcii\n";

		tu_write("base.ini", base, strlen(base));
	}
	snprintf(ini, sizeof(ini), "[include]\npath = base.ini\n[qemu]\nname = t\n");
	ck_translate(ini, "qemu-system-x86_64: -device virtio-blk-pcii,id=vda: 'virtio-blk-pcii' is "
		     "not a valid device model name\n",
		     "T/base.ini:3: [device.vda] driver: QEMU says: 'virtio-blk-pcii' is not a valid "
		     "device model name");
}
END_TEST

static void teardown(void)
{
	tu_cleanup();
}

int main(void)
{
	Suite *s = suite_create("start");
	TCase *tc = tcase_create("translate");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, option_and_quoted_value);
	tcase_add_test(tc, option_and_quoted_key);
	tcase_add_test(tc, option_without_key);
	tcase_add_test(tc, no_option_phrases_and_hints);
	tcase_add_test(tc, no_option_quoted_value);
	tcase_add_test(tc, unplaced_lines_stay_with_the_file);
	tcase_add_test(tc, warnings_stay_warnings);
	tcase_add_test(tc, base_file_key_names_its_file);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
