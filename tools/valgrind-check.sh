#!/bin/sh
# Run the unit tests and the qlaunch command under valgrind: any memory
# error or definite leak fails.  Needs a built tree (make check builds the
# test programs first).  Usage: tools/valgrind-check.sh [BUILDDIR]
# Output: TAP (tests/lib.sh), then "valgrind: N passed, N failed, N skipped".
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
# absolute: check_exec makes $QLAUNCH_FDLIST a [qemu] binary, which must be
build=$(cd "${1:-$src}" && pwd) || exit 2
. "$src/tests/lib.sh"
vg="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"

# vg_ok DESC CMD...: CMD succeeds under valgrind.  vg_clean DESC CMD...:
# CMD may fail (a config error is expected for a bad config), but valgrind
# finds no error: only exit status 9 is valgrind's.
vg_ok() { _vg_fail_on=any vg_run "$@"; }
vg_clean() { _vg_fail_on=9 vg_run "$@"; }
vg_run() {
	_vg_desc=$1
	shift
	"$@" >"$tmp/out" 2>&1
	_vg_status=$?
	if [ "$_vg_status" -eq 0 ]; then
		ok "$_vg_desc"
	elif [ "$_vg_fail_on" = any ] || [ "$_vg_status" -eq 9 ]; then
		not_ok "$_vg_desc (exit $_vg_status)"
		head -n 40 "$tmp/out" | note
	else
		ok "$_vg_desc (exit $_vg_status, no valgrind error)"
	fi
}

export QLAUNCH="$build/core/qlaunch" QLAUNCH_PLUGIN_DIR="$build/plugins/.libs"
export QLAUNCH_TEST_PLUGIN_DIR="$build/tests/plugins/.libs"
export QLAUNCH_FDLIST="$build/tests/fdlist" QLAUNCH_PLUGIN_SET=none CK_FORK=no
unset QLAUNCH_PLUGIN_PATH
# check probes QEMU: a cache of this run's own, not the user's (or root's)
export XDG_CACHE_HOME="$tmp/cache"

for t in check_value check_argv check_config check_include check_plugin check_sdk check_plugins check_exec check_qmpc \
	check_host check_start check_probe; do
	vg_ok "$t under valgrind" $vg "$build/tests/$t"
done
for f in "$src"/examples/*.ini; do
	# an example with an [fd.NAME] and no path is given its fd with --fd
	# (fd 3, open on /dev/null: print only needs it open)
	fdarg=
	case ${f##*/} in
	tap-fd-vm.ini) fdarg="--fd tap0=3" ;;
	esac
	# shellcheck disable=SC2086
	vg_ok "print $(basename "$f")" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" $fdarg print "$f" 3</dev/null
done
for f in "$src"/tests/bad/*.ini; do
	[ -f "$f" ] || continue
	vg_clean "check bad/$(basename "$f")" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" check "$f"
done
vg_ok "plugins" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" plugins
# the probe: asked (the cache removed), then from the cache, with errors
if [ -x /usr/bin/qemu-system-x86_64 ]; then
	printf '[machine]\ntype = q36\n[device.rng]\ndriver = virtio-rng-pci\nmax-byte = 1\n' >"$tmp/probe.ini"
	rm -rf "$tmp/cache"
	vg_clean "check, probing QEMU" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" check "$tmp/probe.ini"
	vg_clean "check, from the probe's cache" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" check "$tmp/probe.ini"
	vg_ok "probe --json" $vg "$QLAUNCH" probe --json
fi
# the lifecycle commands, with no QEMU to answer: absent (4), a refused
# socket path (1), bad JSON arguments (2); check_qmpc covers the client
printf '[qemu]\nname = vg\n[qmp]\nsocket = %s/none.sock\n' "$tmp" >"$tmp/lc.ini"
ln -s "$tmp/none.sock" "$tmp/link.sock"
vg_clean "status of an absent VM" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" status "$tmp/lc.ini"
vg_clean "stop of an absent VM" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" stop "$tmp/lc.ini"
vg_clean "wait --timeout 0.2 for an absent VM" $vg "$QLAUNCH" --timeout 0.2 wait "$tmp/lc.ini"
vg_clean "qmp through a link (refused)" $vg "$QLAUNCH" --qmp "$tmp/link.sock" qmp query-status
vg_clean "qmp with bad JSON arguments" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" qmp "$tmp/lc.ini" cont '{x'
# start: a config QEMU refuses (its message traced to the line), and a
# fake QEMU that never answers (killed after the timeout)
printf '[qemu]\nname = vg\nnodefaults = on\ndisplay = none\n[machine]\ntype = q35\naccel = tcg\n[device.vda]\ndriver = virtio-blk-pcii\n' >"$tmp/st.ini"
vg_clean "start of a config QEMU refuses" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" start "$tmp/st.ini"
printf '#!/bin/sh\nexec sleep 30\n' >"$tmp/fakeqemu" && chmod 755 "$tmp/fakeqemu"
printf '[qemu]\nbinary = %s/fakeqemu\n' "$tmp" >"$tmp/fake.ini"
vg_clean "start --timeout 0.5 of a QEMU that never answers" $vg "$QLAUNCH" -P "$QLAUNCH_PLUGIN_DIR" --timeout 0.5 start "$tmp/fake.ini"
done_testing valgrind
