#!/bin/sh
# Build a copy of the tree with AddressSanitizer and UndefinedBehavior-
# Sanitizer (plugins too) and run the whole test suite with it.  Any
# sanitizer report aborts the process and fails the test that ran it;
# LeakSanitizer makes a leak at exit fail the command.
# Usage: tools/sanitize-check.sh   (run from anywhere; CI runs it)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qlaunch-asan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# the tracked files only: an in-tree build must not leak into the copy
(cd "$src" && git ls-files | tar -T - -cf -) | (cd "$tmp" && tar -xf -)
cd "$tmp"
autoreconf -fi >/dev/null
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
./configure -q --enable-werror CFLAGS="-O1 -g -fno-omit-frame-pointer $san" \
	LDFLAGS="$san" 2>&1 | grep -v "^rm: cannot remove 'core'" || true
make -j"$(nproc)" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
if ! make -j"$(nproc)" check QLAUNCH_REQUIRE_QEMU="${QLAUNCH_REQUIRE_QEMU:-}"; then
	cat test-suite.log
	exit 1
fi
# the summary block only (TAP checks); the logs copied in below it may
# have comments of their own
awk '/^# (TOTAL|PASS|FAIL|SKIP|ERROR):/ { print "sanitizers: " $0 } /^# ERROR:/ { exit }' test-suite.log
