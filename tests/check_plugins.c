/* Golden tests of the standard plugins and the core's [qemu] section:
 * config in, exact argv (after argv[0]) or exact errors out. */
#include <qlconfig.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

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
	ck_errors("[machine]\ntype = q35\naccel = help\n",
		  "T/t.ini:3: [machine] accel: 'help' would make QEMU print help and exit, expected a value");
	ck_errors("[machine]\ntype =\n",
		  "T/t.ini:2: [machine] type: empty value, expected a name for -machine");
}
END_TEST

START_TEST(memory_golden)
{
	ck_argv("[memory]\nsize = 2G\nslots = 2\nmaxmem = 4G\n", "-m 2G,slots=2,maxmem=4G");
	ck_argv("[memory]\nmaxmem = 8g\nsize = 2048\n", "-m 2048,maxmem=8g");
	/* a bare maxmem is MiB here, as size is; QEMU needs the M spelled out */
	ck_argv("[memory]\nsize = 128\nslots = 2\nmaxmem = 4096\n", "-m 128,slots=2,maxmem=4096M");
	ck_argv("[memory]\nsize = 512M\n", "-m 512M");
}
END_TEST

START_TEST(memory_errors)
{
	ck_errors("[memory]\nsize = 2X\nslots = -1\nmaxmem = 99999999999999999999T\n",
		  "T/t.ini:2: [memory] size: invalid size '2X', expected a whole number with an optional K, M, G or T suffix\n"
		  "T/t.ini:3: [memory] slots: invalid value '-1', expected a whole number from 0 to 256\n"
		  "T/t.ini:4: [memory] maxmem: size '99999999999999999999T' is too large, expected less than 2^64 bytes (16777216T)");
	ck_errors("[memory]\nsize = 2G\nslots = 2\n",
		  "T/t.ini:3: [memory] slots: slots needs maxmem (QEMU refuses slots without it), expected maxmem too");
	ck_errors("[memory]\nsize = 4G\nmaxmem = 2G\n",
		  "T/t.ini:3: [memory] maxmem: maxmem is smaller than size, expected maxmem >= size");
	ck_errors("[memory]\nslots = 1\n",
		  "T/t.ini:1: [memory]: missing key 'size', expected the RAM size such as 2G");
	ck_errors("[memory]\nsize = 0\n", "T/t.ini:2: [memory] size: size is 0, expected at least 1M");
	ck_errors("[memroy]\nsize = 1G\n",
		  "T/t.ini:1: [memroy]: unknown section type 'memroy', did you mean [memory]?");
	/* the suggestion takes the form the suggested type has */
	ck_errors("[memorx.a]\nsize = 1G\n[devic]\ndriver = e1000\n[qmq.m]\nsocket = /s\n",
		  "T/t.ini:1: [memorx.a]: unknown section type 'memorx', did you mean [memory]?\n"
		  "T/t.ini:3: [devic]: unknown section type 'devic', did you mean [device.ID]?\n"
		  "T/t.ini:5: [qmq.m]: unknown section type 'qmq', did you mean [qmp.ID]?");
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
	/* clusters count in the product; x86 machines take only 1 */
	ck_argv("[smp]\ncpus = 4\nsockets = 1\ndies = 1\nclusters = 1\ncores = 2\nthreads = 2\n",
		"-smp 4,sockets=1,dies=1,clusters=1,cores=2,threads=2");
	ck_argv("[machine]\ntype = virt\n[smp]\ncpus = 8\nclusters = 2\ncores = 4\n",
		"-machine virt -smp 8,clusters=2,cores=4");
	ck_errors("[machine]\ntype = virt\n[smp]\ncpus = 8\nsockets = 1\nclusters = 2\ncores = 2\nthreads = 1\n",
		  "T/t.ini:3: [smp]: sockets*dies*clusters*cores*threads is 1*1*2*2*1 = 4, expected it to equal maxcpus (8)");
	ck_errors("[smp]\ncpus = 4\nclusters = 2\n",
		  "T/t.ini:3: [smp] clusters: QEMU 7.2's pc machine has no CPU clusters, expected clusters = 1");
}
END_TEST

START_TEST(smp_errors)
{
	ck_errors("[smp]\ncpus = 4\nmaxcpus = 2\n",
		  "T/t.ini:3: [smp] maxcpus: maxcpus 2 is less than cpus 4, expected maxcpus >= cpus");
	ck_errors("[smp]\ncpus = 2\nsockets = 2\ncores = 2\nthreads = 2\nmaxcpus = 6\n",
		  "T/t.ini:1: [smp]: sockets*dies*clusters*cores*threads is 2*1*1*2*2 = 8, expected it to equal maxcpus (6)");
	ck_errors("[smp]\ncpus = 6\nsockets = 4\n",
		  "T/t.ini:1: [smp]: sockets*dies*clusters*cores*threads is 4*1*1*1*1 = 4, expected it to equal maxcpus (6)");
	ck_errors("[smp]\ncpus = 4\nsockets = 3\ncores = 2\n",
		  "T/t.ini:1: [smp]: the given sockets*dies*clusters*cores*threads multiply to 6, more than maxcpus (4), expected them to equal maxcpus");
	ck_errors("[smp]\ncpus = 010\n",
		  "T/t.ini:2: [smp] cpus: invalid value '010', expected a whole number from 1 to 65535");
	ck_errors("[smp]\ncpus = 0\n",
		  "T/t.ini:2: [smp] cpus: invalid value '0', expected a whole number from 1 to 65535");
	ck_errors("[smp]\n", "T/t.ini:1: [smp]: empty section, expected at least cpus");
	ck_errors("[smp]\ncpu = 2\n",
		  "T/t.ini:2: [smp] cpu: unknown key (did you mean 'cpus'?), expected one of: cpus, sockets, dies, clusters, cores, threads, maxcpus");
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
	/* run control: threads named in -name, no-shutdown, incoming, watchdog-action */
	ck_argv("[qemu]\nname = db1\ndebug-threads = yes\nno-shutdown = on\nincoming = defer\n"
		"watchdog-action = pause\n",
		"-name guest=db1,debug-threads=on -no-shutdown -incoming defer -watchdog-action pause");
	ck_argv("[qemu]\ndebug-threads = off\nincoming = tcp:0:4444,x\n",
		"-name debug-threads=off -incoming tcp:0:4444,x");
	ck_errors("[qemu]\nincoming = defer\nwatchdog-action = reboot\n",
		  "T/t.ini:3: [qemu] watchdog-action: invalid value 'reboot', expected one "
		  "of: reset, shutdown, poweroff, pause, debug, none, inject-nmi");
	ck_errors("[qemu]\nincoming =\n",
		  "T/t.ini:2: [qemu] incoming: empty, expected where the migration comes from, such as defer, "
		  "tcp:0:4444 or unix:/run/vm.migrate");
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
		  "T/t.ini:8: [qemu] kvm: unknown key, expected one of: binary, name, uuid, nodefaults, no-user-config, nographic, display, serial, stopped, no-reboot, reboot-timeout, pidfile, daemonize, no-shutdown, debug-threads, incoming, "
		  "watchdog-action");
}
END_TEST

START_TEST(family_order)
{
	/* file order does not matter across families: name, machine, memory, smp, switches */
	ck_argv("[smp]\ncpus = 1\n[qemu]\nstopped = on\nname = a\n[memory]\nsize = 1G\n[machine]\ntype = pc\n",
		"-name guest=a -machine pc -m 1G -smp 1 -S");
}
END_TEST

START_TEST(cpu_golden)
{
	ck_argv("[cpu]\nmodel = qemu64\npmu = off\nmodel-id = My CPU v2\n",
		"-cpu qemu64,pmu=off,model-id=My CPU v2");
	/* QEMU's -cpu parser has no comma escape: a comma is refused */
	ck_errors("[cpu]\nmodel = max\npmu = off,-avx\n",
		  "T/t.ini:3: [cpu] pmu: 'off,-avx' contains a comma, which -cpu cannot escape, expected one value per key");
	ck_errors("[cpu]\npmu = off\n",
		  "T/t.ini:1: [cpu]: missing key 'model', expected a CPU model such as qemu64 or max");
}
END_TEST

START_TEST(device_golden)
{
	ck_argv("[fsdev.share0]\npath = /srv/share\nsecurity_model = none\n"
		"[device.fs0]\ndriver = virtio-9p-pci\nfsdev = share0\nmount_tag = share\n",
		"-device virtio-9p-pci,id=fs0,fsdev=share0,mount_tag=share "
		"-fsdev local,id=share0,path=/srv/share,security_model=none");
	/* ids keep their case; instances in file order */
	ck_argv("[device.Rng1]\ndriver = virtio-rng-pci\n[device.rng0]\ndriver = virtio-rng-pci\n",
		"-device virtio-rng-pci,id=Rng1 -device virtio-rng-pci,id=rng0");
	ck_argv("[device.d]\ndriver = virtio-blk-pci\nserial = a,b=c\n",
		"-device virtio-blk-pci,id=d,serial=a,,b=c");
}
END_TEST

START_TEST(device_errors)
{

	ck_errors("[device.fs0]\ndriver = virtio-9p-pci\nfsdev = share9\nchardev = nope\nmemdev = m\n",
		  "T/t.ini:3: [device.fs0] fsdev: refers to [fsdev.share9], which is not defined, expected the id of a [fsdev.ID] section\n"
		  "T/t.ini:4: [device.fs0] chardev: refers to [chardev.nope], which is not defined, expected the id of a [chardev.ID] section\n"
		  "T/t.ini:5: [device.fs0] memdev: refers to [object.m], which is not defined, expected the id of a [object.ID] section");
	/* references are case-sensitive, like QEMU ids; a near miss is named */
	ck_errors("[chardev.C0]\nbackend = null\n[device.s]\ndriver = isa-serial\nchardev = c0\n",
		  "T/t.ini:5: [device.s] chardev: refers to [chardev.c0], which is not defined (did you mean "
		  "[chardev.C0]? ids are case-sensitive), expected the id of a [chardev.ID] section");
	ck_errors("[device.x]\nbus = pcie.0\n",
		  "T/t.ini:1: [device.x]: missing key 'driver', expected a device driver such as virtio-net-pci");
	ck_errors("[device.net0]\ndriver = e1000\nid = other\n",
		  "T/t.ini:3: [device.net0] id: the id comes from the section name [device.net0], expected no id key");
	ck_errors("[device]\ndriver = e1000\n",
		  "T/t.ini:1: [device]: [device] needs an id, expected [device.ID]");
	ck_errors("[device.rng0]\ndriver = virtio-rng-pci\nhelp = on\n",
		  "T/t.ini:3: [device.rng0] help: would make QEMU print help and exit, expected a property name");
	ck_errors("[device.a]\ndriver = help\n",
		  "T/t.ini:2: [device.a] driver: 'help' would make QEMU print help and exit, expected a name for -device");
}
END_TEST

START_TEST(chardev_golden)
{
	ck_argv("[chardev.serial0]\nbackend = socket\npath = /run/vm1/serial.sock\nserver = on\nwait = off\n",
		"-chardev socket,id=serial0,path=/run/vm1/serial.sock,server=on,wait=off");
	/* known booleans are written on/off whatever spelling the file uses */
	ck_argv("[chardev.s]\nbackend = socket\nserver = yes\npath = /s\nwait = false\n",
		"-chardev socket,id=s,server=on,path=/s,wait=off");
	ck_argv("[chardev.log]\nbackend = file\npath = /var/log/a,b.log\n",
		"-chardev file,id=log,path=/var/log/a,,b.log");
	ck_errors("[chardev.c]\nbackend = socket\npath = /s\nwait = off\n",
		  "T/t.ini:4: [chardev.c] wait: wait applies to server sockets only (QEMU refuses it), expected server = on");
	ck_errors("[chardev.c]\nbackend = socket\nserver = off\nwait = off\n",
		  "T/t.ini:4: [chardev.c] wait: wait applies to server sockets only (QEMU refuses it), expected server = on");
	/* a server that is not a boolean is one error, not also one of wait */
	ck_errors("[chardev.c]\nbackend = socket\nserver = maybe\nwait = no\n",
		  "T/t.ini:3: [chardev.c] server: invalid boolean 'maybe', expected on, off, yes, no, true or false");
	ck_errors("[chardev.c]\npath = /x\n",
		  "T/t.ini:1: [chardev.c]: missing key 'backend', expected a backend such as socket, file, pty, null or stdio");
}
END_TEST

START_TEST(fsdev_golden)
{
	ck_argv("[fsdev.s]\ndriver = local\npath = /srv/a,b\nsecurity_model = mapped-xattr\nreadonly = on\n",
		"-fsdev local,id=s,path=/srv/a,,b,security_model=mapped-xattr,readonly=on");
	ck_errors("[fsdev.s]\npath = /srv\n",
		  "T/t.ini:1: [fsdev.s]: missing key 'security_model' (QEMU requires it for local), expected passthrough, mapped-xattr, mapped-file or none");
	ck_errors("[fsdev.s]\npath = /srv\nsecurity-model = none\n",
		  "T/t.ini:3: [fsdev.s] security-model: QEMU spells this key security_model, expected security_model");
	ck_errors("[fsdev.s]\nsecurity_model = None\n",
		  "T/t.ini:1: [fsdev.s]: missing key 'path', expected the host directory to share\n"
		  "T/t.ini:2: [fsdev.s] security_model: invalid value 'None' (did you mean 'none'?), expected one of: passthrough, mapped-xattr, mapped-file, none, mapped");
}
END_TEST

START_TEST(object_golden)
{
	ck_argv("[object.mem0]\ntype = memory-backend-file\nmem-path = /dev/shm\nsize = 1G\nshare = on\n",
		"-object memory-backend-file,id=mem0,mem-path=/dev/shm,size=1G,share=on");
	/* list properties: each item once more, in place; one item as before */
	ck_argv("[object.r0]\ntype = memory-backend-ram\nsize = 1G\nhost-nodes = 0 2-3\npolicy = bind\n",
		"-object memory-backend-ram,id=r0,size=1G,host-nodes=0,host-nodes=2-3,policy=bind");
	ck_argv("[object.r0]\ntype = memory-backend-ram\nhost-nodes = 0-3\n",
		"-object memory-backend-ram,id=r0,host-nodes=0-3");
	ck_argv("[object.tc0]\ntype = thread-context\ncpu-affinity = 0-1\t4\n[object.tc1]\n"
		"type = thread-context\nnode-affinity = 1 0\n",
		"-object thread-context,id=tc0,cpu-affinity=0-1,cpu-affinity=4 "
		"-object thread-context,id=tc1,node-affinity=1,node-affinity=0");
	ck_errors("[object.r0]\ntype = memory-backend-ram\nhost-nodes =\n",
		  "T/t.ini:3: [object.r0] host-nodes: empty list, expected one or more values separated by blanks");
	ck_errors("[object.o]\nsize = 1G\n",
		  "T/t.ini:1: [object.o]: missing key 'type', expected an object type such as memory-backend-file");
}
END_TEST

START_TEST(rtc_golden)
{
	ck_argv("[rtc]\nbase = utc\ndriftfix = slew\nclock = host\n", "-rtc base=utc,driftfix=slew,clock=host");
	ck_argv("[rtc]\nbase = 2006-06-17T16:01:21\n", "-rtc base=2006-06-17T16:01:21");
	ck_argv("[rtc]\nbase = 2006-06-17\nclock = vm\n", "-rtc base=2006-06-17,clock=vm");
	ck_errors("[rtc]\nbase = UTC\nclock = Host\ndriftfix = yes\n",
		  "T/t.ini:2: [rtc] base: invalid value 'UTC', expected utc, localtime or a date like 2006-06-17 or 2006-06-17T16:01:21\n"
		  "T/t.ini:3: [rtc] clock: invalid value 'Host' (did you mean 'host'?), expected one of: host, rt, vm\n"
		  "T/t.ini:4: [rtc] driftfix: invalid value 'yes', expected one of: slew, none");
	ck_errors("[rtc]\nbase = 2006-13-01\n",
		  "T/t.ini:2: [rtc] base: invalid value '2006-13-01', expected utc, localtime or a date like 2006-06-17 or 2006-06-17T16:01:21");
	ck_errors("[rtc]\nbase = 2007-02-29\n",
		  "T/t.ini:2: [rtc] base: invalid value '2007-02-29', expected utc, localtime or a date like 2006-06-17 or 2006-06-17T16:01:21");
	ck_argv("[rtc]\nbase = 2008-02-29T23:59:59\n", "-rtc base=2008-02-29T23:59:59");
	ck_errors("[rtc]\n", "T/t.ini:1: [rtc]: empty section, expected base, clock or driftfix");
}
END_TEST

START_TEST(kernel_golden)
{
	/* raw arguments: commas are not doubled */
	ck_argv("[kernel]\npath = /boot/vmlinuz,1\ninitrd = /boot/initrd\nappend = console=ttyS0 root=/dev/vda,x 'q'\n",
		"-kernel /boot/vmlinuz,1 -initrd /boot/initrd -append console=ttyS0 root=/dev/vda,x 'q'");
	ck_errors("[kernel]\ninitrd = /i\nappend = quiet\n",
		  "T/t.ini:2: [kernel] initrd: needs path (QEMU refuses -initrd without -kernel), expected path too\n"
		  "T/t.ini:3: [kernel] append: needs path (QEMU refuses -append without -kernel), expected path too");
	ck_errors("[kernel]\npath =\n", "T/t.ini:2: [kernel] path: empty path, expected a file name");
}
END_TEST

START_TEST(qmp_golden)
{
	ck_argv("[qmp]\nsocket = /run/vm1/qmp.sock\n", "-qmp unix:/run/vm1/qmp.sock,server=on,wait=off");
	ck_argv("[qmp]\nsocket = /run/a,b.sock\nwait = on\n[qmp.tcp]\ntcp = 127.0.0.1:4444\n",
		"-qmp unix:/run/a,,b.sock,server=on,wait=on -qmp tcp:127.0.0.1:4444,server=on,wait=off");
	ck_argv("[qmp]\nsocket = /run/m.sock\nserver = off\n", "-qmp unix:/run/m.sock,server=off");
}
END_TEST

START_TEST(qmp_errors)
{
	char ini[400];

	snprintf(ini, sizeof(ini), "[qmp]\nsocket = /%0107d\n", 0);
	ck_errors(ini, "T/t.ini:2: [qmp] socket: path is 108 bytes, expected at most 107 (the limit of unix sockets)");
	ck_errors("[qmp]\nsocket = /a\ntcp = h:1\n",
		  "T/t.ini:3: [qmp] tcp: a monitor has one address, expected socket or tcp, not both");
	ck_errors("[qmp]\nserver = on\n",
		  "T/t.ini:1: [qmp]: missing key 'socket', expected a unix socket path (or tcp = HOST:PORT)");
	ck_errors("[qmp]\ntcp = 127.0.0.1:99999\n",
		  "T/t.ini:2: [qmp] tcp: invalid address '127.0.0.1:99999', expected HOST:PORT such as 127.0.0.1:4444");
	ck_errors("[qmp]\nsocket = /a\nserver = off\nwait = off\n",
		  "T/t.ini:4: [qmp] wait: wait applies to server sockets only (QEMU refuses it), expected server = on");
	ck_errors("[qmp]\nsocket = /a=b\n",
		  "T/t.ini:2: [qmp] socket: 'unix:/a=b' contains '=', which QEMU would read as an option, expected a plain name");
}
END_TEST

START_TEST(global_golden)
{
	ck_argv("[global.pit]\ndriver = kvm-pit\nproperty = lost_tick_policy\nvalue = discard\n",
		"-global kvm-pit.lost_tick_policy=discard");
	/* a dotted driver needs the long form, where values are escaped */
	ck_argv("[global.f]\ndriver = cfi.pflash01\nproperty = secure\nvalue = on\n",
		"-global driver=cfi.pflash01,property=secure,value=on");
	ck_argv("[global.s]\ndriver = ICH9-LPC\nproperty = disable_s3\nvalue = 1\n",
		"-global ICH9-LPC.disable_s3=1");
	ck_errors("[global.x]\ndriver = a,b\nproperty = p\n",
		  "T/t.ini:1: [global.x]: missing key 'value', expected driver, property and value\n"
		  "T/t.ini:2: [global.x] driver: invalid name 'a,b', expected letters, digits, '-', '_' and '.'");
}
END_TEST

START_TEST(vga_golden)
{
	ck_argv("[vga]\ntype = none\n", "-vga none");
	ck_argv("[vga]\ntype = virtio\n", "-vga virtio");
	ck_errors("[vga]\ntype = VGA\n",
		  "T/t.ini:2: [vga] type: invalid value 'VGA', expected one of: std, cirrus, vmware, qxl, virtio, none");
	ck_errors("[vga]\n",
		  "T/t.ini:1: [vga]: missing key 'type', expected one of: std, cirrus, vmware, qxl, virtio, none");
}
END_TEST

START_TEST(all_families_order)
{
	ck_argv("[vga]\ntype = none\n[global.g]\ndriver = d\nproperty = p\nvalue = v\n"
		"[kernel]\npath = /k\n[rtc]\nbase = utc\n[object.o]\ntype = t\n"
		"[fsdev.f]\npath = /p\nsecurity_model = none\n[chardev.c]\nbackend = null\n"
		"[device.d]\ndriver = x\n[smp]\ncpus = 1\n[memory]\nsize = 1G\n"
		"[qmp]\nsocket = /q\n[cpu]\nmodel = max\n[machine]\ntype = q35\n"
		"[qemu]\nuuid = 6f1c3a52-8d1e-4b7a-9c3f-2e5d7a9b0c11\nname = n\nstopped = on\n",
		"-name guest=n -uuid 6f1c3a52-8d1e-4b7a-9c3f-2e5d7a9b0c11 -machine q35 -cpu max "
		"-qmp unix:/q,server=on,wait=off -m 1G -smp 1 -device x,id=d -chardev null,id=c "
		"-fsdev local,id=f,path=/p,security_model=none -object t,id=o -rtc base=utc "
		"-kernel /k -global d.p=v -vga none -S");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plugins");
	TCase *tc = tcase_create("golden");

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
	tcase_add_test(tc, cpu_golden);
	tcase_add_test(tc, device_golden);
	tcase_add_test(tc, device_errors);
	tcase_add_test(tc, chardev_golden);
	tcase_add_test(tc, fsdev_golden);
	tcase_add_test(tc, object_golden);
	tcase_add_test(tc, rtc_golden);
	tcase_add_test(tc, kernel_golden);
	tcase_add_test(tc, qmp_golden);
	tcase_add_test(tc, qmp_errors);
	tcase_add_test(tc, global_golden);
	tcase_add_test(tc, vga_golden);
	tcase_add_test(tc, all_families_order);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
