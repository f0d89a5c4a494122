#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the boot instance under QEMU: armed, a crash, the last minutes salvaged on the next boot'
. "$(dirname "$0")/test-lib.sh"

# Linux 6.12+ (trixie, sid); on bookworm's 6.1 the commands must say why not
suite=${FTIO_VM_SUITE:-sid}
export FTIO_VM_SUITE=$suite

test_lazy_prereq VM '
	test_have_prereq ROOT && test_have_prereq QEMU && test_have_prereq PYTHON &&
	test -x "$TEST_DIRECTORY/vm/run-vm.sh"
'

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

vm() { # outdir, then run-vm.sh options; the kernel booted through its decompressor, as GRUB does
	local o=$1
	shift
	mkdir -p "$o" &&
	FTIO_VM_BZIMAGE=1 "$TEST_DIRECTORY/vm/run-vm.sh" -q --suite "$suite" --tcg-thread single \
		--outdir "$PWD/$o" --add "$TEST_DIRECTORY/vm/guest-boot-instance.sh:/g.sh" \
		--add "$TEST_DIRECTORY/../contrib/systemd/ftio-boot.service:/ftio-boot.service" "$@" \
		-- sh /g.sh /out
}

if test "$suite" = bookworm; then
	test_expect_success VM 'Linux 6.1: boot-setup, record --boot-instance and salvage say it is too old, exit 1' '
		vm out --env MODE=once --timeout 300 >vm.log 2>&1;
		rc=$?
		cat vm.log out/b1.*.err
		test $rc = 0 && grep "guest done" vm.log &&
		for c in setup arm salvage; do test "$(cat out/b1.$c.rc)" = 1 || return 1; done &&
		grep "no boot instance on this kernel: Linux 6.1.* is older than 6.12" out/b1.setup.err &&
		test ! -s out/b1.setup.out &&
		grep "cannot arm the boot instance: Linux 6.1.* is older than 6.12" out/b1.arm.err &&
		grep "cannot salvage the last boot: Linux 6.1.* is older than 6.12" out/b1.salvage.err &&
		test ! -e out/boot.dat && ! grep ftio out/b1.instances
	'
	test_done
fi

# the words exactly as ftio boot-setup prints them (here, on the host)
test_expect_success 'boot-setup prints the words the guests boot with' '
	"$FTIO" boot-setup --size 4M >setup.out;
	sed -n "3s/^ *//p" setup.out >words &&
	cat words &&
	grep -qx "reserve_mem=4M:4096:ftio_boot trace_instance=ftio_boot^traceoff@ftio_boot nokaslr" words
'

test_expect_success VM "three boots of one QEMU ($suite): cold, SysRq-B, SysRq-C" '
	vm out --reboots 2 --timeout 900 --append "$(cat words)" >vm.log 2>&1;
	rc=$?
	cat vm.log
	test $rc = 0 && grep "guest done" vm.log &&
	grep -c "^boot [123] kernel" vm.log >boots && test "$(cat boots)" = 3 &&
	! grep "still up after" vm.log
'

# ---- boot 1: cold, armed ----
test_expect_success VM 'the cold boot: last_boot_info has nothing, salvage says "no last-boot data", exit 2' '
	cat out/b1.lbi out/b1.salvage.err &&
	grep -E "^(0	\[kernel\]|text delta:	0)$" out/b1.lbi &&
	test "$(cat out/b1.salvage.rc)" = 2 &&
	grep "no last-boot data in .ftio_boot.: a cold boot" out/b1.salvage.err &&
	test ! -e out/cold.dat
'

test_expect_success VM 'boot-setup on a boot made with its words: the instance is there, exit 0' '
	test "$(cat out/b1.setup.rc)" = 0 &&
	grep "^This boot (Linux .*): .ftio_boot. is there, .* per CPU on 2 CPUs (reserve_mem=4M:4096:ftio_boot trace_instance=ftio_boot^traceoff@ftio_boot); not armed\.$" out/b1.setup.out
'

test_expect_success VM 'record --boot-instance armed it: tracing on, the events and probes in, a marker per CPU, a sidecar' '
	cat out/b1.arm.err out/b1.armed out/b1.markers &&
	test "$(cat out/b1.arm.rc)" = 0 &&
	grep "^ftio: armed the boot instance .ftio_boot. (.* per CPU, 2 CPUs, marked 0,1): transport=tracefs(boot instance ftio_boot, flight: nothing read)" out/b1.arm.err &&
	grep -qx "tracing_on 1" out/b1.armed &&
	test "$(sed -n "s/^events //p" out/b1.armed)" -gt 100 &&
	test "$(wc -l <out/b1.markers)" = 2 &&
	test "$(cut -d" " -f2 out/b1.markers | sort -u | wc -l)" = 1 &&
	"$FTIO" info --json out/unit/boot.dat >sidecar.json &&
	json sidecar.json "(r[\"events\"], r[\"end_reason\"])" >got &&
	echo "[0, \"armed (a sidecar: the events stay in the kernel)\"]" >expect &&
	test_cmp expect got
'

# ---- boot 2: the salvage ----
test_expect_success VM 'QEMU kept the memory across SysRq-B: the kernel itself shows boot 1'"'"'s markers in boot 2' '
	cat out/b2.lbi out/b2.entries &&
	test_cmp out/b1.markers out/b2.markers &&
	test "$(cat out/b2.entries)" -gt 1000 &&
	! grep -qx "0	\[kernel\]" out/b2.lbi
'

test_expect_success VM 'before the salvage: boot-setup counts the events, arming refuses to drop them' '
	grep "; not armed; it holds [0-9]* events of the previous boot: ftio salvage --last-boot\.$" out/b2.setup.out &&
	test "$(cat out/b2.refuse.rc)" = 1 &&
	grep "cannot arm the boot instance: .ftio_boot. holds [0-9]* events of the previous boot, not salvaged yet" out/b2.refuse.err &&
	test ! -e out/refused.dat
'

test_expect_success VM 'the systemd unit'"'"'s commands salvaged boot 1 and armed again' '
	cat out/b2.unit.out out/b2.rearmed &&
	test "$(cat out/b2.unit.rc)" = 0 &&
	grep -c "^unit: rc 0: " out/b2.unit.out >n && test "$(cat n)" = 3 &&
	ls out/unit/last-boot-*.dat >salvaged && test "$(wc -l <salvaged)" = 1 &&
	grep "ftio: salvaged the previous boot (boot .*, Linux .*, armed .*) to .*: [0-9]* events, .*formats: the sidecar.s (its arming marker is in the buffer); no CPU wrapped" out/b2.unit.out &&
	grep -qx "tracing_on 1" out/b2.rearmed
'

test_expect_success VM 'the salvage reports the seed row: openat /etc/shadow, EACCES, uid 60004, cat' '
	"$FTIO" report -i "$(cat salvaged)" --json --top 100000 >last.json &&
	json last.json "[(a[\"syscall\"], a[\"errno\"], a[\"uid\"], a[\"comm\"]) for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"]" >got &&
	echo "[[\"openat\", \"EACCES\", 60004, \"cat\"]]" >expect &&
	test_cmp expect got
'

test_expect_success VM 'the salvage reports the exact dd write counts, one per CPU: 1234 and 321' '
	"$FTIO" report -i "$(cat salvaged)" --comm dd --syscall write --json --top 100000 >dd.json &&
	json dd.json "sorted((f[\"path\"], f[\"count\"], f[\"bytes\"]) for f in r[\"files\"] if f[\"path\"].startswith(\"/tmp/dd\"))" >got &&
	echo "[[\"/tmp/dd0\", 1234, 631808], [\"/tmp/dd1\", 321, 164352]]" >expect &&
	test_cmp expect got
'

test_expect_success VM 'info and the Capture section say it is a last-boot salvage, from which boot and kernel' '
	"$FTIO" info "$(cat salvaged)" >info.txt &&
	"$FTIO" info --json "$(cat salvaged)" >info.json &&
	"$FTIO" report -i "$(cat salvaged)" >report.txt &&
	bid=$(json info.json "r[\"salvage\"][\"boot_id\"]" | tr -d "\"") &&
	kernel=$(json info.json "r[\"salvage\"][\"kernel\"]" | tr -d "\"") &&
	test "$(json info.json "r[\"salvage\"][\"this_boot_id\"] != r[\"salvage\"][\"boot_id\"]")" = true &&
	case $kernel in 6.12.*|7.*|6.1[3-9]*) ;; *) false ;; esac &&
	grep "^salvage:      last-boot salvage of boot $bid (Linux $kernel), armed .*, salvaged .* on boot .* (Linux $kernel); formats: the sidecar" info.txt &&
	grep "^end:          clean (last-boot salvage (the previous boot ended here))$" info.txt &&
	grep "^  salvage: last-boot salvage of boot ${bid%%-*} (Linux $kernel), armed " report.txt &&
	json info.json "(r[\"salvage\"][\"wrapped_cpus\"], r[\"salvage\"][\"undecoded\"], r[\"salvage\"][\"notes\"])" >got &&
	echo "[\"\", \"0\", \"\"]" >expect && test_cmp expect got
'

test_expect_success VM 'replay reads the salvage, the arming markers included' '
	"$FTIO" replay -i "$(cat salvaged)" >replay.txt &&
	grep -c " print: ip=[0-9]* buf=\"ftio-boot-arm token=[0-9a-f]* cpu=[01] boot_id=" replay.txt >n && test "$(cat n)" = 2 &&
	grep -q "sys_enter_write" replay.txt
'

test_expect_success VM 'a second salvage of the same boot finds nothing, exit 2' '
	cat out/b2.again.err &&
	test "$(cat out/b2.again.rc)" = 2 &&
	grep "no last-boot data in .ftio_boot.: it holds this boot.s events" out/b2.again.err &&
	test ! -e out/again.dat
'

test_expect_success VM 'reset --boot-instance disarms it: tracing off, no event, no ftio_boot probe' '
	cat out/b2.reset.out out/b2.disarmed &&
	test "$(cat out/b2.reset.rc)" = 0 &&
	grep -qx "disarmed ftio_boot" out/b2.reset.out &&
	grep -q "^removed dynamic event ftio_boot/" out/b2.reset.out &&
	printf "tracing_on 0\nevents 0\ndynevents 0\n" >expect && test_cmp expect out/b2.disarmed
'

# ---- boot 3: a wrapped CPU, another kernel's sidecar ----
test_expect_success VM 'SysRq-C (a panic): the next boot salvages with a sidecar of another kernel: said, this boot'"'"'s formats used' '
	cat out/b3.salvage.err &&
	test "$(cat out/b3.salvage.rc)" = 0 &&
	grep "ftio: the sidecar ./ftio/tests/fixtures/seed.dat. is not this buffer.s: it is a recording of Linux 6\.18.*, not the sidecar of an arming; the buffer was armed by [0-9a-f]* on Linux " out/b3.salvage.err &&
	grep "formats: this boot.s kernel (they fit more events than the sidecar.s)" out/b3.salvage.err &&
	grep "its metadata and snapshot are left out" out/b3.salvage.err &&
	"$FTIO" info --json out/mismatch.dat >mm.json &&
	test "$(json mm.json "int(r[\"salvage\"][\"undecoded\"]) < int(r[\"salvage\"][\"events\"])")" = true &&
	json mm.json "(r[\"kernel_release\"], r[\"salvage\"][\"armed_real_ns\"])" >got &&
	echo "[\"$(sed -n "s/^boot 3 kernel //p" vm.log)\", null]" >expect &&
	test_cmp expect got
'

test_expect_success VM 'the 30000-write dd wrapped CPU 0: said, counted short; CPU 1'"'"'s 100 writes are all there' '
	json mm.json "r[\"salvage\"][\"wrapped_cpus\"]" >got &&
	echo "\"0\"" >expect && test_cmp expect got &&
	grep "cpu0 wrapped: its events older than .* after the arming were overwritten (how many is not kept across a reboot)" out/b3.salvage.err &&
	"$FTIO" report -i out/mismatch.dat --syscall write --json --top 100000 >w.json &&
	# by its name: on 6.12 the path of its open came from a uprobe, whose
	# format only the sidecar had
	json w.json "[p[\"count\"] for p in r[\"processes\"] if p[\"comm\"] == \"dd\"]" >got &&
	echo "[100]" >expect && test_cmp expect got &&
	# the wrapped dd lost its open (its path) and its exec (its name): its pid
	# has the most writes left, fewer than it made
	json w.json "max(p[\"count\"] for p in r[\"processes\"])" >n &&
	cat n &&
	test "$(cat n)" -gt 100 && test "$(cat n)" -lt 30000 &&
	"$FTIO" report -i out/mismatch.dat >mm.txt &&
	# the Capture line, its wrapped lines joined
	sed -n "/^  salvage:/,/^  calls:/p" mm.txt | sed "\$d" | tr -s " \n" "  " >line &&
	cat line &&
	grep "^ salvage: last-boot salvage of boot [0-9a-f]* (Linux .*), armed at an unknown time, salvaged .*; cpu 0 wrapped (their oldest events overwritten); [0-9]* events undecoded $" line
'

test_expect_success VM 'the instance is the kernel'"'"'s: still there, and no other ftio instance' '
	grep -qx ftio_boot out/b3.instances &&
	test "$(grep -c ftio out/b3.instances)" = 1
'

# ---- KASLR ----
test_expect_success VM "KASLR on (no nokaslr): the kernel moves, the salvage is the data or \"no last-boot data\", never garbage" '
	vm kaslr --reboots 1 --timeout 600 --env KASLR=1 \
		--append "$(sed "s/ nokaslr//" words)" >kaslr.log 2>&1;
	rc=$?
	cat kaslr.log kaslr/b1.text kaslr/b2.text kaslr/b1.range kaslr/b2.range kaslr/b2.unit.out &&
	test $rc = 0 && grep "guest done" kaslr.log &&
	! test_cmp kaslr/b1.text kaslr/b2.text &&
	if ls kaslr/unit/last-boot-*.dat >s 2>/dev/null; then
		"$FTIO" report -i "$(cat s)" --json --top 100000 >k.json &&
		json k.json "[(a[\"errno\"], a[\"uid\"]) for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"]" >got &&
		echo "[[\"EACCES\", 60004]]" >expect && test_cmp expect got &&
		echo "KASLR: the kernel moved, the range did not: boot 1 salvaged"
	else
		grep "no last-boot data in .ftio_boot.: a cold boot, or the reserved memory was not kept" kaslr/b2.unit.out &&
		test "$(cat kaslr/b2.entries)" = 0 &&
		echo "KASLR: the boot 1 events were not kept ($(test_cmp kaslr/b1.range kaslr/b2.range >/dev/null && echo "same range" || echo "the range moved")): \"no last-boot data\""
	fi
'

test_done
