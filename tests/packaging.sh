#!/usr/bin/env bash
# Build the Debian packages from a snapshot of the work tree and check them
# installed.  Standalone (not part of 'make check'); needs root, Debian 12.
#
#   tests/packaging.sh [--keep]
#
# 1. Copies the work tree as it is now -- tracked and untracked files, without
#    what .gitignore excludes (build products) -- into a temp dir, so
#    edits in progress are included and the work tree is not touched.
# 2. Builds it there with 'dpkg-buildpackage -us -uc -b' (which runs
#    'make check'; the QEMU tests skip their QEMU checks if QEMU is absent).
# 3. Runs 'lintian --fail-on error' on the .changes.
# 4. Installs qlaunch, qlaunch-plugins and qlaunch-dev with 'dpkg -i', checks
#    the installed command, plugins and SDK, and removes them again with
#    'dpkg --purge' (dpkg -r plus the conffile /etc/qlaunch/qlaunch.conf;
#    also on failure).
#
# Installs missing tools (dpkg-dev, debhelper, lintian, build dependencies)
# with apt-get.  Prints one "ok N - ..." or "not ok N - ..." line per check
# (tests/lib.sh), the plan and a closing "packaging: N passed, N failed,
# N skipped"; exits 1 if any check failed.
# --keep leaves the temp dir (build log, .debs) in place and says where.
# Packages qlaunch* installed before the run are purged by it as well.
# Takes about 3-5 minutes on a 2-core machine (configure, build and
# 'make check' dominate; with QEMU installed the QEMU tests run too).
set -u

here=$(cd "$(dirname "$0")/.." && pwd) || exit 1
keep_tmp=0
case ${1:-} in
--keep) keep_tmp=1 ;;
'') ;;
*) echo "usage: $0 [--keep]" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
	echo "packaging.sh: must run as root (it installs packages)" >&2
	exit 2
fi
if ! git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
	echo "packaging.sh: $here is not a git work tree" >&2
	exit 2
fi

PLUGINDIR=/usr/lib/qlaunch/plugins
PLUGINS=$(cd "$here/plugins" && ls *.c | sed 's/\.c$//')
nplugins=$(echo $PLUGINS | wc -w)
PKGS="qlaunch qlaunch-plugins qlaunch-dev"

installed=0
# $tmp, ok, not_ok, check, note, done_testing; keep_tmp=1 keeps $tmp
. "$here/tests/lib.sh"
finish() { done_testing packaging; }
test_cleanup() {
	if [ "$installed" = 1 ]; then
		# shellcheck disable=SC2086
		dpkg --purge $PKGS >"$tmp/remove.log" 2>&1 ||
			{ echo "# dpkg --purge failed:"; note "$tmp/remove.log"; }
	fi
}

start=$(date +%s)

# --- tools --------------------------------------------------------------------
missing=
for p in dpkg-dev debhelper lintian build-essential; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
updated=0
if [ -n "$missing" ]; then
	echo "# installing$missing"
	apt-get update -q >"$tmp/apt.log" 2>&1 && updated=1
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		$missing >>"$tmp/apt.log" 2>&1 ||
		{ not_ok "install tools:$missing"; note "$tmp/apt.log"; finish; }
fi

# --- snapshot of the work tree ------------------------------------------------
src=$tmp/qlaunch-0.1.0
mkdir "$src" || exit 1
# Tracked and untracked files, minus ignored ones; a tracked file deleted in
# the work tree is left out.
(
	cd "$here" &&
	git ls-files -z -c -o --exclude-standard | while IFS= read -r -d '' f; do
		if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
	done | tar --null -T - -cf - | tar -xf - -C "$src"
) 2>"$tmp/snapshot.log"
if [ -f "$src/debian/control" ] && [ -f "$src/configure.ac" ]; then
	ok "snapshot of the work tree in $src ($(find "$src" -type f | wc -l) files)"
else
	not_ok "snapshot of the work tree"; note "$tmp/snapshot.log"; finish
fi

# --- build dependencies --------------------------------------------------------
if ! (cd "$src" && dpkg-checkbuilddeps) >"$tmp/builddeps.log" 2>&1; then
	echo "# installing build dependencies: $(sed 's/.*Unmet build dependencies: //' "$tmp/builddeps.log")"
	[ "$updated" = 1 ] || apt-get update -q >>"$tmp/apt.log" 2>&1
	(cd "$src" && DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q \
		--no-install-recommends ./) >>"$tmp/apt.log" 2>&1 ||
		{ not_ok "install build dependencies"; note "$tmp/apt.log"; finish; }
fi

# --- build --------------------------------------------------------------------
if [ -z "${DEB_BUILD_OPTIONS:-}" ]; then
	DEB_BUILD_OPTIONS="parallel=$(nproc)"
	export DEB_BUILD_OPTIONS
fi
t0=$(date +%s)
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
status=$?
t1=$(date +%s)
if [ "$status" -eq 0 ]; then
	ok "dpkg-buildpackage -us -uc -b ($((t1 - t0)) s)"
else
	not_ok "dpkg-buildpackage -us -uc -b exited $status; last lines of the log:"
	tail -n 60 "$tmp/build.log" | note
	finish
fi
# The test suite ran in the build: say what it counted.
sed -n 's/^# \(TOTAL\|PASS\|SKIP\|FAIL\|XFAIL\|XPASS\|ERROR\): */\1 /p' "$tmp/build.log" |
	tr '\n' ' ' | sed 's/^/# make check in the build: /; s/ $/\n/'
grep '^SKIP: ' "$tmp/build.log" | sed 's/^/#   /'

arch=$(dpkg --print-architecture)
changes=$tmp/qlaunch_0.1.0_$arch.changes
debs=
for p in $PKGS; do
	f=$(ls "$tmp/${p}_0.1.0_"*.deb 2>/dev/null | head -n 1)
	if [ -n "$f" ]; then
		debs="$debs $f"
		ok "built $(basename "$f")"
	else
		not_ok "built a ${p}_0.1.0_*.deb"
	fi
done
[ -f "$changes" ] || { not_ok "built $(basename "$changes")"; finish; }
[ "$fails" -eq 0 ] || finish

# --- lintian ------------------------------------------------------------------
lintian --fail-on error --info "$changes" >"$tmp/lintian.log" 2>&1
status=$?
if [ "$status" -eq 0 ]; then
	ok "lintian --fail-on error: no errors ($(grep -c '^W: ' "$tmp/lintian.log") warnings)"
else
	not_ok "lintian --fail-on error exited $status"
fi
grep '^[EW]: ' "$tmp/lintian.log" | sed 's/^/#   /'

# --- package contents ---------------------------------------------------------
contents() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's|^\./|/|'; }
has() { # has DEB PATH...: the package holds every PATH
	deb=$1
	shift
	contents "$deb" >"$tmp/contents" || return 1
	for p in "$@"; do
		grep -qx "$p" "$tmp/contents" || { echo "#   missing: $p"; return 1; }
	done
}
deb_qlaunch=$(echo "$debs" | tr ' ' '\n' | grep '/qlaunch_')
deb_plugins=$(echo "$debs" | tr ' ' '\n' | grep '/qlaunch-plugins_')
deb_dev=$(echo "$debs" | tr ' ' '\n' | grep '/qlaunch-dev_')

check "qlaunch holds the command, its man pages, completion and plugin sets" \
	has "$deb_qlaunch" /usr/bin/qlaunch /usr/share/man/man1/qlaunch.1.gz \
	/usr/share/man/man5/qlaunch.ini.5.gz /etc/qlaunch/qlaunch.conf \
	/usr/share/qlaunch/plugin-sets/debian.conf \
	/usr/share/qlaunch/plugin-sets/minimal.conf \
	/usr/share/bash-completion/completions/qlaunch
UNIT=/lib/systemd/system/qlaunch@.service
check "qlaunch holds the unit $UNIT and the directory /etc/qlaunch/vms" \
	has "$deb_qlaunch" "$UNIT" /etc/qlaunch/vms/
check "/etc/qlaunch/qlaunch.conf is a conffile of qlaunch" \
	sh -c 'dpkg-deb --ctrl-tarfile "$1" | tar -xOf - ./conffiles |
		grep -qx /etc/qlaunch/qlaunch.conf' - "$deb_qlaunch"
set --
for p in $PLUGINS; do set -- "$@" "$PLUGINDIR/$p.so"; done
check "qlaunch-plugins holds the $nplugins standard plugins in $PLUGINDIR" \
	has "$deb_plugins" "$@"
so_count=$(contents "$deb_plugins" | grep -c '\.so$')
check "qlaunch-plugins holds no other shared object ($so_count)" [ "$so_count" -eq "$nplugins" ]
check "qlaunch-dev holds plugin.h, qlaunch.pc and qlaunch-plugin(7)" \
	has "$deb_dev" /usr/include/qlaunch/plugin.h /usr/share/pkgconfig/qlaunch.pc \
	/usr/share/man/man7/qlaunch-plugin.7.gz
la=$(for d in $debs; do contents "$d"; done | grep '\.la$')
check "no .la file in any package${la:+: $la}" [ -z "$la" ]
depends=$(dpkg-deb -f "$deb_qlaunch" Depends)
check "qlaunch Depends on qlaunch-plugins (= 0.1.0) ($depends)" \
	sh -c 'echo "$1" | grep -q "qlaunch-plugins (= 0.1.0)"' - "$depends"
check "qlaunch Recommends qemu-system-x86" \
	sh -c 'dpkg-deb -f "$1" Recommends | grep -qw qemu-system-x86' - "$deb_qlaunch"

# --- installed ------------------------------------------------------------------
# shellcheck disable=SC2086
if dpkg -i $debs >"$tmp/install.log" 2>&1; then
	installed=1
	ok "dpkg -i qlaunch qlaunch-plugins qlaunch-dev"
else
	installed=1 # half-installed packages are removed too
	not_ok "dpkg -i qlaunch qlaunch-plugins qlaunch-dev"
	note "$tmp/install.log"
	finish
fi

# The installed binary must find the installed plugins by itself.
ql() { env -u QLAUNCH_PLUGIN_PATH -u QLAUNCH_PLUGIN_SET /usr/bin/qlaunch "$@"; }

out=$(ql --version 2>&1)
check "qlaunch --version: $out" sh -c 'echo "$1" | grep -q "^qlaunch 0\.1\.0"' - "$out"

ql plugins >"$tmp/plugins" 2>&1
status=$?
# One line per plugin, its file last; other lines (a header, the plugin set)
# are not counted.
sofiles() { awk '$NF ~ /\.so$/ { print $NF }' "$1"; }
listed=$(sofiles "$tmp/plugins" | sort | tr '\n' ' ')
want=$(for p in $PLUGINS; do echo "$PLUGINDIR/$p.so"; done | sort | tr '\n' ' ')
if [ "$status" -eq 0 ] && [ "$listed" = "$want" ]; then
	ok "qlaunch plugins lists the $nplugins plugins from $PLUGINDIR"
else
	not_ok "qlaunch plugins lists the $nplugins plugins from $PLUGINDIR (exit $status)"
	note "$tmp/plugins"
fi
check "qlaunch reads Debian's plugin set /etc/qlaunch/qlaunch.conf by default" \
	grep -q /etc/qlaunch/qlaunch.conf "$tmp/plugins"
check "qlaunch's postinst wrote the plugin index $PLUGINDIR/plugins.index, $nplugins entries" \
	sh -c 'head -n 1 "$1/plugins.index" | grep -qx "qlaunch-plugin-index 1 abi 2" &&
		[ "$(grep -c "\.so " "$1/plugins.index")" -eq "$2" ]' - "$PLUGINDIR" "$nplugins"

out=$(ql print "$src/examples/demo.ini" 2>&1)
status=$?
case $out in
"/usr/bin/qemu-system-x86_64 "*)
	[ "$status" -eq 0 ] && ok "qlaunch print examples/demo.ini: $out" ||
		not_ok "qlaunch print examples/demo.ini exited $status" ;;
*) not_ok "qlaunch print examples/demo.ini starts with /usr/bin/qemu-system-x86_64: $out" ;;
esac
# (an example that takes a tap fd from its caller gets one: /dev/null; the
# disks and kernels the examples name are not on this host, and check may
# say so, but nothing else; check probes QEMU: into a cache of the test's
# own, not /var/cache)
check "qlaunch check on the installed examples" \
	sh -c 'for f in /usr/share/doc/qlaunch/examples/*.ini; do
		[ -f "$f" ] || exit 1
		fd=; grep -q "^\[fd\.tap0\]" "$f" && fd="--fd tap0=3"
		err=$(env -u QLAUNCH_PLUGIN_PATH -u QLAUNCH_PLUGIN_SET XDG_CACHE_HOME="$1/cache" \
			/usr/bin/qlaunch check $fd "$f" 2>&1 3</dev/null) ||
			! printf "%s\n" "$err" | grep -v " does not exist, expected " || exit 1
	done' sh "$tmp"

# The unit, as installed: it runs the installed qlaunch on
# /etc/qlaunch/vms/INSTANCE.ini, systemd-analyze verify accepts it without a
# word, and the package enabled no instance (a template is not enabled).
out=$(sed -n 's/^ExecStart=//p' "$UNIT" 2>&1)
check "$UNIT: ExecStart=$out" [ "$out" = "/usr/bin/qlaunch run /etc/qlaunch/vms/%i.ini" ]
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$tmp/unit" && cp "$UNIT" "$tmp/unit/qlaunch@pkgtest.service"
	if systemd-analyze verify --man=no "$tmp/unit/qlaunch@pkgtest.service" >"$tmp/verify.log" 2>&1 &&
		[ ! -s "$tmp/verify.log" ]; then
		ok "systemd-analyze verify on the installed unit (as qlaunch@pkgtest.service): silent"
	else
		not_ok "systemd-analyze verify on the installed unit (as qlaunch@pkgtest.service): silent"
		note "$tmp/verify.log"
	fi
else
	not_ok "systemd-analyze verify on the installed unit: systemd-analyze not found"
fi
wants=$(ls /etc/systemd/system/*.wants/qlaunch@* 2>/dev/null)
check "no qlaunch@ instance enabled by the package${wants:+: $wants}" [ -z "$wants" ]

out=$(env -u PKG_CONFIG_PATH pkg-config --variable=plugindir qlaunch 2>&1)
check "pkg-config --variable=plugindir qlaunch: $out" [ "$out" = "$PLUGINDIR" ]
out=$(env -u PKG_CONFIG_PATH pkg-config --modversion qlaunch 2>&1)
check "pkg-config --modversion qlaunch: $out" [ "$out" = 0.1.0 ]

la=$(find /usr/lib/qlaunch -name '*.la' 2>/dev/null; dpkg -L $PKGS | grep '\.la$')
check "no .la files installed${la:+: $la}" [ -z "$la" ]

# The SDK builds a plugin that the installed qlaunch loads next to its own.
mkdir "$tmp/sdk"
# shellcheck disable=SC2046
if cc -shared -fPIC -fvisibility=hidden -Wall -Werror \
	$(env -u PKG_CONFIG_PATH pkg-config --cflags qlaunch) -DGOOD -DSTEM='"tgood"' \
	-o "$tmp/sdk/tgood.so" "$src/tests/plugins/variant.c" >"$tmp/sdk.log" 2>&1 &&
	ql -P "$tmp/sdk" plugins >"$tmp/sdk.log" 2>&1 &&
	grep -q "^tgood .* $tmp/sdk/tgood.so\$" "$tmp/sdk.log" &&
	[ "$(sofiles "$tmp/sdk.log" | wc -l)" -eq $((nplugins + 1)) ]; then
	ok "a plugin built with the installed SDK loads beside the standard ones"
else
	not_ok "a plugin built with the installed SDK loads beside the standard ones"
	note "$tmp/sdk.log"
fi

check "man pages qlaunch(1), qlaunch.ini(5) and qlaunch-plugin(7) are installed" \
	test -f /usr/share/man/man1/qlaunch.1.gz -a -f /usr/share/man/man5/qlaunch.ini.5.gz \
	-a -f /usr/share/man/man7/qlaunch-plugin.7.gz

# --- removal ------------------------------------------------------------------
# shellcheck disable=SC2086
if dpkg --purge $PKGS >"$tmp/remove.log" 2>&1; then
	installed=0
	left=$(ls -d /usr/bin/qlaunch /usr/lib/qlaunch /usr/include/qlaunch \
		/usr/share/pkgconfig/qlaunch.pc /usr/share/qlaunch /etc/qlaunch "$UNIT" 2>/dev/null)
	check "dpkg --purge removes all three${left:+; left behind: $left}" [ -z "$left" ]
else
	not_ok "dpkg --purge qlaunch qlaunch-plugins qlaunch-dev"
	note "$tmp/remove.log"
fi

echo "# build+test took $(($(date +%s) - start)) s (dpkg-buildpackage $((t1 - t0)) s)"
finish
