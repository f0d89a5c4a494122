-- SPDX-License-Identifier: GPL-2.0
--
-- The fleet's questions, over the Distributed tables of cluster.sql
-- (database fleet); on one server, read ftio for fleet.  Each reads the
-- *_complete views, so a half-finished export counts for nothing.
--   clickhouse-client --multiquery <queries.sql

-- p50/p99 latency per host and mount, this week (which hosts have a slow NAS)
SELECT host, mount, fstype, count() AS calls,
       quantileExact(0.5)(latency_ns) AS p50_ns, quantileExact(0.99)(latency_ns) AS p99_ns
FROM fleet.calls_complete
WHERE time >= now() - 7 * 86400 AND mount != ''
GROUP BY host, mount, fstype
ORDER BY p99_ns DESC
LIMIT 50;

-- the slowest files across hosts
SELECT host, path, count() AS calls, max(latency_ns) AS max_ns, sum(latency_ns) AS total_ns
FROM fleet.calls_complete
WHERE path IS NOT NULL
GROUP BY host, path
ORDER BY max_ns DESC
LIMIT 20;

-- errors per host and errno (which kernels saw EIO on the SD card: join captures)
SELECT c.host, k.kernel, c.errno, c.syscall, count() AS n
FROM fleet.calls_complete AS c
ANY LEFT JOIN (SELECT capture_id, any(kernel) AS kernel FROM fleet.captures GROUP BY capture_id) AS k
	USING capture_id
WHERE c.errno != ''
GROUP BY c.host, k.kernel, c.errno, c.syscall
ORDER BY n DESC
LIMIT 50;

-- the audit across the fleet: who was denied /etc/shadow anywhere this week
SELECT host, time, user, uid, comm, pid, syscall, errno, path
FROM fleet.audit
WHERE time >= now() - 7 * 86400 AND path = '/etc/shadow'
ORDER BY time;

-- time below the syscalls, per host and layer: as the report's, the
-- children of one call and layer count at most the call's latency
SELECT host, layer, count() AS calls, sum(least(s, lat)) AS below_ns
FROM (SELECT host, export_id, seq, layer, sum(latency_ns) AS s, any(call_latency_ns) AS lat
      FROM fleet.children_complete WHERE engine = 'syscall' GROUP BY host, export_id, seq, layer)
GROUP BY host, layer
ORDER BY host, below_ns DESC;

-- io_uring requests per host and opcode, submission to completion
SELECT host, syscall AS op, count() AS requests, countIf(errno != '') AS errors,
       sum(bytes) AS total_bytes, quantileExact(0.5)(latency_ns) AS p50_ns,
       quantileExact(0.99)(latency_ns) AS p99_ns
FROM fleet.calls_complete
WHERE engine = 'io_uring'
GROUP BY host, op
ORDER BY host, requests DESC;

-- time spent waiting on pipes, sockets and other non-files, per host and kind
SELECT host, fd_kind, count() AS calls, sum(latency_ns) AS total_ns,
       quantileExact(0.99)(latency_ns) AS p99_ns
FROM fleet.calls_complete
WHERE fd_kind NOT IN ('file', 'unknown', 'none')
GROUP BY host, fd_kind
ORDER BY total_ns DESC;

-- block device time per host and device (queue and device, as the report's devices)
-- (18.16 takes an alias for the column of that name: the sums are named apart)
SELECT host, device, count() AS requests, sum(queue_ns) AS queue_total_ns,
       sum(device_ns) AS device_total_ns, quantileExact(0.99)(device_ns) AS p99_device_ns
FROM fleet.children_complete
WHERE layer = 'block'
GROUP BY host, device
ORDER BY device_total_ns DESC;

-- the captures: what was exported, and whether the kernel or ftio lost anything
SELECT host, capture_id, boot_id, start, files, calls, children, lost_events, pairing_dropped, complete
FROM fleet.captures
ORDER BY host, start, first_ns;
