/* Shared base files ([include], core/include.c): the merge, key by key,
 * with golden argv, and golden errors for each trap (cycles, depth,
 * removals that name nothing, places another user could change).  The
 * config under test is always T/t.ini; its bases are written next to it. */
#include <qlconfig.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

/* Write a base file under the temp directory, making its directory. */
static void put(const char *name, const char *text)
{
	const char *slash = strrchr(name, '/');

	if (slash) {
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/%.*s", tu_tmpdir(), (int)(slash - name), name);
		ck_assert(mkdir(dir, 0755) == 0 || errno == EEXIST);
	}
	tu_write(name, text, strlen(text));
}

static const char base[] =
	"[machine]\ntype = q35\naccel = tcg\n"          /* lines 1-3 */
	"[memory]\nsize = 512M\n"                       /* 4-5 */
	"[device.rng]\ndriver = virtio-rng-pci\n"       /* 6-7 */
	"[vnc]\ndisplay = unix:/run/vm.vnc\n";          /* 8-9 */

START_TEST(merge_golden)
{
	put("base.ini", base);
	/* the bases' sections first, in their order; keys of the file win */
	ck_argv("[include]\npath = base.ini\n[memory]\nsize = 1G\n[device.blk]\ndriver = virtio-blk-pci\n",
		"-machine q35,accel=tcg -m 1G -device virtio-rng-pci,id=rng -device virtio-blk-pci,id=blk "
		"-vnc unix:/run/vm.vnc");
	/* a key the base lacks joins its section */
	ck_argv("[include]\npath = base.ini\n[device.rng]\nmax-bytes = 1024\n",
		"-machine q35,accel=tcg -m 512M -device virtio-rng-pci,id=rng,max-bytes=1024 -vnc unix:/run/vm.vnc");
	/* bases merge in order: the later one wins, key by key */
	put("net.ini", "[memory]\nsize = 2G\n[nic.n0]\ntype = user\n");
	ck_argv("[include]\npath = base.ini net.ini\n",
		"-machine q35,accel=tcg -m 2G -nic user,model=virtio-net-pci,id=n0 -device virtio-rng-pci,id=rng "
		"-vnc unix:/run/vm.vnc");
	ck_argv("[include]\npath = net.ini base.ini\n",
		"-machine q35,accel=tcg -m 512M -nic user,model=virtio-net-pci,id=n0 -device virtio-rng-pci,id=rng "
		"-vnc unix:/run/vm.vnc");
	/* remove drops a section, unset a key; a removed section may come
	 * back whole from the file, with none of the base's keys */
	ck_argv("[include]\npath = base.ini\nremove = vnc device.RNG\nunset = machine:accel\n",
		"-machine q35 -m 512M");
	ck_argv("[include]\npath = base.ini\nremove = machine\n[machine]\ntype = pc\n",
		"-machine pc -m 512M -device virtio-rng-pci,id=rng -vnc unix:/run/vm.vnc");
}
END_TEST

START_TEST(nested)
{
	/* relative names resolve against the including file's directory */
	put("common/base.ini", "[include]\npath = ../lib/mem.ini\n[machine]\ntype = q35\n");
	put("lib/mem.ini", "[memory]\nsize = 256M\n[machine]\ntype = pc\naccel = tcg\n");
	ck_argv("[include]\npath = common/base.ini\n[memory]\nsize = 1G\n",
		"-machine q35,accel=tcg -m 1G");
	/* the same base twice on different paths is no cycle */
	put("twice.ini", "[include]\npath = lib/mem.ini common/base.ini\n");
	ck_argv("[include]\npath = twice.ini\n", "-machine q35,accel=tcg -m 256M");
	/* an absolute name */
	{
		char ini[600];

		snprintf(ini, sizeof(ini), "[include]\npath = %s/lib/mem.ini\n", tu_tmpdir());
		ck_argv(ini, "-machine pc,accel=tcg -m 256M");
	}
}
END_TEST

START_TEST(messages_name_the_file)
{
	/* each message names the file and line the value came from */
	put("bad.ini", "[machine]\ntype = q35\n[memory]\nsize = 12X\n[smp]\ncpus = 2\n");
	ck_errors("[include]\npath = bad.ini\n[smp]\ncpus = none\n",
		  "T/bad.ini:4: [memory] size: invalid size '12X', expected a whole number with an optional K, M, G or T suffix\n"
		  "T/t.ini:4: [smp] cpus: invalid value 'none', expected a whole number from 1 to 65535");
	/* a key the file overrides is no longer the base's problem */
	ck_argv("[include]\npath = bad.ini\n[memory]\nsize = 1G\n", "-machine q35 -m 1G -smp 2");
	/* a base's key is no plugin-set default: it does not yield */
	put("disp.ini", "[qemu]\ndisplay = none\n");
	ck_errors("[include]\npath = disp.ini\n[display]\ntype = none\n",
		  "T/t.ini:3: [display]: [qemu] display = none is set too, expected the display in one of the two "
		  "sections ([qemu] display is the short form)");
	/* a section's id must be spelt as the base spells it */
	put("base.ini", base);
	ck_errors("[include]\npath = base.ini\n[device.RNG]\ndriver = virtio-rng-pci\n",
		  "T/t.ini:3: [device.RNG]: is spelt [device.rng] in T/base.ini:6, expected the same id "
		  "(QEMU ids are case-sensitive)");
	/* a base's own errors name it */
	put("broken.ini", "[machine\n");
	ck_errors("[include]\npath = broken.ini\n",
		  "T/broken.ini:1: malformed section header '[machine', expected [TYPE] or [TYPE.ID]");
}
END_TEST

START_TEST(include_errors)
{
	put("base.ini", base);
	ck_errors("[include]\npath = nope.ini\n",
		  "T/t.ini:2: [include] path: cannot open base file T/nope.ini: No such file or directory");
	ck_errors("[include]\npath = base.ini\npaht = x\n",
		  "T/t.ini:3: [include] paht: unknown key (did you mean 'path'?), expected one of: path, remove, unset");
	ck_errors("[include]\nremove = vnc\n",
		  "T/t.ini:1: [include]: missing key 'path', expected the base files to include");
	ck_errors("[include]\npath = \n",
		  "T/t.ini:2: [include] path: empty, expected one or more base files, separated by blanks");
	ck_errors("[include.a]\npath = base.ini\n",
		  "T/t.ini:1: [include.a]: [include] takes no id, expected [include]");
	ck_errors("[include]\npath = base.ini\nremove = vnc.x device\n",
		  "T/t.ini:3: [include] remove: 'vnc.x' names no section of the base files, expected TYPE or TYPE.ID of a section they have\n"
		  "T/t.ini:3: [include] remove: 'device' names no section of the base files, expected TYPE or TYPE.ID of a section they have");
	ck_errors("[include]\npath = base.ini\nunset = machine:nokey memory\n",
		  "T/t.ini:3: [include] unset: 'machine:nokey' names no key of the base files, expected SECTION:KEY of a key they set\n"
		  "T/t.ini:3: [include] unset: 'memory' is not SECTION:KEY, expected a section name, ':' and a key "
		  "(machine:accel, device.nic0:romfile)");
	ck_errors("[include]\npath = base.ini\nunset = machine:accel\n[machine]\naccel = kvm\n",
		  "T/t.ini:3: [include] unset: 'machine:accel' is set again at line 5 of this file, expected the key "
		  "either unset or set");
	/* a directory is no base */
	put("dir/x.ini", "[memory]\nsize = 1G\n");
	ck_errors("[include]\npath = dir\n",
		  "T/t.ini:2: [include] path: base file T/dir is not a regular file, expected an INI file");
}
END_TEST

START_TEST(cycles_and_depth)
{
	put("a.ini", "[include]\npath = b.ini\n");
	put("b.ini", "[include]\npath = a.ini\n");
	ck_errors("[include]\npath = a.ini\n",
		  "T/b.ini:2: [include] path: T/a.ini includes itself (T/t.ini -> T/a.ini -> T/b.ini -> T/a.ini), "
		  "expected no cycle");
	put("self.ini", "[include]\npath = t.ini\n");
	ck_errors("[include]\npath = self.ini\n",
		  "T/self.ini:2: [include] path: T/t.ini includes itself (T/t.ini -> T/self.ini -> T/t.ini), "
		  "expected no cycle");
	/* d1 includes d2 ... d9: the config, then 8 levels, is the limit */
	for (int i = 1; i <= 9; i++) {
		char name[24], text[64];

		snprintf(name, sizeof(name), "d%d.ini", i);
		if (i < 9)
			snprintf(text, sizeof(text), "[include]\npath = d%d.ini\n", i + 1);
		else
			snprintf(text, sizeof(text), "[memory]\nsize = 1G\n");
		put(name, text);
	}
	ck_errors("[include]\npath = d1.ini\n",
		  "T/d8.ini:2: [include] path: T/d9.ini would be a base file 9 levels deep, expected at most 8 "
		  "levels of includes");
	ck_argv("[include]\npath = d2.ini\n", "-m 1G");
}
END_TEST

START_TEST(unsafe_places)
{
	char dir[512];

	/* a base others could rewrite, or swap in a directory they may
	 * write, could change the VM: refused */
	put("base.ini", base);
	snprintf(dir, sizeof(dir), "%s/base.ini", tu_tmpdir());
	ck_assert_int_eq(chmod(dir, 0664), 0);
	ck_errors("[include]\npath = base.ini\n",
		  "T/t.ini:2: [include] path: base file T/base.ini may be written by its group (mode 0664), "
		  "expected a file only its owner may write");
	ck_assert_int_eq(chmod(dir, 0646), 0);
	ck_errors("[include]\npath = base.ini\n",
		  "T/t.ini:2: [include] path: base file T/base.ini may be written by others (mode 0646), "
		  "expected a file only its owner may write");
	put("open/b.ini", base);
	snprintf(dir, sizeof(dir), "%s/open", tu_tmpdir());
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_errors("[include]\npath = open/b.ini\n",
		  "T/t.ini:2: [include] path: base file T/open/b.ini is in T/open, which others may write, "
		  "expected it in directories only their owner writes (another user could swap it)");
	/* a link is followed only to a place that is safe in itself */
	snprintf(dir, sizeof(dir), "%s/link.ini", tu_tmpdir());
	ck_assert_int_eq(symlink("open/b.ini", dir), 0);
	ck_errors("[include]\npath = link.ini\n",
		  "T/t.ini:2: [include] path: base file T/link.ini is in T/open, which others may write, "
		  "expected it in directories only their owner writes (another user could swap it)");
	if (geteuid() == 0) {
		snprintf(dir, sizeof(dir), "%s/theirs.ini", tu_tmpdir());
		put("theirs.ini", base);
		ck_assert_int_eq(chown(dir, 4242, 4242), 0);
		ck_errors("[include]\npath = theirs.ini\n",
			  "T/t.ini:2: [include] path: base file T/theirs.ini belongs to uid 4242, expected a file "
			  "of root or uid 0");
	}
}
END_TEST

START_TEST(review_cases)
{
	char a[600], b[600];

	put("base.ini", base);
	/* a second [include.x] is no second chance for other bases */
	ck_errors("[include]\npath = base.ini\n[include.x]\npath = base.ini\n",
		  "T/t.ini:3: [include.x]: [include] takes no id, expected [include]");
	/* the type in any case, as in one file */
	ck_argv("[include]\npath = base.ini\n[Machine]\ntype = pc\n",
		"-machine pc,accel=tcg -m 512M -device virtio-rng-pci,id=rng -vnc unix:/run/vm.vnc");
	/* a section removed and defined again keeps its place */
	put("two.ini", "[device.a]\ndriver = e1000\n[device.b]\ndriver = virtio-rng-pci\n");
	ck_argv("[include]\npath = two.ini\nremove = device.a\n[device.a]\ndriver = virtio-net-pci\n",
		"-device virtio-net-pci,id=a -device virtio-rng-pci,id=b");
	ck_errors("[include]\npath = base.ini\nremove = vnc vnc\nunset = machine:accel machine:accel\n",
		  "T/t.ini:3: [include] remove: 'vnc' is listed twice, expected each section once\n"
		  "T/t.ini:4: [include] unset: 'machine:accel' is listed twice, expected each key once");
	/* a VM file linked from elsewhere includes its own neighbours */
	put("avail/vm.ini", "[include]\npath = net.ini\n");
	put("avail/net.ini", "[nic.n0]\ntype = user\n");
	put("enabled/x", "");
	snprintf(a, sizeof(a), "%s/enabled/vm.ini", tu_tmpdir());
	ck_assert_int_eq(symlink("../avail/vm.ini", a), 0);
	ck_argv("[include]\npath = enabled/vm.ini\n", "-nic user,model=virtio-net-pci,id=n0");
	/* a link to a directory, in a safe place, leads on */
	snprintf(a, sizeof(a), "%s/lib", tu_tmpdir());
	ck_assert_int_eq(symlink("avail", a), 0);
	ck_argv("[include]\npath = lib/net.ini\n", "-nic user,model=virtio-net-pci,id=n0");
	/* the config and its bases share one size budget */
	{
		char *big = malloc(2500001);

		ck_assert_ptr_nonnull(big);
		memset(big, '#', 2500000);
		for (size_t i = 99; i < 2500000; i += 100)
			big[i] = '\n';
		big[2500000] = '\0';
		put("big1.ini", big);
		put("big2.ini", big);
		free(big);
	}
	ck_errors("[include]\npath = big1.ini big2.ini\n",
		  "T/t.ini:2: [include] path: with T/big2.ini the files come to 5000035 bytes, expected at most "
		  "4194304 bytes for a config and its base files together");
	if (geteuid() == 0) {
		/* another user's directory, or their link in a sticky one,
		 * could redirect the include: refused */
		put("alice/base.ini", base);
		snprintf(a, sizeof(a), "%s/alice", tu_tmpdir());
		ck_assert_int_eq(chown(a, 4242, 4242), 0);
		ck_errors("[include]\npath = alice/base.ini\n",
			  "T/t.ini:2: [include] path: base file T/alice/base.ini is in T/alice, which belongs to "
			  "uid 4242, expected it in directories of root or uid 0 only (another user could swap it)");
		put("sticky/x", "");
		snprintf(a, sizeof(a), "%s/sticky", tu_tmpdir());
		ck_assert_int_eq(chmod(a, 01777), 0);
		snprintf(a, sizeof(a), "%s/sticky/base.ini", tu_tmpdir());
		snprintf(b, sizeof(b), "%s/base.ini", tu_tmpdir());
		ck_assert_int_eq(symlink(b, a), 0);
		ck_argv("[include]\npath = sticky/base.ini\n",
			"-machine q35,accel=tcg -m 512M -device virtio-rng-pci,id=rng -vnc unix:/run/vm.vnc");
		ck_assert_int_eq(lchown(a, 4242, 4242), 0);
		ck_errors("[include]\npath = sticky/base.ini\n",
			  "T/t.ini:2: [include] path: base file T/sticky/base.ini: T/sticky/base.ini belongs to uid "
			  "4242 in a directory others may write, expected only root's or uid 0's names on the way");
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("include");
	TCase *tc = tcase_create("include");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, merge_golden);
	tcase_add_test(tc, nested);
	tcase_add_test(tc, messages_name_the_file);
	tcase_add_test(tc, include_errors);
	tcase_add_test(tc, cycles_and_depth);
	tcase_add_test(tc, unsafe_places);
	tcase_add_test(tc, review_cases);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
