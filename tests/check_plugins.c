/* Golden tests of the standard plugins and the core's [qemu] section:
 * config in, exact argv (after argv[0]) or exact errors out. */
#include <qlconfig.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Errors with the temp path shown as "T". */
static char *norm(char *err)
{
	const char *dir = tu_tmpdir();
	size_t n = strlen(dir);
	char *p;

	while ((p = strstr(err, dir))) {
		p[0] = 'T';
		memmove(p + 1, p + n, strlen(p + n) + 1);
	}
	return err;
}

#define ck_argv(ini, expect) do { \
		char *e_ = NULL, *a_ = tu_build(ini, &e_); \
		ck_assert_msg(a_ != NULL, "unexpected errors: %s", e_); \
		ck_assert_str_eq(a_, expect); \
		free(a_); \
	} while (0)

#define ck_errors(ini, expect) do { \
		char *e_ = NULL, *a_ = tu_build(ini, &e_); \
		ck_assert_msg(a_ == NULL, "expected errors, got argv: %s", a_); \
		ck_assert_str_eq(norm(e_), expect); \
		free(e_); \
	} while (0)

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

START_TEST(machine_golden)
{
	ck_argv("[machine]\ntype = q35\naccel = tcg\nusb = off\n",
		"-machine q35,accel=tcg,usb=off");
	/* accel goes second whatever its place; the rest in file order */
	ck_argv("[machine]\nvmport = off\naccel = kvm:tcg\ntype = pc\nsmm = on\n",
		"-machine pc,accel=kvm:tcg,vmport=off,smm=on");
	/* a value cannot add an option: its comma is doubled */
	ck_argv("[machine]\ntype = q35\nmemory-backend = m,dump-guest-core=on\n",
		"-machine q35,memory-backend=m,,dump-guest-core=on");
}
END_TEST

START_TEST(machine_errors)
{
	ck_errors("[machine]\naccel = tcg\n",
		  "T/t.ini:1: [machine]: missing key 'type', expected a machine type such as q35 or pc");
	ck_errors("[machine]\ntype = q35,accel=kvm\n",
		  "T/t.ini:2: [machine] type: 'q35,accel=kvm' contains '=', which QEMU would read as an option, expected a plain name");
	ck_errors("[machine]\ntype = help\n",
		  "T/t.ini:2: [machine] type: 'help' would make QEMU print help and exit, expected a name for -machine");
	ck_errors("[machine]\ntype =\n",
		  "T/t.ini:2: [machine] type: empty value, expected a name for -machine");
}
END_TEST

START_TEST(memory_golden)
{
	ck_argv("[memory]\nsize = 2G\nslots = 2\nmaxmem = 4G\n", "-m 2G,slots=2,maxmem=4G");
	ck_argv("[memory]\nmaxmem = 8g\nsize = 2048\n", "-m 2048,maxmem=8g");
	ck_argv("[memory]\nsize = 512M\n", "-m 512M");
}
END_TEST

START_TEST(memory_errors)
{
	ck_errors("[memory]\nsize = 2X\nslots = -1\nmaxmem = 99999999999999999999T\n",
		  "T/t.ini:2: [memory] size: invalid size '2X', expected a whole number with an optional K, M, G or T suffix\n"
		  "T/t.ini:3: [memory] slots: invalid value '-1', expected a whole number from 0 to 256\n"
		  "T/t.ini:4: [memory] maxmem: size '99999999999999999999T' is too large, expected at most 16E (2^64 - 1 bytes)");
	ck_errors("[memory]\nsize = 2G\nslots = 2\n",
		  "T/t.ini:3: [memory] slots: slots needs maxmem (QEMU refuses slots without it), expected maxmem too");
	ck_errors("[memory]\nsize = 4G\nmaxmem = 2G\n",
		  "T/t.ini:3: [memory] maxmem: maxmem is smaller than size, expected maxmem >= size");
	ck_errors("[memory]\nslots = 1\n",
		  "T/t.ini:1: [memory]: missing key 'size', expected the RAM size such as 2G");
	ck_errors("[memory]\nsize = 0\n", "T/t.ini:2: [memory] size: size is 0, expected at least 1M");
	ck_errors("[memroy]\nsize = 1G\n",
		  "T/t.ini:1: [memroy]: unknown section type 'memroy', did you mean [memory]?");
	ck_errors("[memory]\nsise = 1G\n",
		  "T/t.ini:1: [memory]: missing key 'size', expected the RAM size such as 2G\n"
		  "T/t.ini:2: [memory] sise: unknown key (did you mean 'size'?), expected one of: size, slots, maxmem");
	ck_errors("[memory.x]\nsize = 1G\n",
		  "T/t.ini:1: [memory.x]: [memory] takes no id, expected [memory]");
}
END_TEST

START_TEST(smp_golden)
{
	ck_argv("[smp]\ncpus = 2\ncores = 1\nthreads = 2\nsockets = 2\nmaxcpus = 4\n",
		"-smp 2,cores=1,threads=2,sockets=2,maxcpus=4");
	/* cpus first whatever its place */
	ck_argv("[smp]\nsockets = 2\ncpus = 2\n", "-smp 2,sockets=2");
	ck_argv("[smp]\ncpus = 4\n", "-smp 4");
	/* omitted members computed as QEMU does: 6 / (1*1*2) = 3 cores */
	ck_argv("[smp]\nmaxcpus = 6\nthreads = 2\ncpus = 2\n", "-smp 2,maxcpus=6,threads=2");
}
END_TEST

START_TEST(smp_errors)
{
	ck_errors("[smp]\ncpus = 4\nmaxcpus = 2\n",
		  "T/t.ini:3: [smp] maxcpus: maxcpus 2 is less than cpus 4, expected maxcpus >= cpus");
	ck_errors("[smp]\ncpus = 2\nsockets = 2\ncores = 2\nthreads = 2\nmaxcpus = 6\n",
		  "T/t.ini:1: [smp]: sockets*dies*cores*threads is 2*1*2*2 = 8, expected it to equal maxcpus (6)");
	ck_errors("[smp]\ncpus = 6\nsockets = 4\n",
		  "T/t.ini:1: [smp]: sockets*dies*cores*threads is 4*1*1*1 = 4, expected it to equal maxcpus (6)");
	ck_errors("[smp]\ncpus = 4\nsockets = 3\ncores = 2\n",
		  "T/t.ini:1: [smp]: the given sockets*dies*cores*threads multiply to 6, more than maxcpus (4), expected them to equal maxcpus");
	ck_errors("[smp]\ncpus = 0\n",
		  "T/t.ini:2: [smp] cpus: invalid value '0', expected a whole number from 1 to 65535");
	ck_errors("[smp]\n", "T/t.ini:1: [smp]: empty section, expected at least cpus");
}
END_TEST

START_TEST(qemu_section)
{
	ck_argv("[qemu]\nbinary = /opt/q\nname = my vm,x\nuuid = 6F1C3A52-8d1e-4b7a-9c3f-2e5d7a9b0c11\n"
		"nodefaults = on\nno-user-config = yes\nnographic = true\ndisplay = none\n"
		"serial = stdio\nstopped = on\nno-reboot = on\nreboot-timeout = 0\n"
		"pidfile = /run/vm,1.pid\n[machine]\ntype = q35\n",
		"-name guest=my vm,,x -uuid 6F1C3A52-8d1e-4b7a-9c3f-2e5d7a9b0c11 -machine q35 "
		"-nodefaults -no-user-config -nographic -display none -serial stdio -S -no-reboot "
		"-boot reboot-timeout=0 -pidfile /run/vm,1.pid");
	ck_argv("[qemu]\nnodefaults = off\nstopped = no\ndaemonize = on\n", "-daemonize");
}
END_TEST

START_TEST(qemu_errors)
{
	ck_errors("[qemu]\nbinary = qemu-system-x86_64\nuuid = 1234\nstopped = maybe\ndisplay = nonw\n"
		  "nographic = on\ndaemonize = on\nkvm = on\n",
		  "T/t.ini:2: [qemu] binary: 'qemu-system-x86_64' is not an absolute path, expected the full path of a QEMU binary\n"
		  "T/t.ini:3: [qemu] uuid: invalid UUID '1234', expected 8-4-4-4-12 hexadecimal digits like 6f1c3a52-8d1e-4b7a-9c3f-2e5d7a9b0c11\n"
		  "T/t.ini:4: [qemu] stopped: invalid boolean 'maybe', expected on, off, yes, no, true or false\n"
		  "T/t.ini:5: [qemu] display: invalid value 'nonw' (did you mean 'none'?), expected one of: none, gtk, sdl, curses, egl-headless, spice-app, dbus\n"
		  "T/t.ini:7: [qemu] daemonize: cannot be combined with nographic (QEMU refuses it), expected one of them\n"
		  "T/t.ini:8: [qemu] kvm: unknown key, expected one of: binary, name, uuid, nodefaults, no-user-config, nographic, display, serial, stopped, no-reboot, reboot-timeout, pidfile, daemonize");
}
END_TEST

START_TEST(family_order)
{
	/* file order does not matter across families: name, machine, memory, smp, switches */
	ck_argv("[smp]\ncpus = 1\n[qemu]\nstopped = on\nname = a\n[memory]\nsize = 1G\n[machine]\ntype = pc\n",
		"-name guest=a -machine pc -m 1G -smp 1 -S");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plugins");
	TCase *tc = tcase_create("golden");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, machine_golden);
	tcase_add_test(tc, machine_errors);
	tcase_add_test(tc, memory_golden);
	tcase_add_test(tc, memory_errors);
	tcase_add_test(tc, smp_golden);
	tcase_add_test(tc, smp_errors);
	tcase_add_test(tc, qemu_section);
	tcase_add_test(tc, qemu_errors);
	tcase_add_test(tc, family_order);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
