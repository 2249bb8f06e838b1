#!/bin/sh
# Build a copy of the tree with AddressSanitizer and UndefinedBehavior-
# Sanitizer (plugins too) and run the whole test suite with it.  Any
# sanitizer report aborts the process and fails the test that ran it;
# LeakSanitizer makes a leak at exit fail the command.
# Usage: tools/sanitize-check.sh   (run from anywhere; CI runs it)
set -eu
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
exec sh "$(dirname "$0")/check-copy.sh" sanitizers \
	CFLAGS="-O1 -g -fno-omit-frame-pointer $san" LDFLAGS="$san"
