#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='contrib/deps.sh installs every external command the tests run'
. "$(dirname "$0")/test-lib.sh"

# The README's test command is "sh contrib/deps.sh && make check" on a fresh
# Debian 12: a test that skips there for a missing tool is a test that never
# runs.  This reads every test script for the commands it runs (at a command
# position, in a "command -v" prerequisite, or handed to the VM with
# --tool), outside heredocs (Python, guest scripts), finds the package that
# ships each one here, and requires that package in "deps.sh --list" or in
# Debian's required/important/essential base (which a minimal Debian root,
# build-essential and git bring).  The guest scripts (tests/vm/guest-*.sh)
# run inside the VM's busybox image and are left out.

top=$(dirname "$TEST_DIRECTORY")

test_lazy_prereq DPKG 'command -v dpkg-query && command -v dpkg'

test_expect_success PYTHON 'the commands of the test scripts are found' '
	python3 "$TEST_DIRECTORY/helpers/test-commands.py" "$TEST_DIRECTORY" >commands &&
	test_line_count -gt 50 commands
'

# deps_check COMMANDS DEPS BASE: one line per command whose package is in
# neither list nor pulled in by a package of them (clang -> clang-14,
# python3 -> python3.11-minimal), on stdout
deps_check() {
	{
		cat "$2" "$3" &&
		apt-cache depends --recurse --installed --no-recommends --no-suggests \
			--no-conflicts --no-breaks --no-replaces --no-enhances \
			$(cat "$2" "$3") 2>/dev/null | grep -v "^ " | sed "s/:.*//"
	} | sort -u >closure
	while read -r script cmd; do
		p=$(PATH=/usr/sbin:/sbin:$PATH command -v "$cmd") || continue
		case $p in /*) ;; *) continue ;; esac
		# the first of its paths that a package owns (usr-merge: /bin is
		# /usr/bin; a shim such as pyenv's is nobody's, Debian's copy is)
		pkg=
		for c in "$p" /usr/bin/"$cmd" /usr/sbin/"$cmd"; do
			test -e "$c" || continue
			r=$(readlink -f "$c")
			pkg=$(dpkg -S "$r" 2>/dev/null || dpkg -S "${r#/usr}" 2>/dev/null ||
				dpkg -S "$c" 2>/dev/null || dpkg -S "${c#/usr}" 2>/dev/null) && break
		done
		test -n "$pkg" || {
			echo "$script: $cmd ($p) belongs to no package"
			continue
		}
		pkg=${pkg%%:*} && pkg=${pkg%%,*}
		grep -qx "$pkg" closure && continue
		echo "$script: $cmd comes from $pkg, which deps.sh does not install"
	done <"$1"
}

test_expect_success DPKG 'each one comes from a package deps.sh installs, or the base system' '
	sh "$top/contrib/deps.sh" --list | sort -u >deps &&
	dpkg-query -W -f="\${Package} \${Priority} \${Essential}\n" |
		awk "\$2 == \"required\" || \$2 == \"important\" || \$3 == \"yes\" { print \$1 }" >base &&
	printf "%s\n" build-essential git ca-certificates >>base &&
	deps_check commands deps base >missing &&
	cat missing &&
	test_must_be_empty missing
'

test_expect_success DPKG 'the check can fail: a tool whose package is not listed is named' '
	echo "t9999-made-up.sh file" >cmds2 &&
	grep -vx file deps >deps2 &&
	deps_check cmds2 deps2 base >missing2 &&
	grep "t9999-made-up.sh: file comes from file, which deps.sh does not install" missing2
'

test_done
