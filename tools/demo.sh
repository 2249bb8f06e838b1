#!/bin/sh
# The README's quick-start demo: boot a real Linux guest with a disk and a
# user network, headless, from examples/demo.ini.  First the QEMU command
# line qlaunch builds from it, then the run: the guest prints the marker it
# read from its disk and the page it fetched from this host, and powers
# off, which ends QEMU.
#
# Usage: tools/demo.sh [BUILDDIR]
#   BUILDDIR holds the built core/qlaunch and plugins/.libs (default: the
#   source tree this script is in).  `make demo` passes the build tree.
#   The guest is built into BUILDDIR/guest by tools/guest.sh (once; its
#   packages are downloaded, not installed).
#
# examples/demo.ini names the guest's files /srv/qlaunch/demo/... and the
# host's web server port 8080; the demo runs a copy, BUILDDIR/guest/demo.ini,
# with BUILDDIR/guest/ and the port the web server got instead.
#
# Exit status: QEMU's (0 expected), 124 if it ran longer than 60 seconds,
# 126/127 if QEMU cannot be executed or found, 77 if the guest cannot be
# built here, 1 or 2 on other errors.

set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd) || exit 1
builddir=$(cd "${1:-$srcdir}" && pwd) || exit 2
qlaunch=$builddir/core/qlaunch
plugins=$builddir/plugins/.libs
guest=$builddir/guest

if [ ! -x "$qlaunch" ]; then
	echo "demo.sh: $qlaunch not found; build qlaunch first (make)" >&2
	exit 2
fi

# Always use the plugins of this build, never an installed set.
unset QLAUNCH_PLUGIN_PATH

sh "$srcdir/tools/guest.sh" "$guest" || exit

# The host's side: a page served by busybox httpd on 127.0.0.1, on the
# first free port from a random start.
httpd=
# shellcheck disable=SC2317 # (called from the EXIT trap)
stop_httpd() {
	[ -z "$httpd" ] || kill "$httpd" 2>/dev/null
	httpd=
}
trap stop_httpd EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$guest/www" || exit 1
port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 30000) }')
tries=0
while :; do
	echo "Hello from the host, served by busybox httpd on 127.0.0.1:$port" >"$guest/www/hello.txt"
	"$guest/busybox" httpd -f -p "127.0.0.1:$port" -h "$guest/www" >/dev/null 2>"$guest/httpd.err" &
	httpd=$!
	sleep 0.2
	kill -0 "$httpd" 2>/dev/null && break
	wait "$httpd" 2>/dev/null
	httpd=
	tries=$((tries + 1))
	if [ "$tries" -ge 20 ]; then
		echo "demo.sh: cannot start busybox httpd on 127.0.0.1:" >&2
		cat "$guest/httpd.err" >&2
		exit 1
	fi
	port=$((port + 1))
done

# The config, its stand-in paths and port replaced.
esc=$(printf '%s/\n' "$guest" | sed 's/[|&\\]/\\&/g')
sed -e "s|/srv/qlaunch/demo/|$esc|g" -e "s|10\.0\.2\.2:8080/|10.0.2.2:$port/|g" \
	"$srcdir/examples/demo.ini" >"$guest/demo.ini" || exit 1
config=$guest/demo.ini

echo "\$ qlaunch print examples/demo.ini    # /srv/qlaunch/demo/ is $guest/, port $port"
"$qlaunch" -P "$plugins" print "$config" || exit
echo
echo "\$ qlaunch run examples/demo.ini"

# Drop the CRs of the serial console, so the demo reads well on a terminal
# and in a log; fflush() keeps it live.
cr=$(printf '\r')
filter() {
	awk -v cr="$cr" '{ gsub(cr, ""); print; fflush() }'
}

# A POSIX sh has no pipefail: the run's status travels out on fd 3 while
# its output goes through the filter to the real stdout (fd 4).  stdin is
# /dev/null, so QEMU leaves the terminal's settings alone; --foreground
# keeps QEMU in the terminal's process group, so Ctrl-C reaches it.
status=$(
	{
		{
			timeout --foreground 60 "$qlaunch" -P "$plugins" run "$config" </dev/null
			echo $? >&3
		} | filter >&4
	} 3>&1
) 4>&1

echo
echo "QEMU exited with status $status"
[ "$status" -ne 0 ] ||
	echo "(the guest read $(cat "$guest/marker") from its disk, as written in guest/marker," \
		"and fetched its line from busybox httpd on 127.0.0.1:$port)"
exit "$status"
