/* What check (and run) look at on this host, beyond the file: files QEMU
 * will open must exist (QL_KEY_EXISTS and the plugins' own checks), an
 * [fd.NAME] path must be there to read or have a directory to be made
 * in, and more memory than the host has is a warning.  print looks at
 * none of it.  Golden errors and warnings of tu_check. */
#include <qlconfig.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

/* ini with every "@" replaced by the temp directory */
static char *at(const char *ini)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = ini; *p; p++)
		if (*p == '@')
			sb_adds(&sb, tu_tmpdir());
		else
			sb_addc(&sb, *p);
	return sb_detach(&sb);
}

#define ck_check_at(ini, expect) do { \
		char *i_ = at(ini); \
		ck_check(i_, expect); \
		free(i_); \
	} while (0)

START_TEST(files_must_exist)
{
	tu_write("bzImage", "k", 1);
	tu_write("disk.qcow2", "d", 1);
	ck_check_at("[kernel]\npath = @/bzImage\n", "");
	ck_check_at("[kernel]\npath = @/nope\ninitrd = @/nope.img\n",
		    "T/t.ini:2: [kernel] path: T/nope does not exist, expected an existing file (QEMU opens it when it starts)\n"
		    "T/t.ini:3: [kernel] initrd: T/nope.img does not exist, expected an existing file (QEMU opens it when it starts)");
	ck_check_at("[disk.vda]\nfile = @/disk.qcow2\nformat = qcow2\n", "");
	ck_check_at("[disk.vda]\nfile = @/gone.qcow2\nformat = qcow2\n",
		    "T/t.ini:2: [disk.vda] file: T/gone.qcow2 does not exist, expected an existing file (QEMU opens it when it starts)");
	ck_check_at("[firmware]\ncode = @/code.fd\nvars = @/vars.fd\nvars-template = @/tmpl.fd\n",
		    "T/t.ini:2: [firmware] code: T/code.fd does not exist, expected an existing file (QEMU opens it when it starts)\n"
		    "T/t.ini:4: [firmware] vars-template: T/tmpl.fd does not exist, expected an existing file (QEMU opens it when it starts)");
	ck_check_at("[fw_cfg.blob]\nname = opt/org.example/blob\nfile = @/blob\n",
		    "T/t.ini:3: [fw_cfg.blob] file: T/blob does not exist, expected an existing file (QEMU opens it when it starts)");
	ck_check_at("[boot]\nsplash = @/splash.bmp\n",
		    "T/t.ini:2: [boot] splash: T/splash.bmp does not exist, expected an existing file (QEMU opens it when it starts)");
	/* a shared directory must be one */
	ck_check_at("[fsdev.fs0]\npath = @\nsecurity_model = none\n", "");
	ck_check_at("[fsdev.fs0]\npath = @/share\nsecurity_model = none\n",
		    "T/t.ini:2: [fsdev.fs0] path: T/share does not exist, expected the host directory to share");
	ck_check_at("[fsdev.fs0]\npath = @/bzImage\nsecurity_model = none\n",
		    "T/t.ini:2: [fsdev.fs0] path: T/bzImage is not a directory, expected the host directory to share");
	/* an fd set is the fd's: nothing to look at by name */
	ck_check("[fd.k]\ninherit = 0\nfdset = 1\n[kernel]\npath = ${fdset:k}\n",
		 "T/t.ini:2: [fd.k] inherit: fd 0 is stdin, stdout or stderr, expected an fd from 3 up");
	/* print describes the file, not this host */
	ck_argv("[kernel]\npath = /nonexistent/bzImage\n", "-kernel /nonexistent/bzImage");
}
END_TEST

START_TEST(fd_paths)
{
	tu_write("in.txt", "x", 1);
	ck_check_at("[fd.in]\npath = @/in.txt\nmode = r\n[fd.log]\npath = @/new.log\nmode = append\n", "");
	ck_check_at("[fd.in]\npath = @/missing.txt\nmode = r\n",
		    "T/t.ini:2: [fd.in] path: T/missing.txt does not exist, expected an existing file for mode = r");
	ck_check_at("[fd.log]\npath = @/no/dir/x.log\nmode = w\n",
		    "T/t.ini:2: [fd.log] path: the directory T/no/dir of T/no/dir/x.log does not exist, expected one "
		    "to create the file in");
	/* check creates nothing */
	ck_check_at("[fd.out]\npath = @/made.log\nmode = w\n", "");
	{
		char p[600];
		FILE *f;

		snprintf(p, sizeof(p), "%s/made.log", tu_tmpdir());
		f = fopen(p, "r");
		ck_assert_msg(f == NULL, "check created %s", p);
	}
}
END_TEST

START_TEST(memory_beyond_the_host)
{
	/* a warning: QEMU starts, the exit status stays 0 */
	char *e = NULL, *a = tu_check("[memory]\nsize = 1024T\n", &e);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(strncmp(tu_shorten(e, tu_tmpdir(), 'T'), "T/t.ini:2: [memory] size: warning: 1073741824 MiB is more "
			      "than this host's RAM and swap together (", 86) == 0, "%s", e);
	ck_assert_msg(strstr(e, " MiB): QEMU starts, but the host runs out once the guest uses it") != NULL, "%s", e);
	free(a);
	free(e);
	ck_check("[memory]\nsize = 64M\n", "");
	ck_argv("[memory]\nsize = 1024T\n", "-m 1024T");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("host");
	TCase *tc = tcase_create("host");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, files_must_exist);
	tcase_add_test(tc, fd_paths);
	tcase_add_test(tc, memory_beyond_the_host);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
