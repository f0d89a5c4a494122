#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the QEMU guest (Debian's 6.1 kernel): Debian's kernel NFS
# server on loopback, NFSv4 only (no rpcbind), its export mounted at
# /mnt/nas, and the same workload recorded twice with ftio record -p
# /mnt/nas: once as is and once with tc netem delaying every packet on lo.
# Leaves recordings, reports and facts in $1 (/out) for t7200 to check.
# Needs: modules nfsd nfsv4 sch_netem; rpc.nfsd, rpc.mountd, exportfs
# (run-vm.sh --deb nfs-kernel-server --deb libnfsidmap1 --deb libwrap0 --deb libevent-core-2.1-7);
# tc and ip (--tool).
set -u
out=${1:-/out}
FTIO=/usr/bin/ftio
DELAY_MS=${NFS_DELAY_MS:-20}
T=/sys/kernel/tracing
cd /tmp || exit 1

fail() {
	echo "guest failed: $*"
	exit 1
}

echo "kernel $(uname -r) $(uname -v)"
ip link set lo up || fail "ip link set lo up"

# the NFS server: nfsd filesystem, exports, mountd (v4 upcalls only), nfsd
mkdir -p /proc/fs/nfsd /srv/nas /var/lib/nfs/v4recovery /mnt/nas
mount -t nfsd nfsd /proc/fs/nfsd || fail "mount nfsd"
for run in plain delay fixture; do
	mkdir -p /srv/nas/$run/dir
	i=0
	while [ $i -lt 12 ]; do
		echo "file $i" >/srv/nas/$run/dir/f$i
		i=$((i + 1))
	done
	dd if=/dev/urandom of=/srv/nas/$run/big bs=64k count=8 2>/dev/null
done
# a second export, another filesystem: its mount is another superblock,
# which -p /mnt/nas must leave out
mkdir -p /srv/nas/other /mnt/other
mount -t tmpfs tmpfs /srv/nas/other || fail "mount tmpfs /srv/nas/other"
for run in plain delay fixture; do echo "other $run" >/srv/nas/other/o_$run; done
: >/var/lib/nfs/etab
printf '%s\n' '/srv/nas 127.0.0.1(rw,fsid=0,no_subtree_check,no_root_squash,insecure,sync)' \
	'/srv/nas/other 127.0.0.1(rw,fsid=1,no_subtree_check,no_root_squash,insecure,sync)' >/etc/exports
exportfs -r || fail "exportfs -r"
rpc.mountd -N 2 -N 3 --no-udp || fail "rpc.mountd"
# -p: no /etc/services; -G/-L: the shortest grace period and lease (10 s)
rpc.nfsd -p 2049 -G 10 -L 10 -N 3 --no-udp 4 || fail "rpc.nfsd"
echo "nfsd versions: $(cat /proc/fs/nfsd/versions)"
mount -t nfs4 -o vers=4.2,addr=127.0.0.1,clientaddr=127.0.0.1 127.0.0.1:/ /mnt/nas ||
	fail "mount -t nfs4 127.0.0.1:/ /mnt/nas"
mount -t nfs4 -o vers=4.2,addr=127.0.0.1,clientaddr=127.0.0.1 127.0.0.1:/other /mnt/other ||
	fail "mount -t nfs4 127.0.0.1:/other /mnt/other"
grep -E " /mnt/(nas|other) " /proc/mounts
echo "nas dev $(stat -c %d /mnt/nas)" >"$out/facts"
echo "other dev $(stat -c %d /mnt/other)" >>"$out/facts"
stat -c '%i %n' /mnt/nas/plain/big /mnt/nas/delay/big /mnt/nas/plain/dir/f0 >>"$out/facts"

# what this kernel offers: tracepoints per system
for s in nfs nfs4 sunrpc nfsd; do
	n=$(ls "$T/events/$s" 2>/dev/null | grep -vc -e '^enable$' -e '^filter$')
	echo "$s $n"
done >"$out/tracepoints"
ls "$T/events/nfs" "$T/events/nfs4" "$T/events/sunrpc" >"$out/tracepoint-names" 2>/dev/null

# the workload: a big read, a stat of each file, a lookup that fails, a
# synchronous write; every name is new to the client, so each needs RPCs.
# And a read on the other mount, which -p /mnt/nas filters out.
workload='
	d=$1
	cat /mnt/other/o_${d##*/} >/dev/null
	cat $d/big >/dev/null
	for f in $d/dir/f*; do stat -c %s $f >/dev/null; done
	cat $d/missing 2>/dev/null
	dd if=/dev/zero of=$d/new bs=16k count=4 conv=fsync 2>/dev/null
	true'
for run in plain delay; do
	if [ $run = delay ]; then
		tc qdisc add dev lo root netem delay ${DELAY_MS}ms || fail "tc netem"
	fi
	start=$(date +%s%N)
	$FTIO record -q -o "$out/$run.dat" -p /mnt/nas -- sh -c "$workload" sh /mnt/nas/$run
	echo "record $run: $? in $((($(date +%s%N) - start) / 1000000)) ms"
	$FTIO report -i "$out/$run.dat" --json --top 1000 >"$out/$run.json"
	echo "report $run: $?"
	$FTIO report -i "$out/$run.dat" >"$out/$run.txt"
done
# a small recording for tests/fixtures/nfs.dat (t2110): only the layers
# the nfs report needs
$FTIO record -q -o "$out/fixture.dat" -e syscalls,paths,nfs -p /mnt/nas -- \
	sh -c "$workload" sh /mnt/nas/fixture
echo "record fixture: $?"
tc qdisc del dev lo root 2>/dev/null
# a report limited to the mount's files
$FTIO report -i "$out/delay.dat" -p /mnt/nas/delay/dir --json >"$out/delay-dir.json"

umount /mnt/other /mnt/nas || echo "umount /mnt/other /mnt/nas failed"
rpc.nfsd 0
cat $T/current_tracer >"$out/current_tracer"
ls $T/instances >"$out/instances"
echo "guest done"
