#!/bin/sh
# The installed SDK is enough to write a plugin: build the out-of-tree
# example plugin (examples/plugin) against an installed qlaunch, install it,
# and check that the installed qlaunch picks it up by itself.
#
#   sh tests/sdk-plugin.sh PREFIX SRCDIR [LIBDIR [BINDIR]]
#
# PREFIX is where qlaunch was just installed (make install), SRCDIR its
# source tree (only SRCDIR/examples/plugin is read, and copied: SRCDIR may
# be read-only, as in distcheck).  LIBDIR defaults to PREFIX/lib and BINDIR
# to PREFIX/bin.  Run by 'make installcheck', hence also by 'make distcheck'.
#
#  1. pkg-config, with PKG_CONFIG_PATH=LIBDIR/pkgconfig and nothing else,
#     finds the installed qlaunch.pc, whose plugindir is
#     LIBDIR/qlaunch/plugins and whose plugin ABI is 2 (ql_plugin_v2);
#     there is no rng.so there yet.
#  2. Negative control: without the plugin, the installed qlaunch rejects
#     example.ini ([rng.rng0] is an unknown section type).
#  3. In a temp copy: autoreconf -fi, ./configure (with a throwaway
#     --prefix: the plugin dir comes from qlaunch.pc, not from the
#     plugin's prefix), make (no compiler warning), make install.
#  4. rng.so is in the plugin dir, without rng.la, exporting only
#     ql_plugin_v2; nothing was installed under the throwaway prefix.
#  5. The installed qlaunch, with no -P and no QLAUNCH_PLUGIN_PATH, lists
#     rng (order 75, section rng.ID) and 'print example.ini' gives the
#     exact argv: -object rng-random,... -device virtio-rng-pci,... after
#     the [device.ID] device; mistakes in [rng.ID] sections give exactly
#     the expected messages.  If the QEMU binary of that argv exists, QEMU
#     starts with it (-S) and reports the device's properties over QMP.
#  6. make uninstall leaves neither rng.so nor rng.la behind, and
#     qlaunch no longer lists rng.
#
# Needs sh, make, a C compiler, autoconf, automake, libtool, pkg-config
# ($MAKE, if set, is the make to use, e.g. MAKE='$(MAKE)' from a recipe).
# Works as root and as non-root.  The plugin is removed again even when a
# check fails (distcheck requires the prefix to be empty after uninstall).
# Output: one "ok N - ..." or "not ok N - ..." line per check, then 1..N.
# Exit status: 0 pass, 1 fail, 2 usage.
set -u

if [ $# -lt 2 ] || [ $# -gt 4 ]; then
	echo "usage: $0 PREFIX SRCDIR [LIBDIR [BINDIR]]" >&2
	exit 2
fi
abspath() { (cd "$1" 2>/dev/null && pwd); }
prefix=$(abspath "$1") || { echo "$0: $1: no such directory" >&2; exit 2; }
srcdir=$(abspath "$2") || { echo "$0: $2: no such directory" >&2; exit 2; }
libdir=${3:-$prefix/lib}
bindir=${4:-$prefix/bin}

# The files of the example project (its whole source; nothing generated).
FILES="configure.ac Makefile.am rng.c README.md example.ini"
QLAUNCH=$bindir/qlaunch
PLUGINDIR=$libdir/qlaunch/plugins
MAKE=${MAKE:-make}

# What 'qlaunch print example.ini' must give after the QEMU binary, one
# argv word per line.
EXPECTED='-name
guest=rngdemo
-machine
q35,accel=tcg
-m
256M
-smp
1
-device
virtio-balloon-pci,id=balloon0
-object
rng-random,id=rng0,filename=/dev/urandom
-device
virtio-rng-pci,rng=rng0,max-bytes=1024,period=1000
-nodefaults
-display
none'

# Mistakes in [rng.ID] sections, and exactly what 'qlaunch check' says.
BAD_INI='[rng.a]
source =
period = 0
driver = virtio-rng-pcie
[rng.b]
rng = b
max-byte = 10
[rng]'
BAD_ERR="bad.ini:2: [rng.a] source: empty path, expected a file name
bad.ini:3: [rng.a] period: invalid value '0', expected a whole number from 1 to 4294967295
bad.ini:4: [rng.a] driver: invalid value 'virtio-rng-pcie' (did you mean 'virtio-rng-pci'?), expected one of: virtio-rng-pci, virtio-rng-pci-non-transitional, virtio-rng-pci-transitional, virtio-rng-device
bad.ini:6: [rng.b] rng: the id comes from the section name [rng.b], expected no rng key
bad.ini:7: [rng.b] max-byte: unknown key (did you mean 'max-bytes'?), expected one of: driver, source, max-bytes, period, bus, addr
bad.ini:8: [rng]: [rng] needs an id, expected [rng.ID]"

# Only the installed SDK and qlaunch: no plugin path, no pkg-config path
# into a source or build tree, and nothing from the make that runs us
# (its MAKEFLAGS may carry prefix=, DESTDIR= or jobserver fds).
unset QLAUNCH_PLUGIN_PATH MAKEFLAGS MFLAGS GNUMAKEFLAGS MAKELEVEL MAKEFILES DESTDIR
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH

installed=
. "$(dirname "$0")/lib.sh"
work=$tmp/plugin
# shellcheck disable=SC2317 # (called from the EXIT trap)
test_cleanup() {
	# Never leave the plugin in the prefix, even after a failed check.
	if [ -n "$installed" ]; then
		(cd "$work" && "$MAKE" uninstall) >/dev/null 2>&1
		rm -f "$PLUGINDIR/rng.so" "$PLUGINDIR/rng.la"
	fi
}
# Run a build step in $work, its output in $tmp/STEP.log; show the log's
# end on failure.
step() { # step NAME COMMAND...
	name=$1
	shift
	if (cd "$work" && "$@") >"$tmp/$name.log" 2>&1; then
		ok "plugin build: $name"
	else
		not_ok "plugin build: $name"
		tail -n 30 "$tmp/$name.log" | note
		done_testing
	fi
}
ql() { "$QLAUNCH" "$@"; }
# Lists of installed plugins, one name per line.
plugin_names() { ql plugins 2>&1 | awk '{ print $1 }'; }

# --- 1. the installed SDK --------------------------------------------------------
missing=
for tool in "$MAKE" autoreconf autoconf automake libtoolize pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	not_ok "tools found:$missing missing"
	done_testing
fi
ok "tools found: make, autoconf, automake, libtool, pkg-config"

if [ -x "$QLAUNCH" ] && [ -f "$libdir/pkgconfig/qlaunch.pc" ] &&
	[ -f "$prefix/include/qlaunch/plugin.h" ]; then
	ok "qlaunch is installed in $prefix (binary, qlaunch.pc, plugin.h)"
else
	not_ok "qlaunch is installed in $prefix (binary, qlaunch.pc, plugin.h)"
	done_testing
fi

pcdir=$(pkg-config --variable=pcfiledir qlaunch 2>&1)
check "pkg-config finds the installed qlaunch.pc ($pcdir)" \
	test "$pcdir" = "$libdir/pkgconfig"
pcplugindir=$(pkg-config --variable=plugindir qlaunch 2>&1)
check "qlaunch.pc: plugindir is $PLUGINDIR (got '$pcplugindir')" \
	test "$pcplugindir" = "$PLUGINDIR"
pcabi=$(pkg-config --variable=abi_major qlaunch 2>&1)/$(pkg-config --variable=plugin_symbol qlaunch 2>&1)
check "qlaunch.pc: plugin ABI 2, symbol ql_plugin_v2 (got '$pcabi')" \
	test "$pcabi" = "2/ql_plugin_v2"

if [ -e "$PLUGINDIR/rng.so" ] || [ -e "$PLUGINDIR/rng.la" ]; then
	not_ok "no rng plugin installed yet (refusing to replace $PLUGINDIR/rng.*)"
	done_testing
fi
ok "no rng plugin installed yet"

# --- 2. the copy; without the plugin, [rng.*] is unknown -------------------------
mkdir "$work" || exit 1
for f in $FILES; do
	if ! cp "$srcdir/examples/plugin/$f" "$work/$f"; then
		not_ok "copy examples/plugin/$f"
		done_testing
	fi
done
chmod -R u+w "$work"    # the files may come from a read-only srcdir
ok "copied examples/plugin ($FILES)"

if ql print "$work/example.ini" >"$tmp/out" 2>"$tmp/err"; then
	not_ok "without the plugin, example.ini is refused"
	note "$tmp/out" "$tmp/err"
elif grep -q "\[rng.rng0\]: unknown section type 'rng'" "$tmp/err"; then
	ok "without the plugin, example.ini is refused: $(head -n 1 "$tmp/err")"
else
	not_ok "without the plugin, example.ini is refused because of [rng.rng0]"
	note "$tmp/err"
fi

# --- 3. build and install against the SDK ------------------------------------------
step autoreconf autoreconf -fi
step configure ./configure --prefix="$tmp/prefix"
if grep -q "where to install the plugin\.\.\. $PLUGINDIR\$" "$tmp/configure.log"; then
	ok "configure: plugin dir from qlaunch.pc ($PLUGINDIR)"
else
	not_ok "configure: plugin dir from qlaunch.pc ($PLUGINDIR)"
	grep 'plugin' "$tmp/configure.log" | note
fi
step make "$MAKE"
if grep -q 'warning:' "$tmp/make.log"; then
	not_ok "make: no compiler warnings"
	grep -A3 'warning:' "$tmp/make.log" | note
else
	ok "make: no compiler warnings"
fi
installed=1
step install "$MAKE" install

# --- 4. what was installed ----------------------------------------------------------
check "installed $PLUGINDIR/rng.so" test -f "$PLUGINDIR/rng.so"
check "no rng.la installed" test ! -e "$PLUGINDIR/rng.la"
if ! command -v nm >/dev/null 2>&1; then
	:       # no binutils: nothing to look with
elif [ -f "$PLUGINDIR/rng.so" ]; then
	syms=$(nm -D --defined-only "$PLUGINDIR/rng.so" 2>&1 | awk '{ print $NF }' | tr '\n' ' ')
	check "rng.so exports ql_plugin_v2 only (exports: $syms)" \
		test "$syms" = "ql_plugin_v2 "
else
	not_ok "rng.so exports ql_plugin_v2 only (there is no rng.so)"
fi
left=$(find "$tmp/prefix" -type f 2>/dev/null | head -n 5)
check "nothing installed under the plugin's own prefix" test -z "$left"

# --- 5. the installed qlaunch uses it -------------------------------------------------
if ql plugins >"$tmp/out" 2>&1 &&
	awk -v p="$PLUGINDIR/rng.so" '$1 == "rng" && $3 == 75 && $4 == "rng.ID" && $NF == p { f = 1 }
		END { exit !f }' "$tmp/out"; then
	ok "qlaunch plugins lists rng (order 75, rng.ID) from $PLUGINDIR"
else
	not_ok "qlaunch plugins lists rng (order 75, rng.ID) from $PLUGINDIR"
	note "$tmp/out"
fi

if ql print --null "$work/example.ini" >"$tmp/out" 2>"$tmp/err"; then
	tr '\0' '\n' <"$tmp/out" >"$tmp/argv"
	binary=$(head -n 1 "$tmp/argv")
	tail -n +2 "$tmp/argv" >"$tmp/args"
	printf '%s\n' "$EXPECTED" >"$tmp/expected"
	if case $binary in /*) true ;; *) false ;; esac &&
		cmp -s "$tmp/expected" "$tmp/args" && [ ! -s "$tmp/err" ]; then
		ok "qlaunch print example.ini: ... -device virtio-balloon-pci,... -object rng-random,... -device virtio-rng-pci,... ..."
	else
		not_ok "qlaunch print example.ini: the expected argv"
		echo "# expected (after the QEMU binary):"
		note "$tmp/expected"
		echo "# got:"
		note "$tmp/argv" "$tmp/err"
	fi
else
	binary=
	not_ok "qlaunch print example.ini succeeds"
	note "$tmp/err"
fi

expect "qlaunch check example.ini is silent" 0 /dev/null /dev/null -- \
	ql check "$work/example.ini"

# (run in $tmp, so that the messages name bad.ini as given)
in_tmp() { (cd "$tmp" && "$@"); }
printf '%s\n' "$BAD_INI" >"$tmp/bad.ini"
printf '%s\n' "$BAD_ERR" >"$tmp/bad.expected"
expect "mistakes in [rng.ID] sections: status 1 and exactly the expected messages" \
	1 /dev/null "$tmp/bad.expected" -- in_tmp "$QLAUNCH" check bad.ini

# QEMU itself takes what the plugin wrote: start the guest stopped (-S)
# with a QMP monitor on stdio and read the device's properties back.  The
# RNG device has no id of its own: it is the first anonymous device.
qmp_get() { # qmp_get PATH PROPERTY
	printf '{"execute":"qom-get","arguments":{"path":"%s","property":"%s"}}\n' "$1" "$2"
}
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
	skip "QEMU accepts the argv and reports the RNG's properties" "no QEMU at '$binary'"
else
	dev='/machine/peripheral-anon/device[0]'
	{
		echo '{"execute":"qmp_capabilities"}'
		qmp_get "$dev" type
		qmp_get "$dev" rng
		qmp_get "$dev" max-bytes
		qmp_get "$dev" period
		qmp_get /objects/rng0 filename
		echo '{"execute":"quit"}'
	} >"$tmp/qmp.in"
	set --
	while IFS= read -r word; do
		set -- "$@" "$word"
	done <"$tmp/argv"
	if command -v timeout >/dev/null 2>&1; then
		set -- timeout 60 "$@"
	fi
	"$@" -S -qmp stdio <"$tmp/qmp.in" >"$tmp/qmp.out" 2>&1
	# (QMP ends its lines with CR LF)
	got=$(tr -d '\r' <"$tmp/qmp.out" | grep '^{"return": [^{]' | tr '\n' ' ')
	want='{"return": "virtio-rng-pci"} {"return": "/objects/rng0"} {"return": 1024} {"return": 1000} {"return": "/dev/urandom"} '
	if [ "$got" = "$want" ]; then
		ok "QEMU accepts the argv: virtio-rng-pci, rng /objects/rng0, max-bytes 1024, period 1000, /dev/urandom"
	else
		not_ok "QEMU accepts the argv and reports the RNG's properties"
		note "$tmp/qmp.out"
	fi
fi

# --- 6. uninstall ----------------------------------------------------------------------
step uninstall "$MAKE" uninstall
if [ ! -e "$PLUGINDIR/rng.so" ] && [ ! -e "$PLUGINDIR/rng.la" ]; then
	installed=
	ok "make uninstall leaves no rng.so or rng.la"
else
	not_ok "make uninstall leaves no rng.so or rng.la"
	find "$PLUGINDIR" -name 'rng.*' | note
fi
if plugin_names | grep -qx rng; then
	not_ok "qlaunch plugins no longer lists rng"
else
	ok "qlaunch plugins no longer lists rng"
fi

done_testing
