#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='wrong numbers from hostile recordings: loss totals saturate, warnings are capped with an "N more" line'
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

test_done
