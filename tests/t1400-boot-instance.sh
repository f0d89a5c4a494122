#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the boot instance on a kernel booted without it: boot-setup, record --boot-instance, salvage and reset say what is missing'
. "$(dirname "$0")/test-lib.sh"

# tests/t7500-vm-boot-instance.sh boots kernels that have it; here, this
# machine's kernel as it was booted, without ftio boot-setup's words
test_lazy_prereq NOBOOT '
	test_have_prereq ROOT && test_have_prereq TRACEFS &&
	! test -d "$TRACEFS_DIR/instances/ftio_boot" &&
	! grep -q "trace_instance=ftio_boot" /proc/cmdline
'
# Linux 6.12+ with reserve_mem= and ring buffers on reserved memory
test_lazy_prereq BOOTKERNEL '
	test_have_prereq NOBOOT &&
	r=$(uname -r) && maj=${r%%.*} && min=${r#*.} && min=${min%%[!0-9]*} &&
	{ test "$maj" -gt 6 || { test "$maj" = 6 && test "$min" -ge 12; }; } &&
	grep -q " reserve_mem_find_by_name$" /proc/kallsyms &&
	grep -q "ring_buffer_alloc_range" /proc/kallsyms
'

test_expect_success BOOTKERNEL 'boot-setup prints the words and how to add them, says this boot lacks them, exit 1' '
	test_expect_code 1 "$FTIO" boot-setup >out 2>err &&
	cat out &&
	test ! -s err &&
	sed -n 3p out >words &&
	case $(uname -m) in
	x86_64|aarch64) echo "    reserve_mem=32M:4096:ftio_boot trace_instance=ftio_boot^traceoff@ftio_boot nokaslr" ;;
	*) echo "    reserve_mem=32M:4096:ftio_boot trace_instance=ftio_boot^traceoff@ftio_boot" ;;
	esac >expect &&
	test_cmp expect words &&
	grep -q "^  GRUB  .*GRUB_CMDLINE_LINUX" out &&
	grep -q "update-grub" out &&
	grep -q "^  U-Boot .*bootargs" out &&
	grep -q "setenv bootargs \"\${bootargs} reserve_mem=32M:4096:ftio_boot" out &&
	grep -q "^  Raspberry Pi .*/boot/firmware/cmdline.txt" out &&
	grep -q "ftio never edits a bootloader" out &&
	grep -q "^  ftio salvage --last-boot -o /var/lib/ftio/ " out &&
	grep -q "^  ftio record --boot-instance " out &&
	grep -q "nokaslr on x86" out &&
	grep -q "a power cut or a$" out &&
	grep "^This boot (Linux $(uname -r)): not set up: it was not booted with these words (tracefs has no instances/ftio_boot)\.$" out
'

test_expect_success BOOTKERNEL 'boot-setup --size, -e and -p go into the words and the arming command' '
	test_expect_code 1 "$FTIO" boot-setup --size 1G -e syscalls,block -p / >out &&
	grep -q "^    reserve_mem=1G:4096:ftio_boot trace_instance=ftio_boot^traceoff@ftio_boot" out &&
	grep -q "^  ftio record --boot-instance -e syscalls,block -p / " out &&
	test_expect_code 1 "$FTIO" boot-setup --size 5000k >out &&
	grep -q "^    reserve_mem=5000K:4096:ftio_boot " out &&
	test_expect_code 1 "$FTIO" boot-setup --size 1537k >out &&
	grep -q "^    reserve_mem=1540K:4096:ftio_boot " out
'

test_expect_success 'boot-setup: a bad size, layer or path is a usage error or says why' '
	test_expect_code 129 "$FTIO" boot-setup --size 512K 2>err &&
	grep "invalid --size .512K. (1M to 1T)" err &&
	test_expect_code 129 "$FTIO" boot-setup --size lots 2>err &&
	test_expect_code 129 "$FTIO" boot-setup -e syscalls,nosuch 2>err &&
	grep "unknown layer .nosuch." err &&
	test_expect_code 129 "$FTIO" boot-setup extra 2>err &&
	test_expect_code 1 "$FTIO" boot-setup -p /no/such/dir 2>err &&
	grep "cannot use -p ./no/such/dir.: No such file or directory" err
'

test_expect_success NOBOOT 'record --boot-instance explains what is missing, exit 1, changes nothing' '
	ls "$TRACEFS_DIR/instances" >before &&
	test_expect_code 1 "$FTIO" record --boot-instance -o sidecar.dat 2>err &&
	cat err &&
	grep "^ftio: cannot arm the boot instance: " err &&
	if test_have_prereq BOOTKERNEL; then
		grep "this boot has no boot-mapped instance .ftio_boot. (tracefs instances/ftio_boot): the kernel was not booted with reserve_mem=SIZE:4096:ftio_boot and trace_instance=ftio_boot@ftio_boot; .ftio boot-setup. prints the words" err
	else
		grep -E "is older than 6.12|was built without" err
	fi &&
	test ! -e sidecar.dat && test ! -e /var/lib/ftio/boot.dat.new &&
	ls "$TRACEFS_DIR/instances" >after &&
	test_cmp before after &&
	! grep -q ftio_boot "$TRACEFS_DIR/uprobe_events"
'

test_expect_success 'record --boot-instance with what only a recording takes: usage errors' '
	for o in "-- true" "--pid 1" "-b 1024" "-d 5s" "--max-size 1M" "--flight 4M" "--backend perf" "--cpu 0"; do
		# shellcheck disable=SC2086 # one option and its argument
		test_expect_code 129 "$FTIO" record --boot-instance $o 2>err &&
		grep -q "^error: --boot-instance cannot be used with " err || return 1
	done &&
	grep -q "ftio record --boot-instance \[-o <sidecar>\]" err
'

test_expect_success NOBOOT 'salvage --last-boot and reset --boot-instance say what is missing, exit 1' '
	test_expect_code 1 "$FTIO" salvage --last-boot -o last.dat 2>err &&
	grep "^ftio: cannot salvage the last boot: " err &&
	test ! -e last.dat &&
	test_expect_code 1 "$FTIO" reset --boot-instance 2>err &&
	grep "^ftio: cannot reset the boot instance: " err
'

test_expect_success 'salvage without --last-boot, and reset --boot-instance --all, are usage errors' '
	test_expect_code 129 "$FTIO" salvage -o x.dat 2>err &&
	grep "salvage needs --last-boot" err &&
	test_expect_code 129 "$FTIO" salvage --last-boot extra 2>err &&
	test_expect_code 129 "$FTIO" salvage --last-boot --sidecar 2>err &&
	test_expect_code 129 "$FTIO" reset --boot-instance --all 2>err &&
	grep "boot-instance and --all do not go together" err
'

test_expect_success NOBOOT 'plain ftio reset leaves the boot instance'"'"'s group alone' '
	"$FTIO" reset >out &&
	! grep ftio_boot out
'

test_expect_success 'ftio help lists boot-setup and salvage; their pages are found' '
	"$FTIO" --help >out &&
	grep -q "^   boot-setup " out && grep -q "^   salvage " out &&
	"$FTIO" help boot-setup >page && grep -qi "^ftio-boot-setup(1)" page &&
	"$FTIO" help salvage >page && grep -qi "^ftio-salvage(1)" page
'

test_lazy_prereq SYSTEMD_ANALYZE 'command -v systemd-analyze'

test_expect_success SYSTEMD_ANALYZE 'the ftio-boot unit is valid' '
	mkdir -p units &&
	sed "s|/usr/local/bin/ftio|$FTIO|" "$TEST_DIRECTORY/../contrib/systemd/ftio-boot.service" \
		>units/ftio-boot.service &&
	systemd-analyze verify --man=no units/ftio-boot.service 2>err;
	cat err &&
	! grep -Ei "unknown|invalid|failed|not executable|ignoring" err
'

test_expect_success 'bash completion: boot-setup, salvage, --boot-instance' '
	cat >complete.sh <<-\EOF &&
	. "$TEST_DIRECTORY/../contrib/bash-completion/ftio"
	c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _ftio; printf "%s\n" "${COMPREPLY[@]}" | sort; }
	c ftio bo
	c ftio sal
	c ftio salvage --l
	c ftio record --boot
	c ftio reset --boot
	c ftio boot-setup -e sys
	EOF
	bash complete.sh >got &&
	printf "%s\n" boot-setup salvage --last-boot --boot-instance --boot-instance syscalls >expect &&
	test_cmp expect got
'

test_done
