#!/bin/bash
# bench/run.sh [BUILD_DIR [BUILTIN_BUILD_DIR]]: measure qlaunch's launch
# overhead, its scaling with the number of sections, its peak memory and the
# cost of loading the plugins, on this machine, in one run (about 5 minutes).
#
# BUILD_DIR is a built tree (default: this repository): BUILD_DIR/core/qlaunch
# and the plugins in BUILD_DIR/plugins/.libs are measured.  BUILTIN_BUILD_DIR
# is a tree built with ./configure --with-builtin-plugins=all; without one,
# the script builds one from the repository's tracked files in a temporary
# directory, so that both builds are measured side by side in one run.  Writes
# bench/results/results.md (also printed), bench/results/sections.png and the
# raw data next to them.  Needs hyperfine, gnuplot, GNU time and a C
# compiler; the first three are installed with apt-get if missing.
#
# What is measured (hyperfine medians, wall clock, -N: no shell):
#   1. launch overhead = 'qlaunch run reference.ini' - '/bin/true', where
#      reference.ini uses 13 plugin families and [qemu] binary = /bin/true,
#      for the default build (every standard plugin loaded with dlopen) and the built-in
#      one, each also as a ratio to 'exec1 /bin/true';
#      next to it the floor of any exec-in-place launcher on this machine,
#      'exec1 /bin/true' - '/bin/true' (bench/exec1.c only calls execv)
#      and, for examples/minimal.ini (4 of the standard plugins used), the launch
#      overhead with every plugin loaded and with a plugin index (4 loaded)
#   2. 'qlaunch print' of configs with N [device.dN] sections: the total
#      (hyperfine), then iniparser's share and qlaunch's own work, measured
#      inside each run: bench/iniclock.c, preloaded, clocks iniparser_load()
#      and the process from before main() to exit, so that
#      own = whole - iniparser_load comes from one process and is not lost
#      in the noise of iniparser's quadratic load (own work includes loading
#      the standard plugins, see 4.)
#   3. max RSS of 'qlaunch print reference.ini' (/usr/bin/time -v)
#   4. plugin loading = 'qlaunch plugins' - 'qlaunch --version'
set -Eeuo pipefail
trap 'echo "bench: failed (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=$(cd "${1:-$repo}" && pwd)
results=$here/results
ref=$here/reference.ini

# Section counts: the table reports 10, 1000 and 10000, the plot uses all.
sizes="10 100 1000 3000 10000"
# Runs per size: iniparser 4.1 loads in O(n^2) (a 10,000-section file takes
# ~0.4 s), so the big files get fewer runs to keep the whole run short.
runs_for() {
	case $1 in
	10 | 100) echo 200 ;;
	1000) echo 100 ;;
	3000) echo 30 ;;
	*) echo 15 ;;
	esac
}
base_rounds=5  # item 1 and 4: 5 rounds of 60 runs (>= 200 asked)
base_runs=60

# Targets.
t_launch_ms=1       # launch overhead
t_builtin_ratio=1.3 # built-in build: run reference.ini / exec1 /bin/true
t_own10k_ms=50      # qlaunch's own work for 10,000 sections
t_rss_kib=4096      # max RSS of print reference.ini

die() { echo "bench: $*" >&2; exit 1; }

# --- tools ------------------------------------------------------------------
need=""
command -v hyperfine >/dev/null || need="$need hyperfine"
command -v gnuplot >/dev/null || need="$need gnuplot-nox"
[ -x /usr/bin/time ] || need="$need time"
if [ -n "$need" ]; then
	echo "bench: installing$need" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get install -y --no-install-recommends $need >/dev/null ||
		{ $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends $need >/dev/null; } ||
		die "could not install$need"
fi
cc=${CC:-cc}
command -v "$cc" >/dev/null || die "no C compiler ($cc)"

# --- the binary under test --------------------------------------------------
ql=$build/core/qlaunch
pd=$build/plugins/.libs
[ -x "$ql" ] || die "$ql not found: build first (make)"
[ -d "$pd" ] || die "$pd not found: build the plugins first"
if [ "$(head -c2 "$ql")" = "#!" ]; then
	# A libtool wrapper script would be measured too: use the real binary.
	[ -x "$build/core/.libs/qlaunch" ] || die "$ql is a wrapper script and core/.libs/qlaunch is missing"
	ql=$build/core/.libs/qlaunch
	export LD_LIBRARY_PATH="$build/core/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# No installed plugin set, only the build's plugins: the run does not depend
# on what is installed on this machine.
qlx="$ql -s none -P $pd"
nplugins=$($qlx plugins | awk '$NF ~ /\.so$/ { n++ } END { print n + 0 }')
nstd=$(ls "$repo"/plugins/*.c | wc -l)
[ "$nplugins" -eq "$nstd" ] || die "expected $nstd plugins in $pd, found $nplugins"
$qlx check --no-probe "$ref" || die "$ref is not valid for this build"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qlaunch-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$results"

# --- the built-in build -------------------------------------------------------
# Every standard plugin compiled into qlaunch; its prefix is a directory that
# does not exist, so no installed plugin file masks a built-in.
if [ -n "${2:-}" ]; then
	bbuild=$(cd "$2" && pwd)
else
	bbuild=$tmp/builtin
	echo "bench: building a copy with --with-builtin-plugins=all in $bbuild" >&2
	mkdir "$bbuild"
	(cd "$repo" && git ls-files | tar -T - -cf -) | (cd "$bbuild" && tar -xf -)
	(cd "$bbuild" && autoreconf -fi >/dev/null 2>&1 &&
		./configure -q --prefix="$tmp/none" --with-builtin-plugins=all >/dev/null 2>&1 &&
		make -j"$(nproc)" >/dev/null 2>&1) || die "could not build the built-in copy"
fi
bql=$bbuild/core/qlaunch
[ -x "$bql" ] && [ "$(head -c2 "$bql")" != "#!" ] || die "$bql is not a built qlaunch binary"
nbuiltin=$("$bql" -s none plugins | awk '$NF == "built-in" { n++ } END { print n + 0 }')
[ "$nbuiltin" -eq "$nstd" ] || die "expected $nstd built-in plugins in $bql, found $nbuiltin"
bqlx="$bql -s none"
$bqlx check --no-probe "$ref" || die "$ref is not valid for the built-in build"

"$cc" -O2 -Wall -o "$tmp/exec1" "$here/exec1.c" || die "could not build exec1"
"$cc" -O2 -Wall -shared -fPIC -o "$tmp/iniclock.so" "$here/iniclock.c" -ldl ||
	die "could not build iniclock.so"

# hyperfine wrapper: hf NAME RUNS WARMUP CMD...; medians (ms) land in
# $tmp/NAME.csv, one "command,median" line per command.
hf() {
	local name=$1 runs=$2 warmup=$3
	shift 3
	hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
		--export-csv "$tmp/$name.raw.csv" --export-json "$results/$name.json" "$@" >&2
	awk -F, 'NR > 1 { printf "%s,%.3f,%.3f\n", $1, ($5 + $6) * 1000, $4 * 1000 }' "$tmp/$name.raw.csv" >"$tmp/$name.csv"
}
# median: of the numbers on stdin, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# hf_rounds NAME ROUNDS RUNS CMD...: hf ROUNDS times, RUNS runs each, so that
# a load that drifts while the benchmark runs falls on every command alike
# (hyperfine runs one command's runs back to back); NAME.csv then holds, per
# command, the mean CPU time and the median of the rounds' medians.
hf_rounds() {
	local name=$1 rounds=$2 runs=$3 i r
	shift 3
	for r in $(seq "$rounds"); do
		hf "$name-$r" "$runs" 5 "$@"
	done
	for i in $(seq $#); do
		for r in $(seq "$rounds"); do sed -n "${i}p" "$tmp/$name-$r.csv"; done >"$tmp/$name.rows"
		printf '%s,%s,%s\n' "$(head -n 1 "$tmp/$name.rows" | cut -d, -f1)" \
			"$(awk -F, '{ c += $2 } END { printf "%.3f", c / NR }' "$tmp/$name.rows")" \
			"$(cut -d, -f3 "$tmp/$name.rows" | median)"
	done >"$tmp/$name.csv"
}
# med NAME INDEX: median (ms) of the INDEX-th command (1-based) of NAME.
med() { sed -n "${2}p" "$tmp/$1.csv" | awk -F, '{ print $NF }'; }
# cpu NAME INDEX: mean user+system CPU time (ms), less hurt by a busy machine.
cpu() { sed -n "${2}p" "$tmp/$1.csv" | awk -F, '{ print $(NF - 1) }'; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }

echo "bench: $ql, plugins in $pd" >&2

# A config with only [qemu], run with no plugins at all: qlaunch's launch
# overhead without any plugin loading, to tell what dominates item 1.
mkdir "$tmp/noplugins"
printf '[qemu]\nbinary = /bin/true\n' >"$tmp/q0.ini"
# The same plugins without and with a plugin index, for a config that
# uses 4 of them (examples/minimal.ini): what lazy loading saves.
small=$repo/examples/minimal.ini
mkdir "$tmp/all" "$tmp/indexed"
cp "$pd"/*.so "$tmp/all/" && cp "$pd"/*.so "$tmp/indexed/" || die "cannot copy the plugins"
$ql index "$tmp/indexed" || die "qlaunch index failed"

# --- 1 and 4: launch overhead, process start, plugin loading -----------------
hf_rounds base "$base_rounds" "$base_runs" \
	"/bin/true" \
	"$qlx run $ref" \
	"$ql --version" \
	"$qlx plugins" \
	"$ql -s none -P $tmp/noplugins run $tmp/q0.ini" \
	"$tmp/exec1 /bin/true" \
	"$ql -s none -P $tmp/all --qemu /bin/true run $small" \
	"$ql -s none -P $tmp/indexed --qemu /bin/true run $small" \
	"$bqlx run $ref"
true_ms=$(med base 1)
run_ms=$(med base 2)
version_ms=$(med base 3)
plugins_ms=$(med base 4)
run0_ms=$(med base 5)
exec1_ms=$(med base 6)
small_all_ms=$(calc "$(med base 7) - $true_ms")
small_idx_ms=$(calc "$(med base 8) - $true_ms")
brun_ms=$(med base 9)
blaunch_ms=$(calc "$brun_ms - $true_ms")
blaunch_cpu=$(calc "$(cpu base 9) - $(cpu base 1)")
ratio=$(calc "$run_ms / $exec1_ms")
bratio=$(calc "$brun_ms / $exec1_ms")
floor_ms=$(calc "$exec1_ms - $true_ms")
over_floor_ms=$(calc "$run_ms - $exec1_ms")
launch0_ms=$(calc "$run0_ms - $true_ms")
launch_ms=$(calc "$run_ms - $true_ms")
launch_cpu=$(calc "$(cpu base 2) - $(cpu base 1)")
launch0_cpu=$(calc "$(cpu base 5) - $(cpu base 1)")
plugload_cpu=$(calc "$(cpu base 4) - $(cpu base 3)")
plugload_ms=$(calc "$plugins_ms - $version_ms")

# --- 2: sections ---------------------------------------------------------
# clocked N FILE: run 'qlaunch print FILE' N times with iniclock.so preloaded;
# prints the medians (ms) "own_wall iniparser_wall own_cpu".
clocked() {
	local runs=$1 file=$2 out=$tmp/clock.txt
	rm -f "$out"
	for _ in $(seq "$runs"); do
		LD_PRELOAD=$tmp/iniclock.so QLAUNCH_BENCH_CLOCK=$out $qlx print "$file" >/dev/null
	done
	[ "$(wc -l <"$out")" -eq "$runs" ] || die "iniclock wrote $(wc -l <"$out") lines for $runs runs"
	printf '%s %s %s\n' \
		"$(awk '{ print ($1 - $2) / 1000 }' "$out" | median)" \
		"$(awk '{ print $2 / 1000 }' "$out" | median)" \
		"$(awk '{ print ($3 - $4) / 1000 }' "$out" | median)"
}
printf '# sections total_ms iniparser_ms qlaunch_own_ms start_ms qlaunch_own_cpu_ms\n' >"$results/sections.dat"
for n in $sizes; do
	f=$tmp/s$n.ini
	sh "$here/gen-sections.sh" "$n" >"$f"
	$qlx check --no-probe "$f" || die "generated $f is not valid"
	hf "sections-$n" "$(runs_for "$n")" 2 "$qlx print $f"
	total=$(med "sections-$n" 1)
	res=$(clocked "$(runs_for "$n")" "$f") || exit 1
	read -r own ini own_cpu <<<"$res"
	printf '%s %s %s %s %s %s\n' "$n" "$total" "$ini" "$own" "$version_ms" "$own_cpu" >>"$results/sections.dat"
done
row() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$results/sections.dat"; }
# Per section: the slope between 10 and 10,000 sections.
slope() { calc "($(row 10000 "$1") - $(row 10 "$1")) / 9990 * 1000"; }  # us/section

# --- 3: peak memory --------------------------------------------------------
maxrss() {
	local best="" r
	for _ in 1 2 3 4 5; do
		r=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }')
		[ -z "$best" ] || [ "$r" -lt "$best" ] && best=$r
	done
	echo "$best"
}
rss_print=$(maxrss $qlx print "$ref")
rss_version=$(maxrss $ql --version)
rss_true=$(maxrss /bin/true)
rss_10k=$(maxrss $qlx print "$tmp/s10000.ini")
# Minor page faults (the mmap/relocation work of loading shared objects).
minflt() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Minor/ { gsub(/ /, "", $2); print $2 }'; }
pf_true=$(minflt /bin/true)
pf_run0=$(minflt $ql -s none -P "$tmp/noplugins" run "$tmp/q0.ini")
pf_run=$(minflt $qlx run "$ref")

# --- 5: where qlaunch's own time for 10,000 sections goes (if perf works) ---
profile=$results/profile-10000.txt
if command -v perf >/dev/null &&
	perf record -q -F 2000 -g -o "$tmp/perf.data" $qlx print "$tmp/s10000.ini" >/dev/null 2>"$tmp/perf.err"; then
	{
		echo "# perf: 'qlaunch print' of 10,000 sections, share of samples by library"
		perf report -i "$tmp/perf.data" --no-children --stdio --sort dso 2>/dev/null |
			grep -E '^ +[0-9.]+%' | sed -n '1,8p'
		echo
		echo "# top symbols outside libiniparser"
		perf report -i "$tmp/perf.data" --no-children --stdio --sort dso,symbol -g none 2>/dev/null |
			grep -E '^ +[0-9.]+%' | grep -v libiniparser | sed -n '1,15p'
	} >"$profile"
else
	echo "# perf not available: no profile" >"$profile"
fi

# --- report -----------------------------------------------------------------
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "PASS" : "FAIL" }'; }
verdict_le() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "PASS" : "FAIL" }'; }
own10k=$(row 10000 4)
md=$results/results.md
{
	echo "# qlaunch benchmark"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs," \
		"$(hyperfine --version), qlaunch $($ql --version | awk '{ print $2 }')" \
		"($(git -C "$build" rev-parse --short HEAD 2>/dev/null || echo 'no git'))."
	echo "Times are hyperfine medians (wall clock, \`-N\`); the single-config rows"
	echo "take the median of $base_rounds rounds of $base_runs runs of every command, so that a"
	echo "drifting load hurts all alike. 'own' is measured inside each \`qlaunch print\` run"
	echo "(bench/iniclock.c): the process from before main() to exit, minus"
	echo "iniparser_load(); it includes loading all $nstd plugins. (CPU: ...) is the"
	echo "same quantity in user+system CPU time."
	echo
	echo "| measurement | value | target | result |"
	echo "|---|---:|---:|---|"
	echo "| \`/bin/true\` directly | $true_ms ms | | |"
	echo "| \`qlaunch run\` reference.ini (13 families, 20 devices, QEMU = /bin/true) | $run_ms ms | | |"
	echo "| **launch overhead** (run − /bin/true) | **$launch_ms ms** (CPU: $launch_cpu ms) | < $t_launch_ms ms | $(verdict "$launch_ms" "$t_launch_ms") |"
	echo "| floor: one more execve, \`exec1 /bin/true\` − /bin/true (bench/exec1.c: execv and nothing else) | $floor_ms ms | | info |"
	echo "| \`exec1 /bin/true\` | $exec1_ms ms | | |"
	echo "| default build ($nstd plugins, dlopen): \`run\` reference.ini / exec1 | $run_ms ms = **${ratio}x** | | info |"
	echo "| built-in build (\`--with-builtin-plugins=all\`): \`run\` reference.ini / exec1 | $brun_ms ms = **${bratio}x** | ≤ ${t_builtin_ratio}x | $(verdict_le "$bratio" "$t_builtin_ratio") |"
	echo "| built-in build: launch overhead (run − /bin/true) | $blaunch_ms ms (CPU: $blaunch_cpu ms) | | info |"
	echo "| launch overhead above that floor (run − exec1 /bin/true) | $over_floor_ms ms | | info |"
	echo "| launch overhead with no plugins (\`run\` of a [qemu]-only config, 0 plugins) − /bin/true | $launch0_ms ms (CPU: $launch0_cpu ms) | | info |"
	echo "| launch overhead of examples/minimal.ini (uses 4 of the $nstd plugins): all $nstd loaded / with plugins.index (4 loaded) | $small_all_ms / $small_idx_ms ms | | info |"
	echo "| minor page faults: /bin/true / run, 0 plugins / run reference.ini, $nstd plugins | $pf_true / $pf_run0 / $pf_run | | info |"
	echo "| process start (\`qlaunch --version\`) | $version_ms ms | | |"
	echo "| \`qlaunch plugins\` | $plugins_ms ms | | |"
	echo "| **loading $nstd plugins** (plugins − --version) | **$plugload_ms ms** (CPU: $plugload_cpu ms) | | info |"
	for n in 10 1000 10000; do
		echo "| print, $n sections: total / iniparser load / qlaunch own | $(row "$n" 2) / $(row "$n" 3) / $(row "$n" 4) ms | | |"
	done
	echo "| **qlaunch own work, 10,000 sections** | **$own10k ms** (CPU: $(row 10000 6) ms) | < $t_own10k_ms ms | $(verdict "$own10k" "$t_own10k_ms") |"
	echo "| per section (slope 10→10,000): total / iniparser / qlaunch own | $(slope 2) / $(slope 3) / $(slope 4) µs | | info |"
	echo "| **max RSS**, \`qlaunch print\` reference.ini | **$rss_print KiB** | < $t_rss_kib KiB | $(verdict "$rss_print" "$t_rss_kib") |"
	echo "| max RSS: /bin/true / \`qlaunch --version\` / print 10,000 sections | $rss_true / $rss_version / $rss_10k KiB | | info |"
} >"$md"
cat "$md"
echo
echo "profile ($profile):"
cat "$profile"

# --- plot ---------------------------------------------------------------------
gnuplot <<EOF
set terminal pngcairo size 900,600 font "sans,11"
set output "$results/sections.png"
set title "qlaunch print: time vs number of [device.N] sections (medians)"
set xlabel "sections"
set ylabel "time (ms)"
set logscale xy
set grid xtics ytics mxtics mytics
set key top left box opaque
set xrange [7:14000]
set format y "%g"
plot "$results/sections.dat" using 1:2 with linespoints lw 2 pt 7 title "qlaunch print (total)", \
     "" using 1:3 with linespoints lw 2 pt 5 title "iniparser load", \
     "" using 1:(\$4 > 0.01 ? \$4 : 0.01) with linespoints lw 2 pt 9 title "qlaunch own work (incl. the plugin loads)", \
     "" using 1:5 with lines dt 3 lw 2 lc rgb "gray30" title "process start (qlaunch --version)", \
     $t_own10k_ms with lines dt 2 lc rgb "red" title "target: own work < $t_own10k_ms ms at 10,000"
EOF
echo
echo "bench: wrote $md and $results/sections.png" >&2
