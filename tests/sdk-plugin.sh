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
#     LIBDIR/qlaunch/plugins; there is no netdev.so there yet.
#  2. Negative control: without the plugin, the installed qlaunch rejects
#     example.ini ([netdev.net0] is an unknown section type).
#  3. In a temp copy: autoreconf -fi, ./configure (with a throwaway
#     --prefix: the plugin dir comes from qlaunch.pc, not from the
#     plugin's prefix), make (no compiler warning), make install.
#  4. netdev.so is in the plugin dir, without netdev.la, exporting only
#     ql_plugin_v1; nothing was installed under the throwaway prefix.
#  5. The installed qlaunch, with no -P and no QLAUNCH_PLUGIN_PATH, lists
#     netdev and 'print --fd tap0=5 example.ini' gives the exact argv, with
#     -netdev tap,id=net0,fd=3 between -smp and -device; a [netdev.ID]
#     without type or with an id key is refused at its line.
#  6. make uninstall leaves neither netdev.so nor netdev.la behind, and
#     qlaunch no longer lists netdev.
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
FILES="configure.ac Makefile.am netdev.c README.md example.ini"
QLAUNCH=$bindir/qlaunch
PLUGINDIR=$libdir/qlaunch/plugins
MAKE=${MAKE:-make}

# What 'qlaunch print --fd tap0=5 example.ini' must give after the QEMU
# binary, one argv word per line.
EXPECTED='-name
guest=netdemo
-machine
q35,accel=tcg
-m
256M
-smp
1
-netdev
tap,id=net0,fd=3
-device
virtio-net-pci,id=nic0,netdev=net0
-nodefaults
-display
none'

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
		rm -f "$PLUGINDIR/netdev.so" "$PLUGINDIR/netdev.la"
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

if [ -e "$PLUGINDIR/netdev.so" ] || [ -e "$PLUGINDIR/netdev.la" ]; then
	not_ok "no netdev plugin installed yet (refusing to replace $PLUGINDIR/netdev.*)"
	done_testing
fi
ok "no netdev plugin installed yet"

# --- 2. the copy; without the plugin, [netdev.*] is unknown ----------------------
mkdir "$work" || exit 1
for f in $FILES; do
	if ! cp "$srcdir/examples/plugin/$f" "$work/$f"; then
		not_ok "copy examples/plugin/$f"
		done_testing
	fi
done
chmod -R u+w "$work"    # the files may come from a read-only srcdir
ok "copied examples/plugin ($FILES)"

if ql print --fd tap0=5 "$work/example.ini" 5</dev/null >"$tmp/out" 2>"$tmp/err"; then
	not_ok "without the plugin, example.ini is refused"
	note "$tmp/out" "$tmp/err"
elif grep -q 'netdev' "$tmp/err"; then
	ok "without the plugin, example.ini is refused: $(head -n 1 "$tmp/err")"
else
	not_ok "without the plugin, example.ini is refused because of [netdev.net0]"
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
check "installed $PLUGINDIR/netdev.so" test -f "$PLUGINDIR/netdev.so"
check "no netdev.la installed" test ! -e "$PLUGINDIR/netdev.la"
if ! command -v nm >/dev/null 2>&1; then
	:       # no binutils: nothing to look with
elif [ -f "$PLUGINDIR/netdev.so" ]; then
	syms=$(nm -D --defined-only "$PLUGINDIR/netdev.so" 2>&1 | awk '{ print $NF }' | tr '\n' ' ')
	check "netdev.so exports ql_plugin_v1 only (exports: $syms)" \
		test "$syms" = "ql_plugin_v1 "
else
	not_ok "netdev.so exports ql_plugin_v1 only (there is no netdev.so)"
fi
left=$(find "$tmp/prefix" -type f 2>/dev/null | head -n 5)
check "nothing installed under the plugin's own prefix" test -z "$left"

# --- 5. the installed qlaunch uses it -------------------------------------------------
if ql plugins >"$tmp/out" 2>&1 &&
	awk -v p="$PLUGINDIR/netdev.so" '$1 == "netdev" && $NF == p { f = 1 } END { exit !f }' "$tmp/out"; then
	ok "qlaunch plugins lists netdev from $PLUGINDIR"
else
	not_ok "qlaunch plugins lists netdev from $PLUGINDIR"
	note "$tmp/out"
fi

if ql print --null --fd tap0=5 "$work/example.ini" 5</dev/null >"$tmp/out" 2>"$tmp/err"; then
	tr '\0' '\n' <"$tmp/out" >"$tmp/argv"
	binary=$(head -n 1 "$tmp/argv")
	tail -n +2 "$tmp/argv" >"$tmp/args"
	printf '%s\n' "$EXPECTED" >"$tmp/expected"
	if case $binary in /*) true ;; *) false ;; esac &&
		cmp -s "$tmp/expected" "$tmp/args" && [ ! -s "$tmp/err" ]; then
		ok "qlaunch print --fd tap0=5 example.ini: ... -smp 1 -netdev tap,id=net0,fd=3 -device ..."
	else
		not_ok "qlaunch print --fd tap0=5 example.ini: the expected argv"
		echo "# expected (after the QEMU binary):"
		note "$tmp/expected"
		echo "# got:"
		note "$tmp/argv" "$tmp/err"
	fi
else
	not_ok "qlaunch print --fd tap0=5 example.ini succeeds"
	note "$tmp/err"
fi

# shellcheck disable=SC2016 # ($1..$3 are for the inner sh)
check "qlaunch check --fd tap0=5 example.ini is silent" \
	sh -c '"$1" check --fd tap0=5 "$2" 5</dev/null >"$3" 2>&1 && [ ! -s "$3" ]' \
	sh "$QLAUNCH" "$work/example.ini" "$tmp/out"

cat >"$tmp/bad.ini" <<'EOF'
[netdev.a]
fd = 3
[netdev.b]
type = user
id = b
EOF
ql check "$tmp/bad.ini" >"$tmp/out" 2>&1
code=$?
if [ "$code" -eq 1 ] &&
	grep -q "bad.ini:1: \[netdev.a\]: missing key 'type'" "$tmp/out" &&
	grep -q "bad.ini:5: \[netdev.b\] id: " "$tmp/out"; then
	ok "[netdev.ID] without type, or with an id key, is refused at its line"
else
	not_ok "[netdev.ID] without type, or with an id key, is refused at its line (status $code)"
	note "$tmp/out"
fi

# --- 6. uninstall ----------------------------------------------------------------------
step uninstall "$MAKE" uninstall
if [ ! -e "$PLUGINDIR/netdev.so" ] && [ ! -e "$PLUGINDIR/netdev.la" ]; then
	installed=
	ok "make uninstall leaves no netdev.so or netdev.la"
else
	not_ok "make uninstall leaves no netdev.so or netdev.la"
	find "$PLUGINDIR" -name 'netdev.*' | note
fi
if plugin_names | grep -qx netdev; then
	not_ok "qlaunch plugins no longer lists netdev"
else
	ok "qlaunch plugins no longer lists netdev"
fi

done_testing
