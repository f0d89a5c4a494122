-- SPDX-License-Identifier: GPL-2.0
--
-- ftio's tables in ClickHouse: what `ftio export --clickhouse URL --create`
-- creates (it is built into ftio from this file), or by hand:
--   clickhouse-client --database ftio --multiquery <schema.sql
-- The names are unqualified: they go into the database given (default ftio).
-- Written for ClickHouse 18.16 (Debian 12) and later: no LowCardinality
-- (experimental there), no DateTime64 (absent), so times are DateTime
-- (seconds) plus nanosecond integers.
--
-- Column names are the keys of `ftio report --json` and `--csv` where one
-- exists.  Every row carries host and capture_id, and every table is
-- ordered by host first: each fleet question is per host, and a
-- Distributed table shards by host (see cluster.sql), so that one host's
-- rows of all tables live on one shard.
--
-- Idempotency: an export is a unit (the recording files given to one
-- `ftio export`), identified by (capture_id, first_ns).  Its rows carry a
-- random export_id; its captures row is written last, after every calls
-- and children row was accepted.  ftio skips a unit whose captures row is
-- already there, so exporting a recording again adds nothing.  An export
-- that failed half way leaves rows whose export_id is in no captures row:
-- the views below (calls_complete, children_complete, audit) leave them
-- out, and the next export writes the unit whole under a new export_id.
-- Nothing is deleted, neither here nor on the machine.
--
-- Tables made by an older ftio lack captures.boot_id, calls.engine,
-- calls.fd_kind and children.engine (an export into them fails: "No such
-- column"); add them, on each shard and to the Distributed tables alike:
--   ALTER TABLE captures ADD COLUMN boot_id String AFTER files;
--   ALTER TABLE calls ADD COLUMN engine String DEFAULT 'syscall' AFTER syscall;
--   ALTER TABLE calls ADD COLUMN fd_kind String AFTER path;
--   ALTER TABLE children ADD COLUMN engine String DEFAULT 'syscall' AFTER syscall;
-- and create the audit views again (DROP TABLE audit, then --create).

-- One row per exported unit of a recording, written last
CREATE TABLE IF NOT EXISTS captures (
	host String,
	capture_id String,		-- start time (real and monotonic) of the capture
	export_id UInt64,		-- random, per export: the key of its calls
	exported DateTime,
	first_ns UInt64,		-- the unit's first event, ns after the capture start
	start DateTime,			-- capture start, wall clock
	start_real_ns UInt64,
	duration_ns UInt64,		-- of the unit's events
	files UInt32,
	boot_id String,			-- /proc/sys/kernel/random/boot_id of the recording boot ('' before ftio kept it)
	kernel String,
	arch String,
	layers String,
	strategy String,
	ftio_version String,
	calls UInt64,			-- the calls rows this export wrote (syscalls and async requests)
	children UInt64,
	lost_events UInt64,		-- lost by the kernel's ring buffers
	pairing_dropped UInt64,		-- events the decoder could not pair
	damaged_bytes UInt64,
	complete UInt8			-- nothing lost, dropped or damaged
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(start)
ORDER BY (host, capture_id, first_ns);

-- One row per syscall and per async request: the fleet's latency,
-- errors and audit.  An io_uring request is a row of engine 'io_uring'
-- with its opcode (READ, WRITE, OPENAT ...) in syscall, timed from its
-- submission to its completion; the syscalls that submitted and reaped it
-- (io_uring_enter) are rows of their own, so a query of latency or errors
-- "per syscall" says WHERE engine = 'syscall' (the report's syscall
-- tables), and one per file or mount may take both.  ORDER BY (host,
-- mount, syscall, time) serves "p99 per host and mount", "errors per
-- host" and a host's time range; the monthly partition serves "this
-- week".
CREATE TABLE IF NOT EXISTS calls (
	host String,
	capture_id String,
	export_id UInt64,
	seq UInt64,			-- the call's number in its export (children refer to it)
	time DateTime,			-- wall clock at the call's start
	ts_ns UInt64,			-- the same, in ns since the epoch
	start_ns UInt64,		-- ns after the capture start
	latency_ns UInt64,
	syscall String,			-- or the request's opcode
	engine String,			-- 'syscall' or 'io_uring' (the report's requests)
	pid Int32,
	tid Int32,
	comm String,
	uid Int64,			-- -1: unknown
	euid Int64,
	user String,
	ret Int64,
	errno String,			-- the errno's name, '' on success
	origin String,			-- the first kernel function seen failing
	path Nullable(String),		-- NULL: ftio could not tell (bytes as the kernel gave them)
	fd_kind String,			-- file, pipe, socket, eventfd, ..., unknown, none: the report's fd_kind
	path_method String,
	mount String,
	fstype String,
	device String,			-- major:minor of the mount
	bytes UInt64,
	lost_events_nearby UInt8,	-- events were lost while in flight: latency not trusted
	oncpu_ns Nullable(UInt64),	-- NULL: not measured (--counters)
	offcpu_ns Nullable(UInt64),
	ctx_switches Nullable(UInt64),
	major_faults Nullable(UInt64),
	children UInt32			-- its rows in children
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(time)
ORDER BY (host, mount, syscall, time);

-- One row per block, FUSE, NFS/RPC, page-cache, fs or lookup child of a call
CREATE TABLE IF NOT EXISTS children (
	host String,
	capture_id String,
	export_id UInt64,
	seq UInt64,			-- its call's
	time DateTime,			-- its call's
	syscall String,			-- its call's
	engine String,			-- its call's
	mount String,			-- its call's
	layer String,
	what String,
	count UInt32,
	start_ns UInt64,
	latency_ns UInt64,		-- clipped by nothing: see calls.latency_ns
	call_latency_ns UInt64,
	bytes UInt64,
	device String,			-- major:minor, '' when none
	queue_ns Nullable(UInt64),	-- block requests: queue and device time
	device_ns Nullable(UInt64),
	error Int32,
	-- the layer's own, as the report's JSON has them: an object such as
	-- {"procedure":"READ","rtt_ns":..,"backlog_ns":..} (rpc) or {"pages":..}
	-- (pagecache); read with visitParamExtractUInt(detail, 'rtt_ns')
	detail String
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(time)
ORDER BY (host, layer, what, time);

-- The rows of complete exports only: what the fleet queries read
CREATE VIEW IF NOT EXISTS calls_complete AS
	SELECT * FROM calls WHERE export_id GLOBAL IN (SELECT export_id FROM captures);

CREATE VIEW IF NOT EXISTS children_complete AS
	SELECT * FROM children WHERE export_id GLOBAL IN (SELECT export_id FROM captures);

-- Denied accesses, as the report's audit
CREATE VIEW IF NOT EXISTS audit AS
	SELECT host, capture_id, time, ts_ns, syscall, engine, errno, origin, uid, euid, user,
	       pid, tid, comm, path, fd_kind, latency_ns
	FROM calls_complete WHERE errno IN ('EACCES', 'EPERM');
