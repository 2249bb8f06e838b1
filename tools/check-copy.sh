#!/bin/sh
# Build a copy of the tracked files with other configure arguments and run
# the test suite in it: 'make check-noskip' when QLAUNCH_REQUIRE_QEMU=1
# (CI), else 'make check'.  Prints the suite's summary as "NAME: # PASS: N"
# lines.  The caller's environment reaches the build and the tests.
# Usage: tools/check-copy.sh NAME [CONFIGURE_ARG]...
set -eu
name=$1
shift
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qlaunch-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# the tracked files only: an in-tree build must not leak into the copy
(cd "$src" && git ls-files | tar -T - -cf -) | (cd "$tmp" && tar -xf -)
cd "$tmp"
autoreconf -fi >/dev/null 2>&1
./configure -q --enable-werror "$@" 2>&1 | grep -v "^rm: cannot remove 'core'" || true
make -j"$(nproc)" >/dev/null
target=check
[ "${QLAUNCH_REQUIRE_QEMU:-}" = 1 ] && target=check-noskip
if ! make -j"$(nproc)" "$target" QLAUNCH_REQUIRE_QEMU="${QLAUNCH_REQUIRE_QEMU:-}"; then
	cat test-suite.log
	exit 1
fi
# the summary block only (TAP checks); the logs copied in below it may
# have comments of their own
awk -v n="$name" '/^# (TOTAL|PASS|FAIL|SKIP|ERROR):/ { print n ": " $0 } /^# ERROR:/ { exit }' test-suite.log
