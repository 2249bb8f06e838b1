#!/bin/sh
# The README's quick-start demo: show the QEMU command line qlaunch builds
# from examples/demo.ini, then run it.  The guest's firmware prints its
# banner and "No bootable device." and QEMU exits by itself.
#
# Usage: tools/demo.sh [BUILDDIR]
#   BUILDDIR holds the built core/qlaunch and plugins/.libs (default: the
#   source tree this script is in).  `make demo` passes the build tree.
#
# Exit status: QEMU's (0 expected), 124 if it ran longer than 30 seconds,
# 126/127 if QEMU cannot be executed or found, 1 or 2 on other errors.

set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd) || exit 1
builddir=${1:-$srcdir}
qlaunch=$builddir/core/qlaunch
plugins=$builddir/plugins/.libs
config=$srcdir/examples/demo.ini

if [ ! -x "$qlaunch" ]; then
	echo "demo.sh: $qlaunch not found; build qlaunch first (make)" >&2
	exit 2
fi

# Always use the plugins of this build, never an installed set.
unset QLAUNCH_PLUGIN_PATH

echo "\$ qlaunch print examples/demo.ini"
"$qlaunch" -P "$plugins" print "$config" || exit
echo
echo "\$ qlaunch run examples/demo.ini"

# SeaBIOS's serial console writes terminal control sequences: a full reset
# (ESC c, which would wipe the command line above), "line wrap off" and
# "clear screen".  Strip them, and the CRs, so the demo reads well on a
# terminal and in a log.  Drop any line-buffering worry with fflush().
esc=$(printf '\033')
cr=$(printf '\r')
filter() {
	awk -v esc="$esc" -v cr="$cr" '{
		gsub(esc "\\[[0-9;?]*[A-Za-z]", "")
		gsub(esc "c", "")
		gsub(cr, "")
		print
		fflush()
	}'
}

# A POSIX sh has no pipefail: the run's status travels out on fd 3 while
# its output goes through the filter to the real stdout (fd 4).  stdin is
# /dev/null, so QEMU leaves the terminal's settings alone; --foreground
# keeps QEMU in the terminal's process group, so Ctrl-C reaches it.
status=$(
	{
		{
			timeout --foreground 30 "$qlaunch" -P "$plugins" run "$config" </dev/null
			echo $? >&3
		} | filter >&4
	} 3>&1
) 4>&1

echo
echo "QEMU exited with status $status"
exit "$status"
