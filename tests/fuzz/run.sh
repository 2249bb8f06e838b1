#!/bin/sh
# Build the libFuzzer harness with clang (ASan + UBSan) against the core's
# sources and fuzz for SECONDS (default 120).  A finding fails the run; the
# input is kept in tests/fuzz/findings/ to become a regression case.
# Usage: tests/fuzz/run.sh BUILDDIR [SECONDS]   (make fuzz)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: run.sh BUILDDIR [SECONDS]}" && pwd)
seconds=${2:-120}
command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/qlaunch-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
srcs=$(ls "$src"/core/*.c | grep -v '/main\.c$')
# shellcheck disable=SC2086
clang $flags -I"$build" -I"$src/include" -I"$src/core" -DPLUGINDIR='"/nonexistent"' \
	-DSYSCONFDIR='"/nonexistent"' -o "$work/fuzz_config" "$src/tests/fuzz/fuzz_config.c" \
	$srcs -liniparser -ldl

# seeds: every config the project ships or tests with
mkdir "$work/corpus" "$work/seeds"
for f in "$src"/examples/*.ini "$src"/examples/plugin/example.ini "$src"/tests/bad/*.ini \
	"$src"/bench/reference.ini; do
	[ -f "$f" ] && cp "$f" "$work/seeds/$(echo "$f" | tr / _)"
done

mkdir -p "$src/tests/fuzz/findings"
export QLAUNCH_PLUGIN_DIR="$build/plugins/.libs" QLAUNCH_PLUGIN_SET=none
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
echo "fuzz: $seconds s over config bytes -> argv, $(ls "$work/seeds" | wc -l) seeds"
if "$work/fuzz_config" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
	-rss_limit_mb=2048 -artifact_prefix="$src/tests/fuzz/findings/" -print_final_stats=1 \
	"$work/corpus" "$work/seeds" >"$work/log" 2>&1; then
	grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done)' "$work/log" || true
	echo "fuzz: no finding"
else
	tail -60 "$work/log"
	echo "fuzz: FINDING (input saved in tests/fuzz/findings/)" >&2
	exit 1
fi
