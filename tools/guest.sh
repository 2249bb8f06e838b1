#!/bin/sh
# Build the tiny real guest of the demo and the guest tests into OUTDIR:
# Debian's cloud kernel and a busybox initramfs, a disk with a marker file
# and a bootable CD-ROM.  Nothing is installed on this machine (no kernel
# in /boot): the packages are downloaded with 'apt-get download' into a
# cache and unpacked in OUTDIR.
#
# Usage: tools/guest.sh OUTDIR
#
# OUTDIR afterwards holds
#   vmlinuz        the kernel (linux-image-*-cloud-amd64)
#   initrd.gz      gzip'd newc initramfs: busybox, the modules below, /init
#   disk.raw       16 MiB ext4 image; its file /marker holds a nonce
#   disk.qcow2     the same, as qcow2
#   cdrom.iso      isolinux CD booting vmlinuz + initrd.gz with
#                  "ql.do=cdrom ql.nonce=CDNONCE"
#   hdboot.img     a bootable hard disk (the same, as an isohybrid image)
#                  booting with "ql.do=hdboot ql.nonce=HDNONCE": with the
#                  CD, it shows which one the boot order picked
#   marker         the disk's nonce (one line)
#   cdrom-nonce    the CD's nonce, hdboot-nonce the hard disk's (one line)
#   kver           the kernel version
#   busybox        the static busybox (it runs on the host too: httpd, wget)
#   stamp          written last; when it matches this script, a new run
#                  changes nothing and takes milliseconds
# The nonces are random per build, so a guest that prints them has read
# them from the disk or the CD.
#
# The downloaded .deb files stay in $QLAUNCH_GUEST_CACHE (default
# OUTDIR/cache), so other build trees can share them.
#
# What /init does is said on the kernel command line, ql.KEY=VALUE words:
#   ql.do=A,B,...    actions, in order:
#     readdisk       mount ql.dev (default /dev/vda) read-only, print
#                    "QLGUEST: marker=NONCE" (from its /marker)
#     fetch          bring up eth0, print "QLGUEST: fetched=BODY" for the
#                    URL ql.url (first line of the body)
#     httpd          bring up eth0, serve a page "qlguest nonce=ql.nonce" on
#                    port 80 and keep running (the host stops QEMU)
#     dhcp           ask QEMU's user networking for a DHCP lease on eth0,
#                    print "QLGUEST: dhcp ip=ADDRESS search=DOMAINS" (the
#                    domain search list, option 119, blank-separated)
#     panic          print "QLGUEST: panic now" and crash the kernel (sysrq c;
#                    a pvpanic-pci device tells QEMU)
#     watchdog       arm QEMU's i6300esb watchdog to expire at once (through
#                    sysfs and devmem: the kernel has no driver for it),
#                    print "QLGUEST: watchdog armed"
#     cdrom          print "QLGUEST: booted from cdrom nonce=ql.nonce"
#     hdboot         print "QLGUEST: booted from hard disk nonce=ql.nonce"
#     tables         what the machine's tables and firmware show, a line
#                    each: "QLGUEST: numa nodes=node0 node1" (the nodes in
#                    /sys/devices/system/node) and "QLGUEST: numa nodeN
#                    cpus=LIST" per node, "QLGUEST: dmi KEY=VALUE" for
#                    sys_vendor, product_name and product_serial
#                    (/sys/class/dmi/id: SMBIOS type 1), "QLGUEST: dmi
#                    oem=S1|S2..." per SMBIOS type 11 (OEM strings, from
#                    /sys/firmware/dmi/entries), "QLGUEST: fw_cfg
#                    NAME=TEXT" per item opt/org.qlaunch/NAME (qemu_fw_cfg's
#                    by_name/.../raw), "QLGUEST: acpi SIG=TEXT" per ACPI
#                    table QL* (its body after the 36-byte header), and
#                    "QLGUEST: tpm NAME version=N" per /sys/class/tpm device
#   Every boot prints "QLGUEST: boot" first, "QLGUEST: firmware=efi" or
#   "firmware=bios", and "QLGUEST: done" before 'poweroff -f'.
#   Failures print "QLGUEST: error: ...".
#   Network: 10.0.2.15/24, gateway 10.0.2.2 (QEMU's user networking).
#
# Exit status: 0 built (or already up to date); 77 cannot be built here (a
# tool is missing or the download failed: the message says which); 1 any
# other error.
set -eu
PATH=$PATH:/usr/sbin:/sbin
export PATH LC_ALL=C

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 1; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
self=$0
cache=${QLAUNCH_GUEST_CACHE:-$out/cache}

# Modules the initramfs loads, with their dependencies (in this order):
# virtio-pci, -blk, -net, -scsi; SCSI disks and CD-ROMs; ISO 9660; the
# PIIX IDE controller of the pc machine; QEMU's fw_cfg in sysfs; the
# pvpanic-pci device that tells QEMU of a kernel panic.  Built
# into the cloud kernel: ext4, nvme, DMI in sysfs, NUMA, TPM TIS and CRB.
# Absent from it: AHCI (q35's SATA/IDE controller), USB.
MODULES="virtio_pci virtio_blk virtio_net virtio_scsi sd_mod sr_mod isofs ata_piix qemu_fw_cfg
pvpanic_pci"

# --- up to date? -----------------------------------------------------------
want=$(cksum <"$self" | cut -d' ' -f1)
uptodate() {
	[ "$(cat "$out/stamp" 2>/dev/null)" = "guest.sh $want" ] || return 1
	for f in vmlinuz initrd.gz disk.raw disk.qcow2 cdrom.iso hdboot.img marker cdrom-nonce \
		hdboot-nonce kver busybox; do
		[ -s "$out/$f" ] || return 1
	done
}
uptodate && exit 0

# One build at a time (make demo and make check may race).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$out/lock"
	flock 9
	uptodate && exit 0
fi

cannot() { echo "guest.sh: cannot build the guest here: $*" >&2; exit 77; }

missing=
for t in dpkg-deb depmod modprobe cpio gzip qemu-img mkfs.ext4 xorriso cksum od; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
isolinux=/usr/lib/ISOLINUX/isolinux.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
isohdpfx=/usr/lib/ISOLINUX/isohdpfx.bin
[ -f "$isolinux" ] || missing="$missing $isolinux"
[ -f "$ldlinux" ] || missing="$missing $ldlinux"
[ -f "$isohdpfx" ] || missing="$missing $isohdpfx"
[ -z "$missing" ] ||
	cannot "missing$missing (tools/setup.sh installs cpio kmod qemu-utils e2fsprogs xorriso isolinux syslinux-common)"

# --- the packages ----------------------------------------------------------
mkdir -p "$cache"
kpkg=
if command -v apt-cache >/dev/null 2>&1; then
	kpkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ { print $2; exit }')
fi
if [ -z "$kpkg" ]; then
	# no apt here: a kernel downloaded before will do
	kdeb=$(ls "$cache"/linux-image-*-cloud-amd64_*.deb 2>/dev/null | sort -V | tail -n 1)
	[ -n "$kdeb" ] || cannot "apt-cache names no linux-image-*-cloud-amd64 and none is in $cache"
	kpkg=${kdeb##*/}
	kpkg=${kpkg%%_*}
fi
fetch() {    # fetch PACKAGE: its .deb in $cache (downloaded once)
	set -- "$1" "$(ls "$cache/$1"_*.deb 2>/dev/null | head -n 1)"
	if [ -z "$2" ]; then
		command -v apt-get >/dev/null 2>&1 || cannot "no apt-get to download $1"
		echo "guest.sh: downloading $1" >&2
		# as root, apt would drop to _apt, who may not write here
		sandbox=
		[ "$(id -u)" -ne 0 ] || sandbox="-o APT::Sandbox::User=root"
		# into a directory of its own, so that an interrupted download
		# leaves no .deb that looks complete
		rm -rf "$cache/part.$$"
		mkdir "$cache/part.$$"
		# shellcheck disable=SC2086
		if ! (cd "$cache/part.$$" && apt-get download -q $sandbox "$1" >/dev/null); then
			rm -rf "$cache/part.$$"
			cannot "apt-get download $1 failed (are the package lists current? apt-get update)"
		fi
		mv "$cache/part.$$/$1"_*.deb "$cache/" && rm -rf "$cache/part.$$"
		set -- "$1" "$(ls "$cache/$1"_*.deb 2>/dev/null | head -n 1)"
		[ -n "$2" ] || cannot "apt-get download $1 left no .deb in $cache"
	fi
	echo "$2"
}
kdeb=$(fetch "$kpkg")
bdeb=$(fetch busybox-static)

# --- unpack --------------------------------------------------------------
work=$out/work
rm -rf "$work"
mkdir -p "$work/pkg" "$work/root" "$work/disk" "$work/iso/isolinux" "$work/new"
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$kdeb" "$work/pkg"
dpkg-deb -x "$bdeb" "$work/pkg"
kver=$(ls "$work/pkg/lib/modules" | head -n 1)
[ -n "$kver" ] && [ -f "$work/pkg/boot/vmlinuz-$kver" ] || { echo "guest.sh: no kernel in $kdeb" >&2; exit 1; }
busybox=$work/pkg/bin/busybox
[ -x "$busybox" ] || { echo "guest.sh: no bin/busybox in $bdeb" >&2; exit 1; }
depmod -b "$work/pkg" "$kver"

# --- initramfs -------------------------------------------------------------
r=$work/root
mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/dev" "$r/proc" "$r/sys" \
	"$r/mnt" "$r/tmp" "$r/www" "$r/lib/modules"
cp "$busybox" "$r/bin/busybox"
# the insmod order: each module's dependencies first, each module once
: >"$r/lib/modules/order"
for m in $MODULES; do
	deps=$(modprobe -d "$work/pkg" -S "$kver" --show-depends "$m") ||
		{ echo "guest.sh: modprobe --show-depends $m failed" >&2; exit 1; }
	echo "$deps" | while read -r verb path _; do
		[ "$verb" = insmod ] || continue       # "builtin NAME": nothing to load
		ko=${path##*/}
		grep -qx "$ko" "$r/lib/modules/order" && continue
		cp "$path" "$r/lib/modules/$ko"
		echo "$ko" >>"$r/lib/modules/order"
	done
done
# The kernel opens /dev/console before /init; without the node (only root
# can make it) /init starts without fds 0-2 and opens it itself.
[ "$(id -u)" -ne 0 ] || mknod -m 600 "$r/dev/console" c 5 1
cat >"$r/init" <<'EOF'
#!/bin/busybox sh
# /init of the qlaunch test guest (written by tools/guest.sh).
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
say() { echo "QLGUEST: $*"; }
say boot
if [ -d /sys/firmware/efi ]; then say firmware=efi; else say firmware=bios; fi

ql_do= ql_dev=/dev/vda ql_url= ql_nonce=
for w in $(cat /proc/cmdline); do
	case $w in
	ql.do=*) ql_do=${w#*=} ;;
	ql.dev=*) ql_dev=${w#*=} ;;
	ql.url=*) ql_url=${w#*=} ;;
	ql.nonce=*) ql_nonce=${w#*=} ;;
	esac
done

while read -r m; do
	insmod "/lib/modules/$m" 2>/dev/null || say "error: insmod $m failed"
done </lib/modules/order

# wait_for TEST ARG: up to 20 s
wait_for() {
	i=0
	while ! test "$1" "$2"; do
		i=$((i + 1))
		[ "$i" -le 200 ] || return 1
		sleep 0.1
	done
}
net_up() {
	[ -z "$net" ] || return 0
	net=1
	wait_for -e /sys/class/net/eth0 || { say "error: no eth0"; return 1; }
	ip link set lo up
	ip addr add 10.0.2.15/24 dev eth0
	ip link set eth0 up
	ip route add default via 10.0.2.2
}
net=

IFS_SAVE=$IFS
IFS=,
set -- $ql_do
IFS=$IFS_SAVE
for a in "$@"; do
	case $a in
	readdisk)
		if ! wait_for -b "$ql_dev"; then
			say "error: no block device $ql_dev"
			ls /sys/class/block
		elif mount -t ext4 -o ro "$ql_dev" /mnt; then
			say "marker=$(cat /mnt/marker)"
			umount /mnt
		else
			say "error: cannot mount $ql_dev"
		fi
		;;
	fetch)
		# (not wget -T: it crashes busybox 1.35's wget once connected)
		net_up && if body=$(timeout 20 wget -q -O - "$ql_url"); then
			say "fetched=$(echo "$body" | head -n 1)"
		else
			say "error: cannot fetch $ql_url"
		fi
		;;
	httpd)
		net_up && {
			echo "qlguest nonce=$ql_nonce" >/www/index.html
			say "httpd on port 80"
			exec httpd -f -p 80 -h /www
		}
		;;
	dhcp)
		# udhcpc runs /bin/ql-dhcp with the lease in its environment
		if wait_for -e /sys/class/net/eth0; then
			ip link set eth0 up
			timeout 20 udhcpc -i eth0 -n -q -f -s /bin/ql-dhcp >/dev/null 2>&1 ||
				say "error: no DHCP lease"
		else
			say "error: no eth0"
		fi
		;;
	panic)
		say "panic now"
		echo c >/proc/sysrq-trigger
		;;
	watchdog)
		# QEMU's i6300esb, armed by hand (the cloud kernel has no driver
		# for it): both stages 1 tick (the registers take a write only
		# after the unlock sequence 0x80, 0x86), then the enable bit in
		# PCI config 0x68.  It expires within milliseconds.
		dev=
		for d in /sys/bus/pci/devices/*; do
			[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x8086:0x25ab ] && dev=$d
		done
		if [ -z "$dev" ]; then
			say "error: no i6300esb"
		else
			echo 1 >"$dev/enable"
			bar=$(($(cut -d' ' -f1 "$dev/resource" | head -n 1)))
			for reg in 0 4; do
				devmem $((bar + 12)) 16 0x80
				devmem $((bar + 12)) 16 0x86
				devmem $((bar + reg)) 32 1
			done
			say "watchdog armed"
			printf '\002' | dd of="$dev/config" bs=1 seek=104 count=1 conv=notrunc 2>/dev/null
			sleep 5
			say "error: the watchdog did not fire"
		fi
		;;
	cdrom) say "booted from cdrom nonce=$ql_nonce" ;;
	hdboot) say "booted from hard disk nonce=$ql_nonce" ;;
	tables)
		say "numa nodes=$(cd /sys/devices/system/node && echo node[0-9]*)"
		for d in /sys/devices/system/node/node[0-9]*; do
			say "numa ${d##*/} cpus=$(cat "$d/cpulist")"
		done
		for k in sys_vendor product_name product_serial; do
			say "dmi $k=$(cat /sys/class/dmi/id/$k 2>/dev/null)"
		done
		# SMBIOS type 11: the structure's strings, after its formatted
		# area (as long as its second byte says), NULs as '|'
		for e in /sys/firmware/dmi/entries/11-*; do
			[ -f "$e/raw" ] || continue
			len=$(od -An -tu1 -j1 -N1 "$e/raw" | tr -d ' ')
			say "dmi oem=$(tail -c +$((len + 1)) "$e/raw" | tr '\0' '|' | sed 's/|*$//')"
		done
		for d in /sys/firmware/qemu_fw_cfg/by_name/opt/org.qlaunch/*; do
			[ -f "$d/raw" ] && say "fw_cfg ${d##*/}=$(cat "$d/raw")"
		done
		for t in /sys/firmware/acpi/tables/QL*; do
			[ -f "$t" ] && say "acpi ${t##*/}=$(tail -c +37 "$t")"
		done
		for t in /sys/class/tpm/tpm*; do
			[ -e "$t" ] && say "tpm ${t##*/} version=$(cat "$t/tpm_version_major" 2>/dev/null)"
		done
		;;
	*) say "error: unknown action $a" ;;
	esac
done
say done
sync
poweroff -f
EOF
chmod 755 "$r/init"
cat >"$r/bin/ql-dhcp" <<'EOF'
#!/bin/sh
# udhcpc's script in the qlaunch test guest (written by tools/guest.sh)
[ "$1" = bound ] && echo "QLGUEST: dhcp ip=$ip search=$search" >/dev/console
exit 0
EOF
chmod 755 "$r/bin/ql-dhcp"
(cd "$r" && find . | sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$work/new/initrd.gz"
cp "$work/pkg/boot/vmlinuz-$kver" "$work/new/vmlinuz"
cp "$busybox" "$work/new/busybox"
echo "$kver" >"$work/new/kver"

# --- disk with a marker ------------------------------------------------------
nonce() { od -An -tx1 -N8 /dev/urandom | tr -d ' \n'; }
marker=qlmark-$(nonce)
echo "$marker" >"$work/disk/marker"
echo "$marker" >"$work/new/marker"
qemu-img create -q -f raw "$work/new/disk.raw" 16M
mkfs.ext4 -q -F -L qlguest -d "$work/disk" "$work/new/disk.raw"
qemu-img convert -O qcow2 "$work/new/disk.raw" "$work/new/disk.qcow2"

# --- bootable CD-ROM and hard disk -------------------------------------------
cp "$isolinux" "$ldlinux" "$work/iso/isolinux/"
cp "$work/new/vmlinuz" "$work/new/initrd.gz" "$work/iso/"
# iso IMAGE ACTION NONCE [XORRISO-ARG...]: an isolinux image booting the
# guest with "ql.do=ACTION ql.nonce=NONCE"
iso() {
	cat >"$work/iso/isolinux/isolinux.cfg" <<-EOF
	SERIAL 0 115200
	DEFAULT qlguest
	PROMPT 0
	TIMEOUT 0
	LABEL qlguest
	  KERNEL /vmlinuz
	  APPEND initrd=/initrd.gz console=ttyS0 panic=-1 quiet ql.do=$2 ql.nonce=$3
	EOF
	_img=$1
	shift 3
	xorriso -as mkisofs -quiet -o "$_img" -V QLGUEST "$@" \
		-b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table "$work/iso" 2>"$work/xorriso.log" ||
		{ cat "$work/xorriso.log" >&2; exit 1; }
}
cdnonce=qlcd-$(nonce)
echo "$cdnonce" >"$work/new/cdrom-nonce"
iso "$work/new/cdrom.iso" cdrom "$cdnonce"
hdnonce=qlhd-$(nonce)
echo "$hdnonce" >"$work/new/hdboot-nonce"
iso "$work/new/hdboot.img" hdboot "$hdnonce" -isohybrid-mbr "$isohdpfx"

# --- into place ---------------------------------------------------------
rm -f "$out/stamp"
for f in "$work/new"/*; do mv -f "$f" "$out/"; done
echo "guest.sh $want" >"$out/stamp"
echo "guest.sh: built the guest in $out (kernel $kver, initrd $(($(wc -c <"$out/initrd.gz") / 1024)) KiB)" >&2
