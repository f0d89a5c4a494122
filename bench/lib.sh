# SPDX-License-Identifier: GPL-2.0
#
# Helpers the benchmark scripts share; sourced, after they set TRACEFS.

# median <values...>: the middle one, or the mean of the middle two
median() {
	[ $# -gt 0 ] || return 0
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
		END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# format_table <tsv file> [<left-aligned columns>]: a Markdown table with
# aligned columns, the first row its header; a long cell widens its column only
format_table() {
	awk -F'\t' -v left="${2:-1}" '
	{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
	  if (NF > nf) nf = NF; n = NR }
	END {
		for (r = 1; r <= n; r++) {
			line = "|"
			for (i = 1; i <= nf; i++)
				line = line sprintf(" %" (i <= left ? "-" : "") w[i] "s |", c[r, i])
			print line
			if (r == 1) {
				line = "|"
				for (i = 1; i <= nf; i++) {
					d = ""; for (k = 0; k < w[i] + 2; k++) d = d "-"
					line = line d "|"
				}
				print line
			}
		}
	}' "$1"
}

# forget_ftio <pid>: remove what the ftio of <pid> left in tracefs (its
# instances, uprobes and kprobes), its own names only: 'ftio reset' would
# also take what another user's killed ftio left
forget_ftio() {
	local d ev f

	for d in "$TRACEFS/instances/ftio_$1_async" "$TRACEFS/instances/ftio_$1"; do
		test -d "$d" || continue
		echo 0 >"$d/tracing_on" 2>/dev/null
		echo 0 >"$d/events/enable" 2>/dev/null
		rmdir "$d" 2>/dev/null
	done
	for f in uprobe_events kprobe_events; do
		test -r "$TRACEFS/$f" || continue
		for ev in $(sed -n "s,^[pr][0-9]*:\(ftio_$1/[^ ]*\) .*,\1,p" "$TRACEFS/$f"); do
			echo "-:$ev" >>"$TRACEFS/$f" 2>/dev/null
		done
	done
}
