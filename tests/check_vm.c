/* Golden tests of the families that describe real VMs: disks, networks,
 * firmware, boot, displays, monitors and accelerators.  Config in, exact
 * argv (after argv[0]) or exact errors out. */
#include <qlconfig.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

START_TEST(blockdev_golden)
{
	/* driver first, node-name from the id, the rest in file order */
	ck_argv("[blockdev.f0]\nfilename = /img/a,b.raw\ndriver = file\ncache.direct = on\n"
		"[blockdev.d0]\ndriver = qcow2\nfile = f0\nbacking = null\n",
		"-blockdev driver=file,node-name=f0,filename=/img/a,,b.raw,cache.direct=on "
		"-blockdev driver=qcow2,node-name=d0,file=f0,backing=");
	/* backing = null: QEMU's key=value form spells null as empty */
	ck_argv("[blockdev.f]\ndriver = file\nfilename = /q\n[blockdev.q]\ndriver = qcow2\nbacking = null\n"
		"file = f\nread-only = on\n",
		"-blockdev driver=file,node-name=f,filename=/q -blockdev driver=qcow2,node-name=q,file=f,read-only=on,backing=");
	/* dotted keys pass through: no reference to check */
	ck_argv("[blockdev.d]\ndriver = raw\nfile.driver = file\nfile.filename = /x\n",
		"-blockdev driver=raw,node-name=d,file.driver=file,file.filename=/x");
	ck_argv("[blockdev.b]\ndriver = qcow2\nfile = f\n[blockdev.f]\ndriver = file\nfilename = /f\n"
		"[blockdev.top]\ndriver = qcow2\nfile = f2\nbacking = b\n[blockdev.f2]\ndriver = file\nfilename = /g\n",
		"-blockdev driver=qcow2,node-name=b,file=f -blockdev driver=file,node-name=f,filename=/f "
		"-blockdev driver=qcow2,node-name=top,file=f2,backing=b "
		"-blockdev driver=file,node-name=f2,filename=/g");
}
END_TEST

START_TEST(blockdev_errors)
{
	ck_errors("[blockdev.d0]\nfile = f0\n",
		  "T/t.ini:1: [blockdev.d0]: missing key 'driver', expected a block driver such as file, qcow2 or raw\n"
		  "T/t.ini:2: [blockdev.d0] file: refers to [blockdev.f0], which is not defined, expected the id of a [blockdev.ID] section");
	ck_errors("[blockdev.d0]\ndriver = qcow2\nfile = d0\n",
		  "T/t.ini:3: [blockdev.d0] file: 'd0' is this node itself, expected another [blockdev.NODE]");
	ck_errors("[blockdev.d0]\ndriver = qcow2\nfile = f\nbacking = nul\n[blockdev.f]\ndriver = file\nfilename = /f\n",
		  "T/t.ini:4: [blockdev.d0] backing: refers to [blockdev.nul], which is not defined, expected the id of a [blockdev.ID] section");
	ck_errors("[blockdev.abcdefghijklmnopqrstuvwxyz012345]\ndriver = null-co\n",
		  "T/t.ini:1: [blockdev.abcdefghijklmnopqrstuvwxyz012345]: node name 'abcdefghijklmnopqrstuvwxyz012345' "
		  "is longer than 31 characters, expected a shorter id");
	ck_errors("[blockdev.d]\ndriver = raw\nnode-name = x\n",
		  "T/t.ini:3: [blockdev.d] node-name: the id comes from the section name [blockdev.d], expected no node-name key");
	ck_errors("[blockdev]\ndriver = raw\n",
		  "T/t.ini:1: [blockdev]: [blockdev] needs an id, expected [blockdev.ID]");
}
END_TEST

START_TEST(drive_golden)
{
	ck_argv("[drive.hd0]\nfile = /img/a,b.img\nformat = raw\nif = virtio\n",
		"-drive id=hd0,file=/img/a,,b.img,format=raw,if=virtio");
	ck_errors("[drive.hd0]\nfile = /a\nid = x\n",
		  "T/t.ini:3: [drive.hd0] id: the id comes from the section name [drive.hd0], expected no id key");
}
END_TEST

START_TEST(disk_golden)
{
	/* the default: a virtio disk */
	ck_argv("[disk.vda]\nfile = /img/vm.qcow2\nformat = qcow2\n",
		"-blockdev driver=file,node-name=vda-file,filename=/img/vm.qcow2 "
		"-blockdev driver=qcow2,node-name=vda,file=vda-file "
		"-device virtio-blk-pci,drive=vda,id=vda");
	/* every key */
	ck_argv("[object.io0]\ntype = iothread\n"
		"[disk.vda]\nfile = /img/a,b.raw\nformat = raw\ncache = none\naio = native\n"
		"discard = unmap\ndetect-zeroes = unmap\nbootindex = 1\nserial = S1,x\niothread = io0\n"
		"readonly = yes\n",
		"-blockdev driver=file,node-name=vda-file,filename=/img/a,,b.raw,aio=native,cache.direct=on,"
		"cache.no-flush=off,read-only=on,discard=unmap "
		"-blockdev driver=raw,node-name=vda,file=vda-file,cache.direct=on,cache.no-flush=off,"
		"read-only=on,discard=unmap,detect-zeroes=unmap "
		"-device virtio-blk-pci,drive=vda,id=vda,bootindex=1,serial=S1,,x,iothread=io0,write-cache=on "
		"-object iothread,id=io0");
	/* the cache modes: direct, no-flush, and the device's write cache */
	ck_argv("[disk.a]\nfile = /a\nformat = raw\ncache = writethrough\n"
		"[disk.b]\nfile = /b\nformat = raw\ncache = unsafe\n"
		"[disk.c]\nfile = /c\nformat = raw\ncache = directsync\naio = io_uring\n",
		"-blockdev driver=file,node-name=a-file,filename=/a,cache.direct=off,cache.no-flush=off "
		"-blockdev driver=raw,node-name=a,file=a-file,cache.direct=off,cache.no-flush=off "
		"-device virtio-blk-pci,drive=a,id=a,write-cache=off "
		"-blockdev driver=file,node-name=b-file,filename=/b,cache.direct=off,cache.no-flush=on "
		"-blockdev driver=raw,node-name=b,file=b-file,cache.direct=off,cache.no-flush=on "
		"-device virtio-blk-pci,drive=b,id=b,write-cache=on "
		"-blockdev driver=file,node-name=c-file,filename=/c,aio=io_uring,cache.direct=on,cache.no-flush=off "
		"-blockdev driver=raw,node-name=c,file=c-file,cache.direct=on,cache.no-flush=off "
		"-device virtio-blk-pci,drive=c,id=c,write-cache=off");
	/* a cdrom is raw and read-only unless told otherwise */
	ck_argv("[disk.cd0]\nfile = /iso/debian.iso\nmedia = cdrom\ninterface = ide\nbootindex = 0\n",
		"-blockdev driver=file,node-name=cd0-file,filename=/iso/debian.iso,read-only=on "
		"-blockdev driver=raw,node-name=cd0,file=cd0-file,read-only=on "
		"-device ide-cd,bus=ide.0,unit=0,drive=cd0,id=cd0,bootindex=0");
	/* /dev/shm holds files */
	ck_argv("[disk.s]\nfile = /dev/shm/a.raw\nformat = raw\n",
		"-blockdev driver=file,node-name=s-file,filename=/dev/shm/a.raw "
		"-blockdev driver=raw,node-name=s,file=s-file -device virtio-blk-pci,drive=s,id=s");
	/* host devices get host_device / host_cdrom, an fdset stays a file */
	ck_argv("[disk.h]\nfile = /dev/sdb\nformat = raw\n[disk.c]\nfile = /dev/sr0\nmedia = cdrom\ninterface = scsi\n",
		"-blockdev driver=host_device,node-name=h-file,filename=/dev/sdb "
		"-blockdev driver=raw,node-name=h,file=h-file -device virtio-blk-pci,drive=h,id=h "
		"-device virtio-scsi-pci,id=qlaunch-scsi0 "
		"-blockdev driver=host_cdrom,node-name=c-file,filename=/dev/sr0,read-only=on "
		"-blockdev driver=raw,node-name=c,file=c-file,read-only=on "
		"-device scsi-cd,bus=qlaunch-scsi0.0,drive=c,id=c");
}
END_TEST

START_TEST(disk_controllers)
{
	/* one virtio-scsi controller for every scsi disk, added by the first */
	ck_argv("[disk.s0]\nfile = /a\nformat = raw\ninterface = scsi\n"
		"[disk.v]\nfile = /v\nformat = raw\n"
		"[disk.s1]\nfile = /b\nformat = qcow2\ninterface = scsi\n",
		"-device virtio-scsi-pci,id=qlaunch-scsi0 "
		"-blockdev driver=file,node-name=s0-file,filename=/a -blockdev driver=raw,node-name=s0,file=s0-file "
		"-device scsi-hd,bus=qlaunch-scsi0.0,drive=s0,id=s0 "
		"-blockdev driver=file,node-name=v-file,filename=/v -blockdev driver=raw,node-name=v,file=v-file "
		"-device virtio-blk-pci,drive=v,id=v "
		"-blockdev driver=file,node-name=s1-file,filename=/b -blockdev driver=qcow2,node-name=s1,file=s1-file "
		"-device scsi-hd,bus=qlaunch-scsi0.0,drive=s1,id=s1");
	/* an ich9-ahci per six sata disks, a port each */
	ck_argv("[disk.a]\nfile = /a\nformat = raw\ninterface = sata\n[disk.b]\nfile = /b\nmedia = cdrom\ninterface = sata\n"
		"[disk.c]\nfile = /c\nformat = raw\ninterface = sata\n[disk.d]\nfile = /d\nformat = raw\ninterface = sata\n"
		"[disk.e]\nfile = /e\nformat = raw\ninterface = sata\n[disk.f]\nfile = /f\nformat = raw\ninterface = sata\n"
		"[disk.g]\nfile = /g\nformat = raw\ninterface = sata\n",
		"-device ich9-ahci,id=qlaunch-sata0 "
		"-blockdev driver=file,node-name=a-file,filename=/a -blockdev driver=raw,node-name=a,file=a-file "
		"-device ide-hd,bus=qlaunch-sata0.0,drive=a,id=a "
		"-blockdev driver=file,node-name=b-file,filename=/b,read-only=on "
		"-blockdev driver=raw,node-name=b,file=b-file,read-only=on "
		"-device ide-cd,bus=qlaunch-sata0.1,drive=b,id=b "
		"-blockdev driver=file,node-name=c-file,filename=/c -blockdev driver=raw,node-name=c,file=c-file "
		"-device ide-hd,bus=qlaunch-sata0.2,drive=c,id=c "
		"-blockdev driver=file,node-name=d-file,filename=/d -blockdev driver=raw,node-name=d,file=d-file "
		"-device ide-hd,bus=qlaunch-sata0.3,drive=d,id=d "
		"-blockdev driver=file,node-name=e-file,filename=/e -blockdev driver=raw,node-name=e,file=e-file "
		"-device ide-hd,bus=qlaunch-sata0.4,drive=e,id=e "
		"-blockdev driver=file,node-name=f-file,filename=/f -blockdev driver=raw,node-name=f,file=f-file "
		"-device ide-hd,bus=qlaunch-sata0.5,drive=f,id=f "
		"-device ich9-ahci,id=qlaunch-sata1 "
		"-blockdev driver=file,node-name=g-file,filename=/g -blockdev driver=raw,node-name=g,file=g-file "
		"-device ide-hd,bus=qlaunch-sata1.0,drive=g,id=g");
	/* ide: the machine's own places, in file order (pc, QEMU's default: two
	 * channels of two; q35: six AHCI ports; others: QEMU picks) */
	ck_argv("[disk.a]\nfile = /a\nformat = raw\ninterface = ide\n[disk.b]\nfile = /b\nmedia = cdrom\ninterface = ide\n"
		"[disk.c]\nfile = /c\nformat = raw\ninterface = ide\n",
		"-blockdev driver=file,node-name=a-file,filename=/a -blockdev driver=raw,node-name=a,file=a-file "
		"-device ide-hd,bus=ide.0,unit=0,drive=a,id=a "
		"-blockdev driver=file,node-name=b-file,filename=/b,read-only=on "
		"-blockdev driver=raw,node-name=b,file=b-file,read-only=on -device ide-cd,bus=ide.0,unit=1,drive=b,id=b "
		"-blockdev driver=file,node-name=c-file,filename=/c -blockdev driver=raw,node-name=c,file=c-file "
		"-device ide-hd,bus=ide.1,unit=0,drive=c,id=c");
	ck_argv("[machine]\ntype = pc-q35-7.2\n[disk.a]\nfile = /a\nformat = raw\ninterface = ide\n"
		"[disk.b]\nfile = /b\nformat = raw\ninterface = ide\n",
		"-machine pc-q35-7.2 "
		"-blockdev driver=file,node-name=a-file,filename=/a -blockdev driver=raw,node-name=a,file=a-file "
		"-device ide-hd,bus=ide.0,drive=a,id=a "
		"-blockdev driver=file,node-name=b-file,filename=/b -blockdev driver=raw,node-name=b,file=b-file "
		"-device ide-hd,bus=ide.1,drive=b,id=b");
	ck_argv("[machine]\ntype = microvm\n[disk.a]\nfile = /a\nformat = raw\ninterface = ide\n",
		"-machine microvm "
		"-blockdev driver=file,node-name=a-file,filename=/a -blockdev driver=raw,node-name=a,file=a-file "
		"-device ide-hd,drive=a,id=a");
	/* usb: one xhci; nvme: the serial QEMU requires defaults to the id */
	ck_argv("[disk.u]\nfile = /u\nformat = raw\ninterface = usb\n[disk.n]\nfile = /n\nformat = raw\ninterface = nvme\n"
		"[disk.u2]\nfile = /u2\nformat = raw\ninterface = usb\nserial = X\n",
		"-device qemu-xhci,id=qlaunch-usb0 "
		"-blockdev driver=file,node-name=u-file,filename=/u -blockdev driver=raw,node-name=u,file=u-file "
		"-device usb-storage,bus=qlaunch-usb0.0,drive=u,id=u "
		"-blockdev driver=file,node-name=n-file,filename=/n -blockdev driver=raw,node-name=n,file=n-file "
		"-device nvme,drive=n,id=n,serial=n "
		"-blockdev driver=file,node-name=u2-file,filename=/u2 -blockdev driver=raw,node-name=u2,file=u2-file "
		"-device usb-storage,bus=qlaunch-usb0.0,drive=u2,id=u2,serial=X");
}
END_TEST

START_TEST(disk_errors)
{
	ck_errors("[disk.vda]\nformat = qcow2\n",
		  "T/t.ini:1: [disk.vda]: missing key 'file', expected the disk image or host device");
	ck_errors("[disk.vda]\nfile = /a\n",
		  "T/t.ini:1: [disk.vda]: missing key 'format' (qlaunch never lets QEMU guess it), expected one of: "
		  "raw, qcow2, vmdk, ... (only a cdrom defaults to raw)");
	ck_errors("[disk.vda]\nfile = /a\nformat = qcow3\n",
		  "T/t.ini:3: [disk.vda] format: invalid value 'qcow3' (did you mean 'qcow2'?), expected one of: "
		  "raw, qcow2, qcow, qed, vmdk, vdi, vhdx, vpc, parallels, dmg, bochs, cloop");
	ck_errors("[disk.cd]\nfile = /a.iso\nmedia = cdrom\n",
		  "T/t.ini:3: [disk.cd] media: a cdrom cannot be on interface virtio, expected interface = ide, sata or scsi");
	ck_errors("[disk.cd]\nfile = /a.iso\nmedia = cdrom\ninterface = usb\n",
		  "T/t.ini:3: [disk.cd] media: a cdrom cannot be on interface usb, expected interface = ide, sata or scsi");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\naio = native\n",
		  "T/t.ini:4: [disk.d] aio: native needs the host page cache bypassed, expected cache = none or directsync with it");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\ncache = writeback\naio = native\n",
		  "T/t.ini:5: [disk.d] aio: native needs the host page cache bypassed, expected cache = none or directsync with it");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\ndetect-zeroes = unmap\n",
		  "T/t.ini:4: [disk.d] detect-zeroes: unmap needs discard = unmap, expected both or detect-zeroes = on");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\ninterface = sata\nreadonly = on\n",
		  "T/t.ini:5: [disk.d] readonly: an sata disk cannot be read-only in QEMU, expected interface = virtio, "
		  "scsi, nvme or usb, or media = cdrom");
	ck_errors("[object.io]\ntype = iothread\n[disk.d]\nfile = /a\nformat = raw\ninterface = scsi\niothread = io\n",
		  "T/t.ini:7: [disk.d] iothread: only a virtio disk has its own I/O thread, expected interface = virtio");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\niothread = io\n",
		  "T/t.ini:4: [disk.d] iothread: refers to [object.io], which is not defined, expected the id of a [object.ID] section");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\nserial = 123456789012345678901\n",
		  "T/t.ini:4: [disk.d] serial: '123456789012345678901' is longer than 20 characters, expected a shorter serial");
	ck_errors("[disk.abcdefghijklmnopqrstuvwxyz0]\nfile = /a\nformat = raw\n",
		  "T/t.ini:1: [disk.abcdefghijklmnopqrstuvwxyz0]: id 'abcdefghijklmnopqrstuvwxyz0' is longer than 26 "
		  "characters (its node abcdefghijklmnopqrstuvwxyz0-file must fit QEMU's 31), expected a shorter id");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\nif = virtio\n",
		  "T/t.ini:4: [disk.d] if: unknown key, expected one of: file, format, interface, media, readonly, cache, "
		  "aio, discard, detect-zeroes, bootindex, serial, iothread");
	ck_errors("[disk.d]\nfile = /a\nformat = raw\ninterfce = scsi\ncache = none,aio=native\n",
		  "T/t.ini:4: [disk.d] interfce: unknown key (did you mean 'interface'?), expected one of: file, format, "
		  "interface, media, readonly, cache, aio, discard, detect-zeroes, bootindex, serial, iothread\n"
		  "T/t.ini:5: [disk.d] cache: invalid value 'none,aio=native', expected one of: none, writeback, "
		  "writethrough, directsync, unsafe");
	ck_errors("[disk.a]\nfile = /a\nformat = raw\ninterface = ide\n[disk.b]\nfile = /b\nformat = raw\ninterface = ide\n"
		  "[disk.c]\nfile = /c\nformat = raw\ninterface = ide\n[disk.d]\nfile = /d\nformat = raw\ninterface = ide\n"
		  "[disk.e]\nfile = /e\nformat = raw\ninterface = ide\n",
		  "T/t.ini:20: [disk.e] interface: pc has 4 IDE places, all taken, expected interface = sata (or scsi) for more disks");
	ck_errors("[blockdev.a]\ndriver = null-co\n[disk.a]\nfile = /a\nformat = raw\n[device.a]\ndriver = e1000\n"
		  "[blockdev.a-file]\ndriver = null-co\n",
		  "T/t.ini:3: [disk.a]: node name 'a' is taken by [blockdev.a], expected another id\n"
		  "T/t.ini:3: [disk.a]: node name 'a-file' is taken by [blockdev.a-file], expected another id\n"
		  "T/t.ini:3: [disk.a]: device id 'a' is taken by [device.a], expected another id");
	ck_errors("[drive.b-file]\nif = none\n[disk.b]\nfile = /b\nformat = raw\n[disk.qlaunch-scsi0]\nfile = /c\nformat = raw\n",
		  "T/t.ini:3: [disk.b]: node name 'b-file' is taken by [drive.b-file], expected another id\n"
		  "T/t.ini:6: [disk.qlaunch-scsi0]: ids starting with qlaunch- are the controllers', expected another id");
	ck_errors("[disk.b]\nfile = /b\nformat = raw\nbootindex = 2147483648\n",
		  "T/t.ini:4: [disk.b] bootindex: invalid value '2147483648', expected a whole number from 0 to 2147483647");
	ck_errors("[disk.nvme-disk-of-the-db-0]\nfile = /a\nformat = raw\ninterface = nvme\n",
		  "T/t.ini:1: [disk.nvme-disk-of-the-db-0]: an nvme disk needs a serial of at most 20 characters and "
		  "the id 'nvme-disk-of-the-db-0' is longer, expected serial = a shorter one");
	ck_errors("[disk.d]\nfile =\nformat = raw\n",
		  "T/t.ini:2: [disk.d] file: empty path, expected a file name");
}
END_TEST

START_TEST(device_refs)
{
	/* drive= names a [blockdev] node, a [drive] or a [disk]; netdev= a [netdev] */
	ck_argv("[blockdev.f]\ndriver = file\nfilename = /f\n[blockdev.n]\ndriver = raw\nfile = f\n"
		"[device.v]\ndriver = virtio-blk-pci\ndrive = n\n"
		"[drive.d]\nfile = /d\nformat = raw\nif = none\n[device.w]\ndriver = virtio-blk-pci\ndrive = d\n"
		"[netdev.u]\ntype = user\n[device.e]\ndriver = e1000\nnetdev = u\n",
		"-blockdev driver=file,node-name=f,filename=/f -blockdev driver=raw,node-name=n,file=f "
		"-drive id=d,file=/d,format=raw,if=none -netdev user,id=u "
		"-device virtio-blk-pci,id=v,drive=n -device virtio-blk-pci,id=w,drive=d -device e1000,id=e,netdev=u");
	ck_errors("[device.v]\ndriver = virtio-blk-pci\ndrive = d0\nnetdev = n0\n",
		  "T/t.ini:3: [device.v] drive: refers to 'd0', which is not defined, expected the id of a "
		  "[blockdev.ID], [drive.ID] or [disk.ID] section\n"
		  "T/t.ini:4: [device.v] netdev: refers to [netdev.n0], which is not defined, expected the id of a "
		  "[netdev.ID] section");
	ck_errors("[disk.D0]\nfile = /a\nformat = raw\n[device.v]\ndriver = virtio-blk-pci\ndrive = d0\n",
		  "T/t.ini:6: [device.v] drive: refers to 'd0', which is not defined (did you mean [disk.D0]? ids are "
		  "case-sensitive), expected the id of a [blockdev.ID], [drive.ID] or [disk.ID] section");
}
END_TEST

START_TEST(netdev_golden)
{
	char ini[256];
	int fd;

	ck_argv("[netdev.net0]\ntype = user\nhostfwd = tcp:127.0.0.1:2222-:22  tcp::8080-:80\n"
		"guestfwd = tcp:10.0.2.100:1234-cmd:nc,x\nipv6 = off\n",
		"-netdev user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp::8080-:80,"
		"guestfwd=tcp:10.0.2.100:1234-cmd:nc,,x,ipv6=off");
	ck_argv("[netdev.t]\ntype = tap\nifname = tap0\nscript = no\ndownscript = no\nvhost = on\n",
		"-netdev tap,id=t,ifname=tap0,script=no,downscript=no,vhost=on");
	/* a tap the caller opened (here /dev/null), handed over as an fd */
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 3);
	snprintf(ini, sizeof(ini), "[fd.tap0]\ninherit = %d\n[netdev.t]\ntype = tap\nfd = ${fd:tap0}\n"
		 "vhost = on\n[device.n]\ndriver = virtio-net-pci\nnetdev = t\n", fd);
	ck_argv(ini, "-netdev tap,id=t,fd=3,vhost=on -device virtio-net-pci,id=n,netdev=t");
	close(fd);
	ck_argv("[nic.n0]\ntype = user\nhostfwd = tcp:127.0.0.1:2222-:22\n",
		"-nic user,model=virtio-net-pci,id=n0,hostfwd=tcp:127.0.0.1:2222-:22");
	/* the DHCP domain search list: one dnssearch= per domain */
	ck_argv("[netdev.u]\ntype = user\ndnssearch = a.example b.example\n[nic.n0]\ntype = user\n"
		"dnssearch = c.example\n",
		"-netdev user,id=u,dnssearch=a.example,dnssearch=b.example "
		"-nic user,model=virtio-net-pci,id=n0,dnssearch=c.example");
	ck_argv("[nic.n0]\ntype = user\nmac = 52:54:00:AB:cd:01\nmodel = e1000\n",
		"-nic user,model=e1000,id=n0,mac=52:54:00:AB:cd:01");
}
END_TEST

START_TEST(netdev_errors)
{
	ck_errors("[netdev.n]\nhostfwd = tcp::1-:2\n",
		  "T/t.ini:1: [netdev.n]: missing key 'type', expected one of: user, tap, bridge, socket, stream, "
		  "dgram, l2tpv3, vde, hubport, vhost-user, vhost-vdpa");
	ck_errors("[netdev.n]\ntype = usr\n",
		  "T/t.ini:2: [netdev.n] type: invalid value 'usr' (did you mean 'user'?), expected one of: user, tap, "
		  "bridge, socket, stream, dgram, l2tpv3, vde, hubport, vhost-user, vhost-vdpa");
	ck_errors("[netdev.n]\ntype = user\nhostfwd =\n",
		  "T/t.ini:3: [netdev.n] hostfwd: empty list, expected one or more values separated by blanks");
	ck_errors("[nic.n]\ntype = user\nmac = 52:54:00:12:34\n",
		  "T/t.ini:3: [nic.n] mac: invalid MAC address '52:54:00:12:34', expected six hexadecimal pairs such as 52:54:00:12:34:56");
	ck_errors("[nic.n]\ntype = user\nmac = 01:00:5e:00:00:01\n",
		  "T/t.ini:3: [nic.n] mac: '01:00:5e:00:00:01' is a multicast address, expected a unicast one (the first byte even, such as 52)");
	ck_errors("[netdev.n]\ntype = user\n[nic.n]\ntype = user\n",
		  "T/t.ini:3: [nic.n]: [netdev.n] has this id too (QEMU has one namespace for both), expected another id");
	ck_errors("[nic.n]\ntype = user\nmodel =\n",
		  "T/t.ini:3: [nic.n] model: empty, expected a NIC model such as virtio-net-pci or e1000");
	ck_errors("[nic.n]\ntype = user\nmodel = help\n",
		  "T/t.ini:3: [nic.n] model: 'help' would make QEMU print help and exit, expected a value");
}
END_TEST

START_TEST(firmware_golden)
{
	ck_argv("[firmware]\ncode = /usr/share/OVMF/OVMF_CODE_4M.fd\nvars = /var/lib/vm/a,b_VARS.fd\n"
		"vars-template = /usr/share/OVMF/OVMF_VARS_4M.fd\n",
		"-drive if=pflash,unit=0,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd "
		"-drive if=pflash,unit=1,format=raw,file=/var/lib/vm/a,,b_VARS.fd");
	/* a unified image: code only */
	ck_argv("[machine]\ntype = pc\n[firmware]\ncode = /fw/OVMF.fd\n",
		"-machine pc -drive if=pflash,unit=0,format=raw,readonly=on,file=/fw/OVMF.fd");
}
END_TEST

START_TEST(firmware_errors)
{
	ck_errors("[firmware]\nvars = /v\n",
		  "T/t.ini:1: [firmware]: missing key 'code', expected the firmware image, such as /usr/share/OVMF/OVMF_CODE_4M.fd");
	ck_errors("[firmware]\ncode = /c\nvars-template = /t\n",
		  "T/t.ini:3: [firmware] vars-template: a template but no vars, expected vars = the VM's own variable "
		  "store (the template is copied there)");
	ck_errors("[firmware]\ncode = /c\nvars = /t\nvars-template = /t\n",
		  "T/t.ini:3: [firmware] vars: the same file as vars-template, expected the VM's own copy");
	ck_errors("[firmware]\ncode = json:{}\nvars = nbd:host:10809\n",
		  "T/t.ini:2: [firmware] code: 'json:{}' would be read by QEMU as protocol:name, expected a file name "
		  "(write ./json:{} for a file of that name)\n"
		  "T/t.ini:3: [firmware] vars: 'nbd:host:10809' would be read by QEMU as protocol:name, expected a file "
		  "name (write ./nbd:host:10809 for a file of that name)");
	/* an fd set is opened by its [fd.NAME]: no template, nothing to check */
	ck_argv("[fd.v]\npath = /var/lib/vm/vars.fd\nmode = rw\nfdset = 5\n[firmware]\ncode = /c\nvars = ${fdset:v}\n",
		"-add-fd fd=3,set=5,opaque=v -drive if=pflash,unit=0,format=raw,readonly=on,file=/c "
		"-drive if=pflash,unit=1,format=raw,file=/dev/fdset/5");
	ck_errors("[fd.v]\npath = /var/lib/vm/vars.fd\nmode = rw\nfdset = 5\n[firmware]\ncode = /c\nvars = ${fdset:v}\n"
		  "vars-template = /t\n",
		  "T/t.ini:8: [firmware] vars-template: vars is an fd set, which qlaunch opens as it is, expected no template with it");
	ck_errors("[machine]\ntype = microvm\n[firmware]\ncode = /c\n",
		  "T/t.ini:3: [firmware]: [machine] type microvm has no flash for firmware, expected a machine type such as q35 or pc");
	ck_errors("[machine]\ntype = q35\npflash0 = fw\n[firmware]\ncode = /c\n",
		  "T/t.ini:4: [firmware]: [machine] sets pflash0 or pflash1 too, expected the firmware in [firmware] only");
	ck_errors("[firmware.x]\ncode = /c\n",
		  "T/t.ini:1: [firmware.x]: [firmware] takes no id, expected [firmware]");
}
END_TEST

START_TEST(boot_golden)
{
	ck_argv("[boot]\norder = dc\nonce = n\nmenu = yes\nsplash = /s.jpg\nsplash-time = 3000\n"
		"reboot-timeout = 5000\nstrict = on\n",
		"-boot order=dc,once=n,menu=on,splash=/s.jpg,splash-time=3000,reboot-timeout=5000,strict=on");
	/* [qemu] reboot-timeout and [boot] may both be given if they do not overlap */
	ck_argv("[qemu]\nreboot-timeout = 100\n[boot]\norder = c\n",
		"-boot order=c -boot reboot-timeout=100");
}
END_TEST

START_TEST(boot_errors)
{
	ck_errors("[boot]\norder = cdx\n",
		  "T/t.ini:2: [boot] order: 'x' is no boot drive, expected letters of a, b (floppy), c (hard disk), "
		  "d (CD-ROM), n-p (network)");
	ck_errors("[boot]\norder = cdc\nonce =\n",
		  "T/t.ini:2: [boot] order: 'c' is given twice, expected each drive once\n"
		  "T/t.ini:3: [boot] once: empty, expected boot drive letters such as cd");
	ck_errors("[qemu]\nreboot-timeout = 100\n[boot]\nreboot-timeout = 200\n",
		  "T/t.ini:4: [boot] reboot-timeout: also set by [qemu] reboot-timeout, expected it in one of the two sections");
	ck_errors("[boot]\nmenu = maybe\nsplash-time = 70000\n",
		  "T/t.ini:2: [boot] menu: invalid boolean 'maybe', expected on, off, yes, no, true or false\n"
		  "T/t.ini:3: [boot] splash-time: invalid value '70000', expected a whole number from 0 to 65535");
	ck_errors("[boot]\nordr = c\n",
		  "T/t.ini:2: [boot] ordr: unknown key (did you mean 'order'?), expected one of: order, once, menu, "
		  "splash, splash-time, reboot-timeout, strict");
	ck_errors("[boot]\n",
		  "T/t.ini:1: [boot]: empty section, expected one of: order, once, menu, splash, splash-time, "
		  "reboot-timeout, strict");
}
END_TEST

START_TEST(display_golden)
{
	ck_argv("[vnc]\ndisplay = 127.0.0.1:5\nlossy = yes\nshare = force-shared\n",
		"-vnc 127.0.0.1:5,lossy=on,share=force-shared");
	ck_argv("[vnc]\ndisplay = unix:/run/vm/vnc.sock\n", "-vnc unix:/run/vm/vnc.sock");
	/* every interface: only with authentication, or said to be meant */
	ck_argv("[vnc]\ndisplay = :0\npassword = on\n", "-vnc :0,password=on");
	ck_argv("[object.tls0]\ntype = tls-creds-x509\ndir = /etc/pki\n[vnc]\ndisplay = 0.0.0.0:1\ntls-creds = tls0\n",
		"-object tls-creds-x509,id=tls0,dir=/etc/pki -vnc 0.0.0.0:1,tls-creds=tls0");
	ck_argv("[vnc]\ndisplay = [::]:2\ninsecure = on\n", "-vnc [::]:2");
	ck_argv("[display]\ntype = egl-headless\nrendernode = /dev/dri/renderD128\n",
		"-display egl-headless,rendernode=/dev/dri/renderD128");
	ck_argv("[spice]\nport = 5930\naddr = 127.0.0.1\ndisable-ticketing = on\n",
		"-spice port=5930,addr=127.0.0.1,disable-ticketing=on");
}
END_TEST

START_TEST(display_errors)
{
	ck_errors("[vnc]\ndisplay = :0\n",
		  "T/t.ini:2: [vnc] display: ':0' can be reached from other hosts and asks for no authentication, "
		  "expected 127.0.0.1:N or unix:PATH, or password = on, password-secret, sasl = on or tls-creds "
		  "(insecure = on if this is really meant)");
	ck_errors("[vnc]\ndisplay = 0.0.0.0:0\npassword = off\n",
		  "T/t.ini:2: [vnc] display: '0.0.0.0:0' can be reached from other hosts and asks for no authentication, "
		  "expected 127.0.0.1:N or unix:PATH, or password = on, password-secret, sasl = on or tls-creds "
		  "(insecure = on if this is really meant)");
	ck_errors("[vnc]\ndisplay = 0:3\n",
		  "T/t.ini:2: [vnc] display: '0:3' can be reached from other hosts and asks for no authentication, "
		  "expected 127.0.0.1:N or unix:PATH, or password = on, password-secret, sasl = on or tls-creds "
		  "(insecure = on if this is really meant)");
	ck_errors("[vnc]\ndisplay = 127.0.0.1:3\nwebsocket = :5703\n",
		  "T/t.ini:3: [vnc] websocket: ':5703' can be reached from other hosts and asks for no authentication, "
		  "expected 127.0.0.1:N or unix:PATH, or password = on, password-secret, sasl = on or tls-creds "
		  "(insecure = on if this is really meant)");
	ck_errors("[vnc]\ndisplay = unix:/run/v.sock\nwebsocket = 5792\n",
		  "T/t.ini:3: [vnc] websocket: '5792' can be reached from other hosts and asks for no authentication, "
		  "expected 127.0.0.1:N or unix:PATH, or password = on, password-secret, sasl = on or tls-creds "
		  "(insecure = on if this is really meant)");
	ck_errors("[object.t]\ntype = tls-creds-anon\n[vnc]\ndisplay = [::0]:5\ntls-creds = t\n",
		  "T/t.ini:4: [vnc] display: '[::0]:5' can be reached from other hosts and asks for no authentication, "
		  "expected 127.0.0.1:N or unix:PATH, or password = on, password-secret, sasl = on or tls-creds "
		  "(insecure = on if this is really meant)");
	ck_argv("[object.pw]\ntype = secret\ndata = x\n[vnc]\ndisplay = 192.0.2.1:5\npassword-secret = pw\n",
		"-object secret,id=pw,data=x -vnc 192.0.2.1:5,password-secret=pw");
	ck_argv("[vnc]\ndisplay = localhost:5\nwebsocket = 127.0.0.1:5705\n", "-vnc localhost:5,websocket=127.0.0.1:5705");
	ck_argv("[vnc]\ndisplay = 127.0.0.1:3\nwebsocket = on\n", "-vnc 127.0.0.1:3,websocket=on");
	ck_errors("[vnc]\nlossy = on\n",
		  "T/t.ini:1: [vnc]: missing key 'display', expected where to listen, such as 127.0.0.1:5, "
		  "unix:/run/vm.vnc or none");
	ck_errors("[vnc]\ndisplay = 127.0.0.1:0,password=off\n",
		  "T/t.ini:2: [vnc] display: '127.0.0.1:0,password=off' contains '=', which QEMU would read as an option, expected a plain name");
	ck_errors("[vnc]\ndisplay = 127.0.0.1:0\ntls-creds = t\n",
		  "T/t.ini:3: [vnc] tls-creds: refers to [object.t], which is not defined, expected the id of a [object.ID] section");
	ck_errors("[qemu]\ndisplay = none\n[display]\ntype = none\n",
		  "T/t.ini:3: [display]: [qemu] display = none is set too, expected the display in one of the two "
		  "sections ([qemu] display is the short form)");
	ck_errors("[display]\ntype = gtkk\n",
		  "T/t.ini:2: [display] type: invalid value 'gtkk' (did you mean 'gtk'?), expected one of: none, gtk, "
		  "sdl, curses, egl-headless, spice-app, dbus");
}
END_TEST

START_TEST(monitor_golden)
{
	ck_argv("[chardev.m]\nbackend = socket\npath = /run/m.sock\nserver = on\nwait = off\n"
		"[monitor.hmp]\nmode = readline\nchardev = m\n"
		"[chardev.q]\nbackend = stdio\n[monitor.qmp0]\nchardev = q\nmode = control\npretty = on\n",
		"-chardev socket,id=m,path=/run/m.sock,server=on,wait=off -chardev stdio,id=q "
		"-mon chardev=m,id=hmp,mode=readline -mon chardev=q,id=qmp0,mode=control,pretty=on");
	ck_errors("[monitor.m]\nmode = readline\n",
		  "T/t.ini:1: [monitor.m]: missing key 'chardev', expected the id of a [chardev.ID] section");
	ck_errors("[monitor.m]\nchardev = c\nmode = qmp\n",
		  "T/t.ini:2: [monitor.m] chardev: refers to [chardev.c], which is not defined, expected the id of a "
		  "[chardev.ID] section\n"
		  "T/t.ini:3: [monitor.m] mode: invalid value 'qmp', expected one of: readline, control");
	ck_argv("[chardev.c]\nbackend = null\n[monitor.m]\nchardev = c\npretty = off\n",
		"-chardev null,id=c -mon chardev=c,id=m,pretty=off");
	ck_errors("[chardev.c]\nbackend = null\n[monitor.m]\nchardev = c\npretty = on\n",
		  "T/t.ini:5: [monitor.m] pretty: only a QMP monitor is pretty-printed, expected mode = control");
	ck_errors("[chardev.c]\nbackend = null\n[monitor.m]\nchardev = c\nsize = 3\n",
		  "T/t.ini:5: [monitor.m] size: unknown key, expected one of: chardev, mode, pretty");
}
END_TEST

START_TEST(accel_golden)
{
	/* tried in file order */
	ck_argv("[accel.kvm]\nkernel-irqchip = split\n[accel.tcg]\nthread = multi\ntb-size = 512\n",
		"-accel accel=kvm,kernel-irqchip=split -accel accel=tcg,thread=multi,tb-size=512");
	ck_argv("[machine]\ntype = q35\n[accel.tcg]\nsplit-wx = yes\n",
		"-machine q35 -accel accel=tcg,split-wx=on");
	ck_errors("[accel.tgc]\n",
		  "T/t.ini:1: [accel.tgc]: unknown accelerator 'tgc', expected [accel.NAME] with NAME one of: kvm, "
		  "tcg, xen, hax, hvf, nvmm, whpx, qtest");
	ck_errors("[machine]\ntype = q35\naccel = tcg\n[accel.tcg]\n",
		  "T/t.ini:4: [accel.tcg]: [machine] accel = tcg is set too, and QEMU refuses -accel with it, "
		  "expected the accelerators in [accel.NAME] sections only");
	ck_errors("[accel.kvm]\nthread = multi\ntb-size = 64\n",
		  "T/t.ini:2: [accel.kvm] thread: only TCG has this property, expected it in [accel.tcg]\n"
		  "T/t.ini:3: [accel.kvm] tb-size: only TCG has this property, expected it in [accel.tcg]");
	ck_errors("[accel.kvm]\nthread = many\n",
		  "T/t.ini:2: [accel.kvm] thread: invalid value 'many', expected one of: single, multi");
	ck_errors("[accel.tcg]\nthread = many\n",
		  "T/t.ini:2: [accel.tcg] thread: invalid value 'many', expected one of: single, multi");
	ck_errors("[accel]\nthread = single\n",
		  "T/t.ini:1: [accel]: [accel] needs an id, expected [accel.ID]");
}
END_TEST

START_TEST(runctl_golden)
{
	ck_argv("[overcommit]\nmem-lock = off\ncpu-pm = no\n"
		"[sandbox]\nenable = on\nobsolete = deny\nelevateprivileges = deny\nspawn = deny\n"
		"resourcecontrol = deny\n[msg]\ntimestamp = yes\n"
		"[action]\nreboot = shutdown\nshutdown = pause\npanic = exit-failure\nwatchdog = inject-nmi\n"
		"[machine]\ntype = q35\n",
		"-overcommit mem-lock=off,cpu-pm=off "
		"-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny "
		"-msg timestamp=on -action reboot=shutdown,shutdown=pause,panic=exit-failure,watchdog=inject-nmi "
		"-machine q35");
	ck_argv("[sandbox]\nenable = off\n", "-sandbox off");
	ck_errors("[sandbox]\nspawn = deny\n",
		  "T/t.ini:1: [sandbox]: missing key 'enable', expected on or off");
	ck_errors("[sandbox]\nenable = on\nspawn = children\n",
		  "T/t.ini:3: [sandbox] spawn: invalid value 'children', expected one of: allow, deny");
	ck_errors("[action]\npanic = exit\n",
		  "T/t.ini:2: [action] panic: invalid value 'exit', expected one of: pause, shutdown, exit-failure, none");
	ck_errors("[qemu]\nwatchdog-action = pause\nno-shutdown = on\n[action]\nwatchdog = reset\nshutdown = pause\n",
		  "T/t.ini:5: [action] watchdog: also set by [qemu] watchdog-action, expected it in one of the two sections\n"
		  "T/t.ini:6: [action] shutdown: also set by [qemu] no-shutdown, expected it in one of the two sections");
	ck_errors("[msg]\ntimestamp = on\nformat = json\n",
		  "T/t.ini:3: [msg] format: unknown key, expected one of: timestamp, guest-name");
	ck_errors("[overcommit]\n",
		  "T/t.ini:1: [overcommit]: empty section, expected one of: mem-lock, cpu-pm");
}
END_TEST

START_TEST(platform_golden)
{
	/* [numa]: node by default, cpus a list, memdev an [object] */
	ck_argv("[object.m0]\ntype = memory-backend-ram\nsize = 1G\n"
		"[numa.n0]\nnodeid = 0\ncpus = 0-3 8-11\nmemdev = m0\n[numa.d]\ntype = dist\nsrc = 0\ndst = 1\nval = 20\n",
		"-numa node,nodeid=0,cpus=0-3,cpus=8-11,memdev=m0 -numa dist,src=0,dst=1,val=20 "
		"-object memory-backend-ram,id=m0,size=1G");
	ck_errors("[numa.n0]\ntype = socket\nmemdev = m9\n",
		  "T/t.ini:2: [numa.n0] type: invalid value 'socket', expected one of: node, dist, cpu, hmat-lb, hmat-cache\n"
		  "T/t.ini:3: [numa.n0] memdev: refers to [object.m9], which is not defined, expected the id of a [object.ID] section");
	/* [audiodev], nested keys pass through */
	ck_argv("[audiodev.a1]\ndriver = none\nout.mixing-engine = off\n",
		"-audiodev none,id=a1,out.mixing-engine=off");
	ck_errors("[audiodev.a1]\ndriver = pulse\n",
		  "T/t.ini:2: [audiodev.a1] driver: invalid value 'pulse', expected one of: none, alsa, coreaudio, dbus, "
		  "dsound, jack, oss, pa, sdl, sndio, spice, wav");
	/* [tpmdev] */
	ck_argv("[chardev.swtpm]\nbackend = socket\npath = /run/swtpm.sock\n[tpmdev.tpm0]\ntype = emulator\nchardev = swtpm\n",
		"-chardev socket,id=swtpm,path=/run/swtpm.sock -tpmdev emulator,id=tpm0,chardev=swtpm");
	ck_errors("[tpmdev.tpm0]\nchardev = x\n",
		  "T/t.ini:1: [tpmdev.tpm0]: missing key 'type', expected one of: passthrough, emulator\n"
		  "T/t.ini:2: [tpmdev.tpm0] chardev: refers to [chardev.x], which is not defined, expected the id of a [chardev.ID] section");
	/* [smbios], [fw_cfg], [acpitable] */
	ck_argv("[smbios.sys]\nmanufacturer = Example, Inc.\ntype = 1\n[fw_cfg.m]\nname = opt/org.example/m\nstring = hi,x\n"
		"[fw_cfg.f]\nfile = /srv/blob\nname = opt/org.example/f\n[acpitable.t]\nfile = /srv/SSDT.aml\n",
		"-smbios type=1,manufacturer=Example,, Inc. -fw_cfg name=opt/org.example/m,string=hi,,x "
		"-fw_cfg name=opt/org.example/f,file=/srv/blob -acpitable file=/srv/SSDT.aml");
	/* OEM strings: one value per section, blanks kept; QEMU collects them */
	ck_argv("[smbios.oem1]\ntype = 11\nvalue = io.systemd.credential:a=b c\n[smbios.oem2]\ntype = 11\n"
		"value = second\n[acpitable.q]\nsig = QLTB\ndata = /srv/body\n",
		"-smbios type=11,value=io.systemd.credential:a=b c -smbios type=11,value=second "
		"-acpitable sig=QLTB,data=/srv/body");
	ck_errors("[fw_cfg.m]\nname = opt/x\nfile = /a\nstring = b\n",
		  "T/t.ini:4: [fw_cfg.m] string: both file and string, expected exactly one of them");
	ck_errors("[fw_cfg.m]\nname = opt/x\n",
		  "T/t.ini:1: [fw_cfg.m]: missing key 'file' or 'string', expected exactly one of them");
	ck_errors("[fw_cfg.m]\nname = etc/boot-menu-wait\nstring = 5\n",
		  "T/t.ini:2: [fw_cfg.m] name: 'etc/boot-menu-wait' is not under opt/, expected a name such as "
		  "opt/org.example/blob (QEMU keeps the rest for itself)");
	ck_errors("[smbios.s]\ntype = 200\n",
		  "T/t.ini:2: [smbios.s] type: invalid value '200', expected a whole number from 0 to 127");
}
END_TEST

START_TEST(option_golden)
{
	/* one word for the option, one verbatim for its argument (commas and a
	 * leading dash kept: QEMU takes the next word whatever it holds), late
	 * in argv and in file order, before the [qemu] switches */
	ck_argv("[option.trace]\narg = enable=qcow2*,file=/tmp/t,x\n[qemu]\nstopped = on\n[option.no-fd-bootchk]\n"
		"[option.k]\narg = -de\n[vga]\ntype = std\n[option.L]\narg = /usr/share/qemu,,help\n",
		"-vga std -trace enable=qcow2*,file=/tmp/t,x -no-fd-bootchk -k -de -L /usr/share/qemu,,help -S");
	/* names keep their case: -d and -D are two options */
	ck_argv("[option.D]\narg = /tmp/qemu.log\n", "-D /tmp/qemu.log");
	ck_argv("[option.d]\narg = guest_errors\n", "-d guest_errors");
}
END_TEST

START_TEST(option_errors)
{
	ck_errors("[option.devic]\narg = e1000\n[option.Machine]\n[option.foo]\n[option.writeconfig]\narg = /tmp/x\n",
		  "T/t.ini:1: [option.devic]: unknown QEMU option -devic (did you mean -device?), expected an option "
		  "of QEMU 7.2's qemu-system-x86_64, spelled as QEMU spells it\n"
		  "T/t.ini:3: [option.Machine]: unknown QEMU option -Machine (did you mean -machine?), expected an option "
		  "of QEMU 7.2's qemu-system-x86_64, spelled as QEMU spells it\n"
		  "T/t.ini:4: [option.foo]: unknown QEMU option -foo, expected an option "
		  "of QEMU 7.2's qemu-system-x86_64, spelled as QEMU spells it\n"
		  "T/t.ini:5: [option.writeconfig]: unknown QEMU option -writeconfig, expected an option "
		  "of QEMU 7.2's qemu-system-x86_64, spelled as QEMU spells it");
	/* what a family or the core writes: that section, so its checks hold */
	ck_errors("[option.device]\narg = e1000\n[option.S]\n[option.vnc]\narg = :0\n[option.add-fd]\narg = fd=3,set=1\n",
		  "T/t.ini:1: [option.device]: -device is written by [device.ID] (plugin devices), expected that section\n"
		  "T/t.ini:3: [option.S]: -S is written by [qemu] stopped (core), expected that key\n"
		  "T/t.ini:4: [option.vnc]: -vnc is written by [vnc] (plugin vnc), expected that section\n"
		  "T/t.ini:6: [option.add-fd]: -add-fd is written by [fd.NAME] (core), expected that section");
	/* short forms of those, and what would bypass every check */
	ck_errors("[option.hda]\narg = /img\n[option.no-hpet]\n[option.set]\narg = device.n0.mac=52:54:00:00:00:01\n"
		  "[option.readconfig]\narg = /etc/vm.cfg\n",
		  "T/t.ini:1: [option.hda]: -hda is a short form of -drive, expected [disk.ID] (plugin disk)\n"
		  "T/t.ini:3: [option.no-hpet]: -no-hpet is the short form of -machine hpet=off, expected [machine] "
		  "hpet = off (plugin machine)\n"
		  "T/t.ini:4: [option.set]: -set changes a property of any other option after qlaunch checked it, "
		  "expected the key in the section that writes that option\n"
		  "T/t.ini:6: [option.readconfig]: -readconfig reads more options from a file that qlaunch does not "
		  "check, expected those sections in this file");
	/* what does not start the VM, or starts it as someone else, or loads code */
	ck_errors("[option.version]\n[option.dump-vmstate]\narg = /tmp/v.json\n[option.runas]\narg = nobody\n"
		  "[option.plugin]\narg = file=/tmp/p.so\n[option.s]\n",
		  "T/t.ini:1: [option.version]: -version prints and exits instead of starting the VM, expected it run "
		  "outside qlaunch\n"
		  "T/t.ini:2: [option.dump-vmstate]: -dump-vmstate writes a file and exits instead of starting the VM, "
		  "expected it run outside qlaunch\n"
		  "T/t.ini:4: [option.runas]: -runas switches QEMU to another user after start-up, so the paths and fds "
		  "qlaunch checked would be another user's, expected qlaunch itself started as that user\n"
		  "T/t.ini:6: [option.plugin]: -plugin loads a shared object into QEMU, host code that no family checks, "
		  "expected it run outside qlaunch\n"
		  "T/t.ini:8: [option.s]: -s opens a GDB server on port 1234 of every interface, without authentication, "
		  "expected [option.gdb] with an address such as arg = tcp:127.0.0.1:1234");
	/* help in any item, as a key or as a value */
	ck_errors("[option.trace]\narg = help\n[option.k]\narg = ?\n[option.icount]\narg = shift=1,help=on\n"
		  "[option.audio]\narg = driver=help\n[option.iscsi]\narg = initiator-name=x,,help,?\n",
		  "T/t.ini:2: [option.trace] arg: 'help' would ask QEMU for help and exit, expected an argument that "
		  "starts the VM\n"
		  "T/t.ini:4: [option.k] arg: '?' would ask QEMU for help and exit, expected an argument that "
		  "starts the VM\n"
		  "T/t.ini:6: [option.icount] arg: 'shift=1,help=on' would ask QEMU for help and exit, expected an "
		  "argument that starts the VM\n"
		  "T/t.ini:8: [option.audio] arg: 'driver=help' would ask QEMU for help and exit, expected an "
		  "argument that starts the VM\n"
		  "T/t.ini:10: [option.iscsi] arg: 'initiator-name=x,,help,?' would ask QEMU for help and exit, "
		  "expected an argument that starts the VM");
	/* arg: there exactly when QEMU takes one, not empty, no control characters; no other key */
	ck_errors("[option.bios]\n[option.snapshot]\narg = on\n[option.loadvm]\narg =\n"
		  "[option.rotate]\narg = \"9\t0\"\n[option.seed]\nvalue = 1\n",
		  "T/t.ini:1: [option.bios]: missing key 'arg', expected the argument of -bios\n"
		  "T/t.ini:3: [option.snapshot] arg: -snapshot takes no argument, expected no arg key\n"
		  "T/t.ini:5: [option.loadvm] arg: empty, expected the argument of -loadvm\n"
		  "T/t.ini:7: [option.rotate] arg: control character 0x09 in the argument, expected printable text\n"
		  "T/t.ini:8: [option.seed]: missing key 'arg', expected the argument of -seed\n"
		  "T/t.ini:9: [option.seed] value: unknown key, expected one of: arg");
	ck_errors("[option]\narg = -no-hpet\n",
		  "T/t.ini:1: [option]: [option] needs an id, expected [option.ID]");
}
END_TEST

START_TEST(vm_order)
{
	/* the documented argv order of every new family */
	ck_argv("[vnc]\ndisplay = none\n[display]\ntype = none\n[boot]\norder = c\n"
		"[chardev.c]\nbackend = null\n[monitor.m]\nchardev = c\n"
		"[disk.d]\nfile = /d\nformat = raw\n[device.x]\ndriver = e1000\nnetdev = n\n"
		"[nic.i]\ntype = user\n[netdev.n]\ntype = user\n[drive.r]\nif = none\n"
		"[blockdev.b]\ndriver = null-co\n[firmware]\ncode = /c\n[accel.tcg]\n[machine]\ntype = q35\n",
		"-machine q35 -accel accel=tcg -drive if=pflash,unit=0,format=raw,readonly=on,file=/c "
		"-blockdev driver=null-co,node-name=b -drive id=r,if=none -netdev user,id=n "
		"-nic user,model=virtio-net-pci,id=i -device e1000,id=x,netdev=n "
		"-blockdev driver=file,node-name=d-file,filename=/d -blockdev driver=raw,node-name=d,file=d-file "
		"-device virtio-blk-pci,drive=d,id=d "
		"-chardev null,id=c -mon chardev=c,id=m -boot order=c "
		"-display none -vnc none");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm");
	TCase *tc = tcase_create("golden");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, blockdev_golden);
	tcase_add_test(tc, blockdev_errors);
	tcase_add_test(tc, drive_golden);
	tcase_add_test(tc, disk_golden);
	tcase_add_test(tc, disk_controllers);
	tcase_add_test(tc, disk_errors);
	tcase_add_test(tc, device_refs);
	tcase_add_test(tc, netdev_golden);
	tcase_add_test(tc, netdev_errors);
	tcase_add_test(tc, firmware_golden);
	tcase_add_test(tc, firmware_errors);
	tcase_add_test(tc, boot_golden);
	tcase_add_test(tc, boot_errors);
	tcase_add_test(tc, display_golden);
	tcase_add_test(tc, display_errors);
	tcase_add_test(tc, monitor_golden);
	tcase_add_test(tc, accel_golden);
	tcase_add_test(tc, runctl_golden);
	tcase_add_test(tc, platform_golden);
	tcase_add_test(tc, option_golden);
	tcase_add_test(tc, option_errors);
	tcase_add_test(tc, vm_order);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
