#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the QEMU guest, once per boot of one QEMU process
# (run-vm.sh --reboots: RAM is kept across each reset), on a kernel booted
# with ftio boot-setup's words; everything the host half checks goes to
# /out (the only storage that outlives a boot besides the boot instance):
#
#   boot 1 (cold): salvage finds nothing; boot-setup; arm; the seed
#          scenario (uid 60004 cat /etc/shadow) and two dd of exact
#          counts, one per CPU; SysRq-B
#   boot 2: the kernel's own trace reader shows boot 1's markers (QEMU
#          kept the memory); arming refuses the unsalvaged buffer; the
#          systemd unit's commands salvage and re-arm; a second salvage
#          finds nothing; reset --boot-instance disarms; armed again, a
#          dd that wraps CPU 0's share and a small one on CPU 1; SysRq-C
#          (a panic, panic=-1: an immediate reboot)
#   boot 3: salvage with a sidecar of another kernel (a host fixture):
#          the mismatch said, this boot's formats used, CPU 0 wrapped
#
# With MODE=once (one boot): what a kernel without the option says; with
# KASLR=1 (two boots), boot 2 ends after the unit's salvage.
set -u
out=${1:-/out}
FTIO=/usr/bin/ftio
H=${FTIO_HELPERS:-/ftio/tests/helpers}
I=/sys/kernel/tracing/instances/ftio_boot
boot=${FTIO_VM_BOOT:-1}
cd /tmp || exit 1
b=$out/b$boot
echo "boot $boot kernel $(uname -r)"
grep ' _text$' /proc/kallsyms >"$b.text"
dmesg | grep -o 'mapped boot instance .* at physical memory 0x[0-9a-f]*' >"$b.range"

st() { echo "$2" >"$b.$1.rc"; }
state() { # tracing_on, enabled events, ftio_boot dynamic events
	{
		echo "tracing_on $(cat $I/tracing_on)"
		echo "events $(grep -c . $I/set_event)"
		echo "dynevents $(grep -c ftio_boot /sys/kernel/tracing/uprobe_events /sys/kernel/tracing/kprobe_events | awk -F: '{ s += $2 } END { print s }')"
	} >"$1"
}
# the seed scenario and exact dd counts, each on a chosen CPU
work() { # dd-count-cpu0 dd-count-cpu1
	taskset -c 0 "$H/runas" 60004 cat /etc/shadow 2>/dev/null
	taskset -c 0 dd if=/dev/zero of=/tmp/dd0 bs=512 count="$1" status=none
	taskset -c 1 dd if=/dev/zero of=/tmp/dd1 bs=512 count="$2" status=none
	sync
}
# the systemd unit's ExecStart= lines, in order, as systemd runs them (a
# leading "-" ignores the failure), with its Environment= defaults
unit_run() {
	unit=/ftio-boot.service
	FTIO_BOOT_DIR=$1 FTIO_BOOT_ARGS= FTIO_BOOT_KEEP=8
	export FTIO_BOOT_DIR FTIO_BOOT_ARGS FTIO_BOOT_KEEP
	mkdir -p "$FTIO_BOOT_DIR"
	sed -n 's/^ExecStart=//p' "$unit" | sed "s|/usr/local/bin/ftio|$FTIO|g" | while IFS= read -r line; do
		ign=
		case $line in -*) ign=t line=${line#-} ;; esac
		eval "$line"
		rc=$?
		echo "unit: rc $rc: $line"
		test $rc = 0 || test -n "$ign" || return 1
	done
}

if [ "${MODE:-}" = once ]; then
	$FTIO boot-setup >"$b.setup.out" 2>"$b.setup.err"
	st setup $?
	$FTIO record --boot-instance -o "$out/boot.dat" 2>"$b.arm.err"
	st arm $?
	$FTIO salvage --last-boot -o "$out/x.dat" 2>"$b.salvage.err"
	st salvage $?
	ls /sys/kernel/tracing/instances >"$b.instances"
	echo "guest done"
	exit 0
fi

case $boot in
1)
	head -n1 $I/last_boot_info >"$b.lbi"
	$FTIO salvage --last-boot --sidecar "$out/unit/boot.dat" -o "$out/cold.dat" 2>"$b.salvage.err"
	st salvage $?
	$FTIO boot-setup --size "${SIZE:-4M}" >"$b.setup.out" 2>"$b.setup.err"
	st setup $?
	# where the systemd unit keeps its sidecar (FTIO_BOOT_DIR), as it would arm
	$FTIO record --boot-instance -o "$out/unit/boot.dat" 2>"$b.arm.err"
	st arm $?
	state "$b.armed"
	work 1234 321
	# the markers as the kernel's own reader shows them (grep stops at the
	# second: tracing is on, the file never ends)
	timeout 60 grep -m2 -o 'ftio-boot-arm token=[0-9a-f]* cpu=[0-9]*' $I/trace | sort -u >"$b.markers"
	echo "crash: SysRq-B"
	echo b >/proc/sysrq-trigger
	sleep 30
	echo "still up after SysRq-B"
	;;
2)
	head -n1 $I/last_boot_info >"$b.lbi"
	cat $I/per_cpu/cpu*/stats | awk '/^entries/ { s += $2 } END { print s }' >"$b.entries"
	# tracing is off: the kernel's own reader ends, and reads without consuming
	# (Linux 7.2's shows each marker of the previous boot three times: -u)
	grep -o 'ftio-boot-arm token=[0-9a-f]* cpu=[0-9]*' $I/trace | sort -u >"$b.markers"
	$FTIO boot-setup --size "${SIZE:-4M}" >"$b.setup.out" 2>"$b.setup.err"
	st setup $?
	# (with KASLR there may be nothing to refuse: it would arm)
	if [ -z "${KASLR:-}" ]; then
		$FTIO record --boot-instance -o "$out/refused.dat" 2>"$b.refuse.err"
		st refuse $?
	fi
	unit_run "$out/unit" >"$b.unit.out" 2>&1
	st unit $?
	state "$b.rearmed"
	if [ -n "${KASLR:-}" ]; then
		echo "guest done"
		exit 0
	fi
	$FTIO salvage --last-boot --sidecar "$out/unit/boot.dat" -o "$out/again.dat" 2>"$b.again.err"
	st again $?
	$FTIO reset --boot-instance >"$b.reset.out" 2>&1
	st reset $?
	state "$b.disarmed"
	$FTIO record --boot-instance -q -o "$out/boot2.dat" 2>"$b.arm.err"
	st arm $?
	work "${WRAP_COUNT:-30000}" 100
	echo "crash: SysRq-C"
	echo c >/proc/sysrq-trigger
	sleep 30
	echo "still up after SysRq-C"
	;;
3)
	head -n1 $I/last_boot_info >"$b.lbi"
	$FTIO salvage --last-boot --sidecar /ftio/tests/fixtures/seed.dat -o "$out/mismatch.dat" \
		2>"$b.salvage.err"
	st salvage $?
	ls /sys/kernel/tracing/instances >"$b.instances"
	echo "guest done"
	;;
esac
