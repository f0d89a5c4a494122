#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='bounded fuzzing of the recording reader, and the no-root tests under ASan+UBSan'
. "$(dirname "$0")/test-lib.sh"

top=$(dirname "$TEST_DIRECTORY")
# FTIO_FUZZ_SECONDS=0 skips the fuzzing run (the regression inputs still run in t6000)
secs=${FTIO_FUZZ_SECONDS:-60}

# llvm-symbolizer (package llvm): without names in the stacks, the library
# leaks in tests/fuzz/lsan.supp cannot be told from ftio's own
test_lazy_prereq CLANG '
	command -v clang >/dev/null && command -v llvm-symbolizer >/dev/null &&
	echo "int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }" >f.c &&
	clang -fsanitize=fuzzer,address f.c -o f.out
'

test_expect_success CLANG "libFuzzer over the reader and decoder for ${secs}s finds nothing" '
	test "$secs" = 0 ||
	make -s -C "$top" O="$PWD/fz" fuzz-run FUZZ_SECONDS=$secs FUZZ_WORK="$PWD/corpus" >fuzz.log 2>&1 || {
		# the leak or crash with its frames: a CI log is all that is left of a clean clone
		grep -E -A24 "ERROR|Direct leak" fuzz.log | grep -E "ERROR|leak of|#[0-9]+ " | head -60 >&2
		grep -E "SUMMARY|artifact" fuzz.log >&2
		false
	}
'

test_lazy_prereq ASAN 'echo "int main(void){return 0;}" >a.c && gcc -fsanitize=address,undefined a.c -o a.out && ./a.out'

test_expect_success ASAN 'make SANITIZE=1 builds ftio with ASan and UBSan' '
	make -s -C "$top" O="$PWD/san" SANITIZE=1 all test-progs >san.log 2>&1 &&
	test -x san/ftio
'

test_expect_success ASAN 'the fixture and hostile-input tests pass under the sanitizers' '
	mkdir -p san/tests && cp -r "$top/tests/helpers" san/tests/ 2>/dev/null;
	for t in t2100-report-fixtures t6000-robustness; do
		FTIO_BUILD_DIR="$PWD/san" ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions="$top/tests/fuzz/lsan.supp" \
			bash "$TEST_DIRECTORY/$t.sh" >$t.out 2>&1 || { cat $t.out >&2; return 1; }
		grep -q "^# passed [0-9]* failed 0" $t.out || { cat $t.out >&2; return 1; }
	done
'

test_done
