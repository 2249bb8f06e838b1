#!/bin/sh
# Run the unit tests and the qlaunch command under valgrind: any memory
# error or definite leak fails.  Needs a built tree (make check builds the
# test programs first).  Usage: tools/valgrind-check.sh [BUILDDIR]
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src}
vg="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
fails=0
n=0

run() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" >/tmp/qlaunch-vg.$$ 2>&1; then
		echo "ok $n - $desc"
	else
		status=$?
		# a config error is expected for bad configs: only 9 is valgrind's
		if [ "$status" -eq 9 ] || [ "${expect_ok:-1}" -eq 1 ]; then
			fails=$((fails + 1))
			echo "not ok $n - $desc (exit $status)"
			sed 's/^/#   /' /tmp/qlaunch-vg.$$ | head -40
		else
			echo "ok $n - $desc (exit $status, no valgrind error)"
		fi
	fi
}

export QLAUNCH="$build/core/qlaunch" QLAUNCH_PLUGIN_DIR="$build/plugins/.libs"
export QLAUNCH_TEST_PLUGIN_DIR="$build/tests/plugins/.libs"
export QLAUNCH_FDLIST="$build/tests/fdlist" QLAUNCH_PLUGIN_SET=none CK_FORK=no
unset QLAUNCH_PLUGIN_PATH

for t in check_value check_argv check_config check_plugin check_sdk check_plugins check_exec; do
	expect_ok=1 run "$t under valgrind" $vg "$build/tests/$t"
done
for f in "$src"/examples/*.ini; do
	expect_ok=1 run "print $(basename "$f")" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" print "$f"
done
for f in "$src"/tests/bad/*.ini; do
	[ -f "$f" ] || continue
	expect_ok=0 run "check bad/$(basename "$f")" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" check "$f"
done
expect_ok=1 run "plugins" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" plugins
rm -f /tmp/qlaunch-vg.$$
echo "1..$n"
echo "valgrind: $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
