#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='hostile recordings: loss totals saturate, warnings are capped, memory is bounded by the documented bounds and not by what the input claims, holes and FIFOs do not hold the reader, one zstd frame per chunk'
. "$(dirname "$0")/test-lib.sh"

# variants of tests/fixtures/seed.dat crafted by tests/helpers/craft.py
craft() { python3 "$TEST_DIRECTORY/helpers/craft.py" "$@"; }

test_expect_success PYTHON 'two CPUs each claiming 2^63 lost events: the total saturates, not "0 lost"' '
	v="$(printf "overrun: %s\n" 9223372036854775808)" &&
	craft "$FIXTURES/seed.dat" lost.dat attr-end stats/cpu0 "$v" stats/cpu1 "$v" &&
	"$FTIO" info lost.dat >info.txt &&
	grep "^lost:  *18446744073709551615 (ring buffer)" info.txt &&
	"$FTIO" report -i lost.dat --no-pager >report.txt &&
	grep "events, 18446744073709551615 lost" report.txt
'

test_expect_success PYTHON '500 damaged chunks: 100 warnings and one "400 more" line' '
	craft "$FIXTURES/seed.dat" bad.dat badattrs 500 &&
	"$FTIO" info bad.dat >/dev/null 2>err &&
	test $(grep -c "fails its checksum" err) = 100 &&
	grep "^ftio: warning: .bad.dat.: 400 more warnings not shown (the first 100 are)$" err &&
	test $(wc -l <err) = 101 &&
	"$FTIO" report -i bad.dat --no-pager >/dev/null 2>err &&
	test $(wc -l <err) -le 102 &&
	grep "400 more warnings" err
'

test_lazy_prereq ZSTD 'command -v zstd'

# peak_rss_kb CMD...: runs CMD (its output to out/err), prints its peak RSS in KiB
peak_rss_kb() {
	python3 -c "
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=open(\"out\", \"w\"), stderr=open(\"err\", \"w\"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)" "$@"
}

# The documented bounds (ftio-format(5), BOUNDS): 128 MiB of metadata and
# 256 MiB of inflated chunks; the old reader took 2.8 GB for the first file
test_expect_success PYTHON,ZSTD 'a 39 KB file of 32 million compressed empty attributes stays small' '
	craft "$FIXTURES/seed.dat" empty.dat attrbomb 4 8000000 &&
	test $(wc -c <empty.dat) -lt 100000 &&
	kb=$(peak_rss_kb "$FTIO" report -i empty.dat --no-pager) && echo "peak $kb KiB" &&
	test "$kb" -lt 262144 &&
	grep -q "^Capture" out &&
	grep "8000000 metadata entries without a name in chunk at offset" err
'

test_expect_success PYTHON,ZSTD '24 million named attributes: the first 262144 load, the rest are counted' '
	craft "$FIXTURES/seed.dat" named.dat namedbomb 4 6000000 &&
	kb=$(peak_rss_kb "$FTIO" report -i named.dat --no-pager) && echo "peak $kb KiB" &&
	test "$kb" -lt 262144 &&
	grep -q "^Capture" out &&
	grep "5738052 metadata entries past the bound of 262144 entries or 128 MiB: not loaded" err
'

test_expect_success PYTHON,ZSTD 'eight 60 MiB attributes: 128 MiB of them load, not 480' '
	craft "$FIXTURES/seed.dat" value.dat valuebomb 8 &&
	kb=$(peak_rss_kb "$FTIO" report -i value.dat --no-pager) && echo "peak $kb KiB" &&
	test "$kb" -lt 262144 &&
	grep -q "^Capture" out &&
	grep -c "past the bound" err >n && test $(cat n) -ge 5
'

# (the old reader took 53 s to scan it)
test_lazy_prereq SPARSE 'truncate -s 1G sparse && test $(du -k sparse | cut -f1) -lt 1024'

test_expect_success PYTHON,SPARSE 'a 20 GB sparse hole after the last chunk is skipped, not read' '
	craft "$FIXTURES/seed.dat" hole.dat hole 20000000000 &&
	timeout 20 "$FTIO" report -i hole.dat --no-pager >out 2>err &&
	grep -q "^Capture" out &&
	grep "damaged data from offset [0-9]* to the end (20000000000 bytes) skipped" err
'

test_expect_success 'a FIFO or a device as input is an error, at once' '
	mkfifo fifo &&
	test_expect_code 1 timeout 10 "$FTIO" report -i fifo 2>err &&
	grep "^ftio: cannot read .fifo.: not a regular file" err &&
	test_expect_code 1 "$FTIO" info /dev/zero 2>err &&
	grep "^ftio: cannot read ./dev/zero.: not a regular file" err
'

test_expect_success PYTHON,ZSTD 'a chunk of two zstd frames is damage (the format says one frame)' '
	craft "$FIXTURES/seed.dat" two.dat twoframes &&
	"$FTIO" info two.dat >out 2>err &&
	grep "chunk at offset [0-9]* holds more than one zstd frame: skipped" err
'

# libtraceevent finds each event's place by scanning from the lowest id:
# 150,000 formats lowest first took minutes (60,000 took 9 s)
test_expect_success PYTHON '150,000 event formats: 16384 load, highest id first, the rest are counted' '
	craft "$FIXTURES/seed.dat" formats.dat formats 150000 &&
	timeout 30 "$FTIO" report -i formats.dat --no-pager >out 2>err &&
	grep -q "^Capture" out &&
	grep "formats after the first 16384 skipped" err
'

test_done
