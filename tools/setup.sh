#!/bin/sh
# Set up a fresh Debian 12 machine for qlaunch and build it in place:
# install the build, test and run dependencies from Debian, then
# autoreconf, configure and make.  Safe to run again.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="autoconf automake libtool pkg-config make gcc libc6-dev
libiniparser-dev check qemu-system-x86 python3 valgrind git clang libclang-rt-14-dev
strace"
# The real guest of make demo and tests/qemu-guest.test (tools/guest.sh):
# its kernel and busybox are downloaded and unpacked in the build tree,
# never installed (no kernel in /boot); these build its initramfs (cpio,
# kmod's depmod/modprobe), disks (qemu-img, mkfs.ext4) and CD-ROM
# (xorriso, isolinux), and ovmf is its UEFI firmware.
PACKAGES="$PACKAGES cpio kmod qemu-utils e2fsprogs ovmf xorriso isolinux syslinux-common"
# The TPM emulator that tests/qemu-vm.test and qemu-guest.test give
# [tpmdev] type = emulator.
PACKAGES="$PACKAGES swtpm"
# tests/cli.test runs the bash completion as bash would, on bash-completion.
PACKAGES="$PACKAGES bash-completion"
# tests/systemd-unit.test verifies qlaunch@.service with systemd-analyze.
PACKAGES="$PACKAGES systemd"
PACKAGES="$PACKAGES libjson-c-dev"  # the QMP client (core/qmpc.c)

missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
	echo "setup: installing$missing"
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] ||
	autoreconf -fi
[ -f Makefile ] && [ config.status -nt configure ] ||
	./configure ${QLAUNCH_CONFIGURE_FLAGS:-}
make -j"$(nproc)"
