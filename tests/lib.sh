# The harness of the shell tests (POSIX sh), after git's t/test-lib.sh.
# A test sources it first thing,
#
#	. "$(dirname "$0")/lib.sh"
#
# and prints one numbered TAP line per check, so automake's tap-driver.sh
# and CI count checks, and a failure names its check:
#
#	ok DESC              a check that passed: "ok N - DESC"
#	not_ok DESC          a check that failed: "not ok N - DESC"
#	skip DESC WHY        a check not run: "ok N - DESC # SKIP WHY"
#	check DESC CMD...    ok DESC if CMD succeeds, else not_ok DESC
#	run CMD...           CMD's stdout to $tmp/out, stderr to $tmp/err,
#	                     its exit status in $status
#	expect_last DESC STATUS OUT ERR
#	                     the command run last exited STATUS and wrote
#	                     exactly the file OUT to stdout and ERR to stderr;
#	                     a failure says which differs and shows how
#	expect DESC STATUS OUT ERR -- CMD...
#	                     run CMD, then expect_last DESC STATUS OUT ERR
#	note [FILE...]       FILE (or stdin) as TAP comments, "# " per line
#	done_testing [NAME]  print the plan 1..N (and with NAME a last line
#	                     "NAME: P passed, F failed, S skipped") and exit:
#	                     1 if a check failed, else 0
#
# $tmp is a new private directory, removed at exit (after a HUP, INT or
# TERM too, which exit 128+signal).  A test that has more to undo (a QEMU
# to kill, a plugin to uninstall) defines test_cleanup after sourcing this
# file; keep_tmp=1 leaves $tmp in place and says where.  n and fails hold
# the number of checks so far and of failed ones.

n=0
fails=0
skips=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); skips=$((skips + 1)); echo "ok $n - $1 # SKIP $2"; }
note() { sed 's/^/# /' "$@"; }

check() {
	_ql_desc=$1
	shift
	if "$@"; then ok "$_ql_desc"; else not_ok "$_ql_desc"; fi
}

run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

expect_last() {
	if [ "$status" -ne "$2" ]; then
		if [ "$status" -eq 124 ]; then
			not_ok "$1 (timed out: hung?)"
		elif [ "$status" -ge 128 ]; then
			not_ok "$1 (killed by signal $((status - 128)): crashed)"
		else
			not_ok "$1 (exit $status, expected $2)"
		fi
		head -n 40 "$tmp/err" | note
		return 1
	fi
	if ! cmp -s "$tmp/out" "$3"; then
		not_ok "$1 (stdout differs)"
		diff "$3" "$tmp/out" | head -n 40 | note
		return 1
	fi
	if ! cmp -s "$tmp/err" "$4"; then
		not_ok "$1 (stderr differs)"
		diff "$4" "$tmp/err" | head -n 40 | note
		return 1
	fi
	ok "$1"
}

expect() {
	_ql_desc=$1 _ql_status=$2 _ql_out=$3 _ql_err=$4
	shift 5
	run "$@"
	expect_last "$_ql_desc" "$_ql_status" "$_ql_out" "$_ql_err"
}

done_testing() {
	echo "1..$n"
	if [ -n "${1:-}" ]; then
		echo "$1: $((n - fails - skips)) passed, $fails failed, $skips skipped"
	elif [ "$fails" -ne 0 ]; then
		echo "# failed $fails of $n checks"
	fi
	[ "$fails" -eq 0 ] || exit 1
	exit 0
}

test_cleanup() { :; }
_ql_cleanup() {
	test_cleanup
	if [ "${keep_tmp:-0}" = 1 ]; then
		echo "# kept $tmp"
	else
		chmod -R u+w "$tmp" 2>/dev/null    # copies of read-only files
		rm -rf "$tmp"
	fi
}

_ql_name=${0##*/}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qltest-${_ql_name%%.*}.XXXXXX") ||
	{ echo "Bail out! cannot create a temp directory"; exit 99; }
trap _ql_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# The standard plugins, sorted by name: "NAME ORDER SECTIONS" per line, as
# `qlaunch plugins` shows them.
std_plugins() {
	cat <<'EOF_PLUGINS'
accel 24 accel.ID
audiodev 87 audiodev.ID
blockdev 64 blockdev.ID
boot 115 boot
chardev 80 chardev.ID
cpu 30 cpu
devices 70 device.ID
disk 75 disk.ID
display 145 display,spice
drive 65 drive.ID
firmware 26 firmware
fsdev 90 fsdev.ID
global 130 global.ID
kernel 120 kernel
machine 20 machine
memory 50 memory
monitor 85 monitor.ID
netdev 66 netdev.ID
nic 67 nic.ID
numa 55 numa.ID
objects 100 object.ID
option 900 option.ID
qmp 40 qmp[.ID]
rtc 110 rtc
runctl 16 overcommit,sandbox,msg,action
smp 60 smp
tables 117 smbios.ID,fw_cfg.ID,acpitable.ID
tpmdev 88 tpmdev.ID
vga 140 vga
vnc 145 vnc
EOF_PLUGINS
}
