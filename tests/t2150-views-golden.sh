#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='every view of every fixture is byte-identical to tests/fixtures/golden (refactors change no output)'
. "$(dirname "$0")/test-lib.sh"

# tests/fixtures/views.sh writes report (text, drill, JSON, CSV), replay
# (text, JSON), info (text, JSON), export (CSV, Perfetto) and the HTML
# page of each fixture; the golden set was written by the ftio before the
# layout change.  A change meant to alter an output regenerates it and
# shows the diff in its commit.
test_expect_success 'all views of all fixtures match the golden outputs' '
	FTIO="$FTIO" sh "$FIXTURES/views.sh" actual &&
	diff -r "$FIXTURES/golden" actual
'

test_expect_success 'the comparison can fail: one changed byte is seen' '
	cp -r actual changed &&
	f=$(ls changed/*.txt | head -1) &&
	echo x >>"$f" &&
	test_must_fail diff -r "$FIXTURES/golden" changed >/dev/null
'

# hash maps draw their seed per run: no output may depend on their order
test_expect_success 'the views are the same whatever the hash seed' '
	for seed in 1 12345 18446744073709551615; do
		FTIO_HASH_SEED=$seed FTIO="$FTIO" sh "$FIXTURES/views.sh" seed-$seed &&
		diff -r "$FIXTURES/golden" seed-$seed || return 1
	done
'

test_done
