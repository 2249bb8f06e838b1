#!/bin/sh
# Build the libFuzzer harness with clang (ASan + UBSan), the core and the
# standard plugins (compiled in as built-ins, so they are instrumented too),
# and fuzz for SECONDS (default 120) from the corpus kept in the tree
# (tests/fuzz/corpus), every shipped and tested config as seeds, and the
# dictionary tests/fuzz/qlaunch.dict.  A finding fails the run; the input
# is kept in tests/fuzz/findings/ to become a regression case.
# Usage: tests/fuzz/run.sh BUILDDIR [SECONDS [RUNS]]   (make fuzz)
#   RUNS: stop after that many executions too (default -1: no limit)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: run.sh BUILDDIR [SECONDS [RUNS]]}" && pwd)
seconds=${2:-120}
runs=${3:--1}
command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/qlaunch-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

flags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
incs="-I$build -I$src/include -I$src/core -I$work"
objs=
plugins=$(cd "$src/plugins" && ls *.c | sed 's/\.c$//')
{
	printf '#define PLUGINS(X)'
	for p in $plugins; do printf ' X(%s)' "$p"; done
	echo
} >"$work/fuzz_plugins.h"
for p in $plugins; do
	# shellcheck disable=SC2086
	clang $flags $incs -DQL_PLUGIN_DESCRIPTOR="ql_builtin_$p" -c -o "$work/$p.o" "$src/plugins/$p.c"
	objs="$objs $work/$p.o"
done
srcs=$(ls "$src"/core/*.c | grep -v '/main\.c$')
# shellcheck disable=SC2086
clang $flags -fsanitize=fuzzer $incs -DPLUGINDIR='"/nonexistent"' -DSYSCONFDIR='"/nonexistent"' \
	-o "$work/fuzz_config" "$src/tests/fuzz/fuzz_config.c" $srcs $objs -liniparser \
	$(pkg-config --cflags --libs json-c) -ldl

# the corpus of the tree (copied: libFuzzer adds to it), and seeds: every
# config the project ships or tests with, and its plugin sets
mkdir "$work/corpus" "$work/seeds"
cp "$src"/tests/fuzz/corpus/* "$work/corpus/" 2>/dev/null || true
for f in "$src"/examples/*.ini "$src"/examples/plugin/example.ini "$src"/tests/bad/*.ini \
	"$src"/bench/reference.ini "$src"/etc/*.conf; do
	[ -f "$f" ] && cp "$f" "$work/seeds/$(echo "$f" | tr / _)"
done

mkdir -p "$src/tests/fuzz/findings"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
echo "fuzz: $seconds s over config, plugin set, index and --fd bytes -> argv," \
	"$(ls "$work/corpus" | wc -l) corpus inputs, $(ls "$work/seeds" | wc -l) seeds"
if "$work/fuzz_config" -max_total_time="$seconds" -runs="$runs" -max_len=8192 -timeout=10 \
	-rss_limit_mb=2048 -dict="$src/tests/fuzz/qlaunch.dict" \
	-artifact_prefix="$src/tests/fuzz/findings/" -print_final_stats=1 \
	"$work/corpus" "$work/seeds" >"$work/log" 2>&1; then
	grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|Done)' \
		"$work/log" || true
	grep -E '^#[0-9]+.*(DONE|cov:)' "$work/log" | tail -n 1 || true
	echo "fuzz: no finding"
else
	tail -60 "$work/log"
	echo "fuzz: FINDING (input saved in tests/fuzz/findings/)" >&2
	exit 1
fi
# FUZZ_MERGE_TO=DIR: leave the run's corpus, minimised, in DIR
if [ -n "${FUZZ_MERGE_TO:-}" ]; then
	mkdir -p "$FUZZ_MERGE_TO"
	"$work/fuzz_config" -merge=1 "$FUZZ_MERGE_TO" "$work/corpus" "$work/seeds" >/dev/null 2>&1
	echo "fuzz: corpus minimised into $FUZZ_MERGE_TO ($(ls "$FUZZ_MERGE_TO" | wc -l) inputs)"
fi
