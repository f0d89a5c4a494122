#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='export --clickhouse into two real ClickHouse servers on loopback: one Distributed table over both, counts, quantiles, errors, audit and layer times equal the report, hostile paths byte for byte, idempotent, a server killed mid-export, --on-rotate'
. "$(dirname "$0")/test-lib.sh"

# Two ClickHouse servers (Debian 12's 18.16), each with its config and data
# in the trash directory and its ports picked free on 127.0.0.1: shard a
# and shard b of the cluster ftio_fleet.  Board a's recording goes into a's
# database ftio, board b's into b's; contrib/clickhouse/cluster.sql on a
# makes the database fleet, Distributed over both.  The servers are killed
# by the last test and, on any other way out, by the EXIT trap.

top=$(dirname "$TEST_DIRECTORY")
test_lazy_prereq CLICKHOUSE 'test -x /usr/sbin/clickhouse-server && command -v clickhouse-client'
test_lazy_prereq CURL_BUILD '! "$FTIO" export --clickhouse http://127.0.0.1:1/ "$FIXTURES/seed.dat" 2>&1 |
	grep -q "built without libcurl"'

ch_stop() {
	local pid

	for s in a b; do
		test -s "$TRASH_DIRECTORY/$s.pid" || continue
		pid=$(cat "$TRASH_DIRECTORY/$s.pid")
		kill -9 "$pid" 2>/dev/null
		# reaped by this shell, or gone: wait for /proc to say so
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		rm -f "$TRASH_DIRECTORY/$s.pid"
	done
}
trap '_t5300_rc=$?; ch_stop; (exit $_t5300_rc); _tl_on_exit' EXIT

# ch_start NAME: starts server NAME on the ports in NAME.ports (http tcp interserver)
ch_start() {
	local d=$TRASH_DIRECTORY/$1 http tcp inter

	read -r http tcp inter <"$TRASH_DIRECTORY/$1.ports"
	mkdir -p "$d/log" "$d/data" "$d/tmp" "$d/user_files" "$d/format_schemas" || return 1
	cat >"$d/config.xml" <<-EOF || return 1
	<?xml version="1.0"?>
	<yandex>
	  <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/err.log</errorlog></logger>
	  <listen_host>127.0.0.1</listen_host>
	  <http_port>$http</http_port>
	  <tcp_port>$tcp</tcp_port>
	  <interserver_http_port>$inter</interserver_http_port>
	  <path>$d/data/</path>
	  <tmp_path>$d/tmp/</tmp_path>
	  <user_files_path>$d/user_files/</user_files_path>
	  <format_schema_path>$d/format_schemas/</format_schema_path>
	  <users_config>$TRASH_DIRECTORY/users.xml</users_config>
	  <default_profile>default</default_profile>
	  <default_database>default</default_database>
	  <mark_cache_size>67108864</mark_cache_size>
	  <uncompressed_cache_size>67108864</uncompressed_cache_size>
	  <include_from>$TRASH_DIRECTORY/cluster.xml</include_from>
	  <remote_servers incl="ftio_remote_servers" />
	</yandex>
	EOF
	/usr/sbin/clickhouse-server --config-file="$d/config.xml" >"$d/log/stdout" 2>&1 &
	echo $! >"$TRASH_DIRECTORY/$1.pid"
	for i in $(seq 300); do
		test "$(clickhouse-client --port "$tcp" -q "SELECT 1" 2>/dev/null)" = 1 && return 0
		kill -0 "$(cat "$TRASH_DIRECTORY/$1.pid")" 2>/dev/null || break
		sleep 0.1
	done
	cat "$d/log/"* >&2
	return 1
}

url() {
	echo "http://127.0.0.1:$(cut -d" " -f1 "$TRASH_DIRECTORY/$1.ports")/"
}

# q SERVER QUERY: the result as TabSeparated
q() {
	clickhouse-client --port "$(cut -d" " -f2 "$TRASH_DIRECTORY/$1.ports")" -q "$2"
}

# json FILE EXPR: EXPR of the parsed JSON as r
json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"
}

test_expect_success CLICKHOUSE,CURL_BUILD,PYTHON 'start two ClickHouse servers on free loopback ports' '
	python3 -c "
import socket
socks = [socket.socket() for _ in range(6)]
for s in socks: s.bind((\"127.0.0.1\", 0))
p = [s.getsockname()[1] for s in socks]
print(p[0], p[1], p[2]); print(p[3], p[4], p[5])" >ports &&
	sed -n 1p ports >a.ports && sed -n 2p ports >b.ports &&
	cat >users.xml <<-\EOF &&
	<?xml version="1.0"?>
	<yandex>
	  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
	  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
	    <profile>default</profile><quota>default</quota></default></users>
	  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
	    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
	  </interval></default></quotas>
	</yandex>
	EOF
	cat >cluster.xml <<-EOF &&
	<?xml version="1.0"?>
	<yandex><ftio_remote_servers><ftio_fleet>
	  <shard><replica><host>127.0.0.1</host><port>$(cut -d" " -f2 a.ports)</port></replica></shard>
	  <shard><replica><host>127.0.0.1</host><port>$(cut -d" " -f2 b.ports)</port></replica></shard>
	</ftio_fleet></ftio_remote_servers></yandex>
	EOF
	ch_start a && ch_start b &&
	test "$(q a "SELECT version()")" != "" &&
	test "$(q b "SELECT count() FROM system.clusters WHERE cluster = '\''ftio_fleet'\''")" = 2 &&
	test_set_prereq CH
'

test_expect_success CH,ROOT,TRACEFS 'record two boards: hostile names and a denied open; small writes and a missing file' '
	mkdir mnt &&
	mount -t tmpfs -o size=4m ftio-t5300 mnt &&
	test_when_finished "umount mnt" &&
	mkdir mnt/files &&
	"$FTIO" record -q -o a.dat -- sh -c "python3 \"$TEST_DIRECTORY/helpers/hostile-names.py\" \"$PWD/mnt/files\" &&
		! setpriv --reuid=65534 --regid=65534 --clear-groups cat /etc/shadow" &&
	"$FTIO" record -q -o b.dat -- sh -c "dd if=/dev/zero of=\"$PWD/w\" bs=512 count=20000 conv=fsync 2>/dev/null &&
		! cat \"$PWD/no-such-file\" 2>/dev/null" &&
	"$FTIO" report -i a.dat --json --top 1000 >a.json &&
	"$FTIO" report -i b.dat --json --top 1000 >b.json &&
	python3 -c "import os; print(\"\n\".join(sorted(os.fsencode(os.path.join(b\"$PWD/mnt/files\", n)).hex() for n in os.listdir(b\"$PWD/mnt/files\"))))" >names.hex &&
	test_line_count = 12 names.hex &&
	test_set_prereq REC
'

test_expect_success REC 'export each board into its shard, --create makes the tables' '
	"$FTIO" export --clickhouse "$(url a)" --create --host board-a a.dat 2>a.err &&
	test_grep "exported .a.dat. to .$(url a). as host .board-a." a.err &&
	"$FTIO" export -i b.dat --clickhouse "$(url b)" --create --host board-b 2>b.err &&
	test_grep "exported .b.dat." b.err &&
	q a "SELECT name FROM system.tables WHERE database = '\''ftio'\'' ORDER BY name" >tables &&
	printf "%s\n" audit calls calls_complete captures children children_complete >expect &&
	test_cmp expect tables &&
	clickhouse-client --port "$(cut -d" " -f2 a.ports)" --multiquery <"$top/contrib/clickhouse/cluster.sql" &&
	test_set_prereq EXPORTED
'

test_expect_success EXPORTED 'per host, the rows equal the report calls, each shard has its own, the Distributed table both' '
	q a "SELECT host, count() FROM fleet.calls_complete WHERE engine = '\''syscall'\'' GROUP BY host ORDER BY host" >hosts &&
	printf "board-a\t%s\nboard-b\t%s\n" "$(json a.json "r[\"capture\"][\"calls_reported\"]")" \
		"$(json b.json "r[\"capture\"][\"calls_reported\"]")" >expect &&
	test_cmp expect hosts &&
	test "$(json b.json "r[\"capture\"][\"calls_reported\"]")" -gt 20000 &&
	test "$(q a "SELECT groupUniqArray(host) FROM ftio.calls")" = "['\''board-a'\'']" &&
	test "$(q b "SELECT groupUniqArray(host) FROM ftio.calls")" = "['\''board-b'\'']" &&
	q a "SELECT host, calls, complete FROM fleet.captures ORDER BY host" >captures &&
	printf "board-a\t%s\t%s\nboard-b\t%s\t%s\n" \
		"$(json a.json "r[\"capture\"][\"calls_reported\"]")" "$(json a.json "int(r[\"capture\"][\"complete\"])")" \
		"$(json b.json "r[\"capture\"][\"calls_reported\"]")" "$(json b.json "int(r[\"capture\"][\"complete\"])")" >expect &&
	test_cmp expect captures
'

# The report keeps a histogram (within 1/256); ClickHouse has every call.
# The report takes rank ceil(q*n) (1-based), quantileExact index floor(q*n)
# (0-based): the same call but when q*n is whole, then the next one.
test_expect_success EXPORTED 'p50/p99 per syscall and p99 per mount equal the report within its histogram error' '
	for h in a b; do
		q a "SELECT syscall, count(), quantileExact(0.5)(latency_ns), quantileExact(0.99)(latency_ns),
			arrayElement(arraySort(groupArray(latency_ns)), toUInt64(ceil(0.5 * count()))),
			arrayElement(arraySort(groupArray(latency_ns)), toUInt64(ceil(0.99 * count())))
			FROM fleet.calls_complete WHERE host = '\''board-$h'\'' AND engine = '\''syscall'\'' GROUP BY syscall" >sc.$h &&
		q a "SELECT mount, count(), quantileExact(0.99)(latency_ns),
			arrayElement(arraySort(groupArray(latency_ns)), toUInt64(ceil(0.99 * count())))
			FROM fleet.calls_complete WHERE host = '\''board-$h'\'' AND engine = '\''syscall'\'' AND mount != '\'''\'' GROUP BY mount" >mnt.$h &&
		python3 - $h.json sc.$h mnt.$h <<-\PY || return 1
		import json, sys
		r = json.load(open(sys.argv[1]))
		def close(rep, exact):
		    return abs(rep - exact) <= max(exact / 128, 1)
		sc = {l.split("\t")[0]: [int(x) for x in l.split("\t")[1:]] for l in open(sys.argv[2]).read().splitlines()}
		assert {s["name"] for s in r["syscalls"]} == set(sc), (sorted(sc), [s["name"] for s in r["syscalls"]])
		for s in r["syscalls"]:
		    n, q50, q99, r50, r99 = sc[s["name"]]
		    assert n == s["count"], (s["name"], n, s["count"])
		    assert close(s["p50_ns"], r50) and close(s["p99_ns"], r99), (s, sc[s["name"]])
		    assert q50 >= r50 and q99 >= r99, (s["name"], sc[s["name"]])
		mn = {l.split("\t")[0]: [int(x) for x in l.split("\t")[1:]] for l in open(sys.argv[3]).read().splitlines()}
		for m in r["mounts"]:
		    n, q99, r99 = mn[m["mount"]]
		    assert n == m["count"] and close(m["p99_ns"], r99), (m, mn[m["mount"]])
		PY
	done
'

test_expect_success EXPORTED 'errors per syscall and errno, and the audit, match the report' '
	for h in a b; do
		q a "SELECT syscall, errno, count() FROM fleet.calls_complete
			WHERE host = '\''board-$h'\'' AND engine = '\''syscall'\'' AND errno != '\'''\'' GROUP BY syscall, errno ORDER BY syscall, errno" >err.$h &&
		python3 -c "
import json, sys, collections
r = json.load(open(sys.argv[1]))
c = collections.Counter()
for e in r[\"errors\"]: c[(e[\"syscall\"], e[\"errno\"])] += e[\"count\"]
for k in sorted(c): print(\"%s\t%s\t%d\" % (k[0], k[1], c[k]))" $h.json >expect.$h &&
		test_cmp expect.$h err.$h &&
		test "$(q a "SELECT count() FROM fleet.audit WHERE host = '\''board-$h'\''")" = \
			"$(json $h.json "r[\"audit_total\"]")" || return 1
	done &&
	q a "SELECT host, syscall, errno, uid, path FROM fleet.audit WHERE path = '\''/etc/shadow'\''" >shadow &&
	test_grep "^board-a	openat	EACCES	65534	/etc/shadow$" shadow
'

test_expect_success EXPORTED 'the children per layer sum to the report time below the syscalls' '
	for h in a b; do
		q a "SELECT layer, sum(least(s, lat)), count() FROM (SELECT export_id, seq, layer,
			sum(latency_ns) AS s, any(call_latency_ns) AS lat FROM fleet.children_complete
			WHERE host = '\''board-$h'\'' AND engine = '\''syscall'\'' GROUP BY export_id, seq, layer) GROUP BY layer ORDER BY layer" >lt.$h &&
		python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
for l in sorted(r[\"layers_time\"], key=lambda l: l[\"layer\"]): print(\"%s\t%d\t%d\" % (l[\"layer\"], l[\"time_ns\"], l[\"calls\"]))" $h.json >expect.$h &&
		test_cmp expect.$h lt.$h || return 1
	done &&
	test -s lt.b &&
	# what each layer adds, as one object: a block request has its Q2D and D2C
	q a "SELECT detail, queue_ns, device_ns FROM fleet.children_complete
		WHERE host = '\''board-b'\'' AND layer = '\''block'\'' FORMAT JSONEachRow" >block &&
	test -s block &&
	python3 -c "
import json, sys
for l in open(sys.argv[1]).read().splitlines():
    r = json.loads(l)
    d = json.loads(r[\"detail\"])
    assert d[\"q2d_ns\"] == int(r[\"queue_ns\"]) and d[\"d2c_ns\"] == int(r[\"device_ns\"]), l" block
'

test_expect_success EXPORTED 'hostile paths arrive byte for byte' '
	q a "SELECT DISTINCT lower(hex(assumeNotNull(path))) AS h FROM fleet.calls_complete
		WHERE host = '\''board-a'\'' AND path LIKE '\''$PWD/mnt/files/%'\'' ORDER BY h" >got.hex &&
	test_cmp names.hex got.hex
'

test_expect_success EXPORTED 'exporting again adds nothing, directly or through the Distributed table' '
	q a "SELECT count() FROM fleet.calls" >before &&
	"$FTIO" export --clickhouse "$(url a)" --host board-a a.dat 2>again.err &&
	test_grep "is already in" again.err &&
	"$FTIO" export --clickhouse "$(url a)" --database fleet --host board-b b.dat 2>again.err &&
	test_grep "is already in" again.err &&
	q a "SELECT count() FROM fleet.calls" >after &&
	test_cmp before after &&
	test "$(q a "SELECT count() FROM fleet.captures")" = 2
'

# check_engines H: board-H's rows by engine, opcode, fd_kind and in the
# audit against H.json and the report's every call in H.csv
check_engines() {
	q a "SELECT engine, syscall, count(), countIf(errno != '') FROM fleet.calls_complete
		WHERE host = 'board-$1' GROUP BY engine, syscall" >eng.$1 &&
	q a "SELECT engine, syscall, fd_kind, count() FROM fleet.calls_complete
		WHERE host = 'board-$1' GROUP BY engine, syscall, fd_kind" >fdk.$1 &&
	q a "SELECT engine, fd_kind, count() FROM fleet.audit WHERE host = 'board-$1' GROUP BY engine, fd_kind" >aud.$1 &&
	python3 - $1.json $1.csv eng.$1 fdk.$1 aud.$1 <<-\PY
	import collections, csv, json, sys
	r = json.load(open(sys.argv[1]))
	def rows(f):
	    return [l.split("\t") for l in open(f).read().splitlines()]
	eng = {(e, s): (int(n), int(err)) for e, s, n, err in rows(sys.argv[3])}
	assert {e for e, s in eng} <= {"syscall", "io_uring"}, sorted(eng)
	# the syscalls are the report's calls
	n = sum(v[0] for (e, s), v in eng.items() if e == "syscall")
	assert n == r["capture"]["calls_reported"], (n, r["capture"]["calls_reported"])
	# the requests are its Asynchronous I/O rows: count and errors per opcode
	want = {x["op"]: (x["count"], x["errors"]) for x in r.get("requests") or [] if x["engine"] == "io_uring"}
	got = {s: v for (e, s), v in eng.items() if e == "io_uring"}
	assert got == want, (got, want)
	# every call's fd_kind, as the report's CSV gives it, and its non-file counts
	fdk = collections.Counter()
	for e, s, k, v in rows(sys.argv[4]):
	    fdk[(e, s, k)] += int(v)
	c = collections.Counter()
	with open(sys.argv[2], newline="", encoding="utf-8", errors="surrogateescape") as f:
	    for row in csv.DictReader(f):
	        c[("syscall", row["syscall"], row["fd_kind"])] += 1
	got = {k: v for k, v in fdk.items() if k[0] == "syscall"}
	assert got == dict(c), set(got.items()) ^ set(c.items())
	for kind, v in r["capture"]["non_file_calls"].items():
	    n = sum(x for (e, s, k), x in fdk.items() if e == "syscall" and k == kind)
	    assert n == v, (kind, n, v)
	# the audit: engine and fd_kind as the report's
	a = collections.Counter((x["engine"], x["fd_kind"]) for x in r["audit"] or [])
	got = {(e, k): int(v) for e, k, v in rows(sys.argv[5])}
	assert got == dict(a), (got, a)
	print("board %s: %d rows, %s" % (sys.argv[1][0], sum(fdk.values()), sorted(collections.Counter(k for _, _, k in fdk.elements()).items())))
	PY
}

test_expect_success EXPORTED 'per engine, the rows equal the report calls and requests; every fd_kind the report CSV one, the non-file counts its JSON' '
	for h in a b; do
		"$FTIO" export -q -i $h.dat --csv -o $h.csv &&
		check_engines $h || return 1
	done &&
	test "$(q a "SELECT count() FROM fleet.calls_complete WHERE engine != '\''syscall'\''")" = 0
'

test_expect_success EXPORTED 'captures carry the boot id; a recording from before meta/boot_id exports an empty one' '
	bid=$(cat /proc/sys/kernel/random/boot_id) &&
	q a "SELECT host, boot_id FROM fleet.captures ORDER BY host" >boot &&
	printf "board-a\t%s\nboard-b\t%s\n" "$bid" "$bid" >expect &&
	test_cmp expect boot &&
	"$FTIO" export --clickhouse "$(url b)" --database old --create --host old "$FIXTURES/seed.dat" 2>old.err &&
	test "$(q b "SELECT count(), any(boot_id) FROM old.captures")" = "1	"
'

test_lazy_prereq URING 'test -x "$HELPERS/uring-open" && test -d "$TRACEFS_DIR/events/io_uring/io_uring_submit_req"'
test_lazy_prereq SETPRIV 'command -v setpriv'

test_expect_success EXPORTED,ROOT,TRACEFS,URING,SETPRIV 'board u: io_uring writes, reads and a denied OPENAT as nobody, its output through a pipe, into the Distributed table' '
	mkdir -m 1777 uw &&
	"$FTIO" record -q -o u.dat -- sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups \
		\"$HELPERS/uring-open\" \"$PWD/uw/file\" 200 /etc/shadow | tee u.out >/dev/null" &&
	cat u.out &&
	grep -qx "openat -13" u.out &&
	"$FTIO" report -i u.dat --json --top 1000 >u.json &&
	"$FTIO" export -q -i u.dat --csv -o u.csv &&
	test "$(json u.json "sum(x[\"count\"] for x in r[\"requests\"] or [] if x[\"engine\"] == \"io_uring\")")" -ge 400 &&
	"$FTIO" export --clickhouse "$(url a)" --database fleet --host board-u u.dat 2>u.err &&
	cat u.err &&
	test_grep "exported .u.dat.* calls ([0-9]* of them async requests)" u.err &&
	test_set_prereq UEXPORTED
'

test_expect_success UEXPORTED 'board u: its requests are rows of engine io_uring per opcode as the report, with their files, fd kinds and denial' '
	check_engines u &&
	q a "SELECT engine, syscall, errno, uid FROM fleet.audit WHERE host = '\''board-u'\'' AND engine = '\''io_uring'\''" >uaudit &&
	test_grep "^io_uring	OPENAT	EACCES	65534$" uaudit &&
	test "$(q a "SELECT count() FROM fleet.audit WHERE host = '\''board-u'\''")" = "$(json u.json "r[\"audit_total\"]")" &&
	# the requests on the file: as the report counts them by file
	q a "SELECT count(), countIf(fd_kind = '\''file'\'') FROM fleet.calls_complete
		WHERE host = '\''board-u'\'' AND engine = '\''io_uring'\'' AND path = '\''$PWD/uw/file'\''" >onfile &&
	n=$(json u.json "sum(x[\"requests\"] for x in r[\"requests_by_file\"] or [] if x[\"path\"] == \"$PWD/uw/file\")") &&
	test "$n" -gt 0 &&
	printf "%s\t%s\n" "$n" "$n" >expect &&
	test_cmp expect onfile &&
	# its output went through a pipe: syscalls on a pipe
	test "$(q a "SELECT count() FROM fleet.calls_complete WHERE host = '\''board-u'\'' AND fd_kind = '\''pipe'\''")" -gt 0 &&
	# the children of the requests are theirs, by engine
	test "$(q a "SELECT sum(children) FROM fleet.calls_complete WHERE host = '\''board-u'\'' AND engine = '\''io_uring'\''")" = \
		"$(q a "SELECT count() FROM fleet.children_complete WHERE host = '\''board-u'\'' AND engine = '\''io_uring'\''")" &&
	test "$(q a "SELECT calls FROM fleet.captures WHERE host = '\''board-u'\''")" = \
		"$(q a "SELECT count() FROM fleet.calls_complete WHERE host = '\''board-u'\''")" &&
	q a "SELECT count() FROM fleet.calls" >before &&
	"$FTIO" export --clickhouse "$(url a)" --database fleet --host board-u u.dat 2>again.err &&
	test_grep "is already in" again.err &&
	q a "SELECT count() FROM fleet.calls" >after &&
	test_cmp before after
'

test_expect_success EXPORTED 'an unreachable server, an HTTP error and a schema mismatch: exit 1, one line' '
	port=$(python3 -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])") &&
	test_expect_code 1 "$FTIO" export --clickhouse "http://127.0.0.1:$port/" a.dat 2>err &&
	test_grep "^ftio: cannot export .a.dat. to .http://127.0.0.1:$port/.: .*onnect" err &&
	test_line_count = 1 err &&
	test_expect_code 1 "$FTIO" export --clickhouse "$(url a)" --database nosuch a.dat 2>err &&
	test_grep "^ftio: cannot export .a.dat. to .$(url a).: HTTP 404: Database nosuch doesn.t exist" err &&
	q a "CREATE DATABASE bad" &&
	q a "CREATE TABLE bad.captures (host String, capture_id String, first_ns UInt64) ENGINE = Memory" &&
	q a "CREATE TABLE bad.calls (host String) ENGINE = Memory" &&
	test_expect_code 1 "$FTIO" export --clickhouse "$(url a)" --database bad a.dat 2>err &&
	test_grep "^ftio: cannot export .a.dat. to .$(url a).: HTTP 500: No such column [a-z_]* in table calls$" err &&
	test_line_count = 1 err &&
	test "$(q a "SELECT count() FROM bad.captures")" = 0
'

test_expect_success EXPORTED 'usage errors' '
	test_expect_code 129 "$FTIO" export --csv --host x a.dat 2>err &&
	test_grep "go with --clickhouse" err &&
	test_expect_code 129 "$FTIO" export --clickhouse "$(url a)" --batch-size 0 a.dat 2>err &&
	test_expect_code 129 "$FTIO" export --clickhouse "$(url a)" --database "x;y" a.dat 2>err &&
	test_expect_code 129 "$FTIO" export --clickhouse "ftp://x/" a.dat 2>err &&
	test_expect_code 129 "$FTIO" export --clickhouse "$(url a)" --csv a.dat 2>err
'

# The export sends batches of 50 rows; the server dies after some arrived
test_expect_success EXPORTED 'the server killed mid-export: exit 1, nothing counted, the next export completes it' '
	"$FTIO" export --clickhouse "$(url b)" --database retry --create --batch-size 50 \
		--host board-b b.dat 2>kill.err &
	exporter=$! &&
	for i in $(seq 200); do
		n=$(q b "SELECT count() FROM retry.calls" 2>/dev/null) && test "${n:-0}" -gt 500 && break
		sleep 0.05
	done &&
	kill -9 "$(cat b.pid)" &&
	{ wait "$exporter"; echo $? >kill.rc; } &&
	test "$(cat kill.rc)" = 1 &&
	test_grep "^ftio: cannot export .b.dat. to .$(url b).: " kill.err &&
	ch_start b &&
	test "$(q b "SELECT count() FROM retry.captures")" = 0 &&
	test "$(q b "SELECT count() FROM retry.calls_complete")" = 0 &&
	test "$(q b "SELECT count() FROM retry.calls")" -gt 0 &&
	"$FTIO" export --clickhouse "$(url b)" --database retry --host board-b b.dat 2>again.err &&
	test_grep "exported .b.dat." again.err &&
	test "$(q b "SELECT count() FROM retry.calls_complete")" = "$(json b.json "r[\"capture\"][\"calls_reported\"]")" &&
	test "$(q b "SELECT count() FROM retry.captures")" = 1
'

# Each file is exported by the hook as nobody, through the Distributed
# table; the hook first checks that the file has its END chunk
test_expect_success EXPORTED,ROOT,TRACEFS 'record --on-rotate ships every file once it is complete, as --user' '
	mkdir -m 0777 rot &&
	cat >rot/ship.sh <<-EOF &&
	#!/bin/sh
	id -u >>"$PWD/rot/uids"
	"$FTIO" info "\$1" | grep "^end: *clean" >>"$PWD/rot/ends" || exit 1
	echo "\$1" >>"$PWD/rot/shipped"
	exec "$FTIO" export -q --clickhouse "$(url a)" --database fleet --host board-c "\$1"
	EOF
	chmod 0755 rot/ship.sh &&
	"$FTIO" record -q -o rot/r.dat --max-size 256K --user nobody --on-rotate "$PWD/rot/ship.sh" -- \
		dd if=/dev/zero of="$PWD/rot/w" bs=512 count=60000 2>rot.err &&
	ls rot/r.dat.0* >files &&
	test_line_count -ge 3 files &&
	sort rot/shipped >shipped &&
	test_cmp files shipped &&
	test_line_count = "$(wc -l <files)" rot/ends &&
	test "$(sort -u rot/uids)" = 65534 &&
	test "$(q a "SELECT count() FROM fleet.captures WHERE host = '\''board-c'\''")" = "$(wc -l <files)" &&
	total=0 &&
	for f in $(cat files); do
		"$FTIO" report -i "$f" --json >one.json &&
		total=$((total + $(json one.json "r[\"capture\"][\"calls_reported\"]"))) || return 1
	done &&
	test "$total" -gt 60000 &&
	test "$(q a "SELECT count() FROM fleet.calls_complete WHERE host = '\''board-c'\''")" = "$total" &&
	# every write of dd, unless the kernel lost events (then the report says so, and so do the
	# rows), or but the one call a rotation cut (enter in one file, exit in the next: each
	# file alone counts it as an exit without an enter); by its size: with --user the
	# snapshot of a file lists only the fds of nobody, so the dd of root has no path after the first file
	writes=$(q a "SELECT countIf(syscall = '\''write'\'' AND ret = 512) FROM fleet.calls_complete WHERE host = '\''board-c'\''") &&
	if test "$(q a "SELECT sum(lost_events) FROM fleet.captures WHERE host = '\''board-c'\''")" = 0
	then
		test "$writes" -le 60000 && test "$writes" -ge $((60000 - $(wc -l <files) + 1))
	else
		test "$writes" -gt 0
	fi
'

test_expect_success EXPORTED,ROOT,TRACEFS 'a failing --on-rotate command is reported and stops nothing' '
	"$FTIO" record -q -o fail.dat --max-size 256K --on-rotate false -- \
		dd if=/dev/zero of="$PWD/w2" bs=512 count=60000 2>fail.err &&
	ls fail.dat.0* >files &&
	test_line_count -ge 2 files &&
	test "$(grep -c "^ftio: warning: --on-rotate .false. failed for .fail.dat.0[0-9]*.: exit status 1$" fail.err)" = \
		"$(wc -l <files)" &&
	"$FTIO" report -i fail.dat --json >fail.json &&
	test "$(json fail.json "r[\"capture\"][\"calls_reported\"]")" -gt 60000
'

# A rotated file's own snapshot lists the fds open at its start, of every
# process when the recording is root's (with --user only that user's: the
# test above has no path for root's dd for that reason)
test_expect_success EXPORTED,ROOT,TRACEFS 'a rotated file exported alone names the fds opened in an earlier file by its own snapshot' '
	ls fail.dat.0* >files &&
	f=$(sed -n 2p files) &&
	"$FTIO" export -q --clickhouse "$(url a)" --database fleet --host board-d "$f" &&
	q a "SELECT path, path_method, count() FROM fleet.calls_complete
		WHERE host = '\''board-d'\'' AND syscall = '\''write'\'' AND ret = 512 GROUP BY path, path_method" >rotpaths &&
	cat rotpaths &&
	test_line_count = 1 rotpaths &&
	test_grep "^$PWD/w2	snapshot	[1-9][0-9]*$" rotpaths
'

test_expect_success 'usage: --on-rotate needs rotation' '
	test_expect_code 129 "$FTIO" record --on-rotate true -- true 2>err &&
	test_grep "needs --max-size or --split-time" err
'

test_lazy_prereq SYSTEMD_ANALYZE 'command -v systemd-analyze'
test_expect_success SYSTEMD_ANALYZE 'the fleet systemd unit is valid' '
	mkdir -p units &&
	sed "s|/usr/local/bin/ftio|$FTIO|" "$top/contrib/systemd/ftio-fleet@.service" >"units/ftio-fleet@.service" &&
	systemd-analyze verify --man=no "units/ftio-fleet@.service" 2>err &&
	! grep -Ei "unknown|invalid|failed|not executable|ignoring" err
'

test_expect_success CH 'stop the servers' '
	ch_stop &&
	! test -e a.pid && ! test -e b.pid
'

test_done
