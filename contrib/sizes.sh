#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lists the functions over 150 lines and the files over 800 lines in src/,
# plugins/ and include/ (`make sizes`).  The layout keeps both lists empty:
# a longer function says why in a comment above it.  Needs Universal Ctags
# (Debian's universal-ctags) for the functions.
cd "$(dirname "$0")/.." || exit 1
if command -v ctags >/dev/null 2>&1; then
	# shellcheck disable=SC2046
	ctags --c-kinds=f --fields=+ne -o - $(git ls-files 'src/*.c' 'plugins/*.c') 2>/dev/null |
		awk -F'\t' '{
			l = 0; e = 0
			for (i = 4; i <= NF; i++) {
				if ($i ~ /^line:/) l = substr($i, 6)
				if ($i ~ /^end:/) e = substr($i, 5)
			}
			if (e - l + 1 > 150) print "function", e - l + 1, $2 ":" $1
		}' | sort -k2,2rn
else
	echo "sizes.sh: no ctags (apt-get install universal-ctags): functions not measured" >&2
fi
# shellcheck disable=SC2046
wc -l $(git ls-files 'src/*.[ch]' 'plugins/*.[ch]' 'include/*.h') |
	awk '$2 != "total" && $1 > 800 { print "file", $1, $2 }'
