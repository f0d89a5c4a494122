-- SPDX-License-Identifier: GPL-2.0
--
-- The fleet's tables: Distributed tables in the database fleet over the
-- ftio tables of every shard of the cluster ftio_fleet (remote_servers.xml).
-- Each shard holds its boards' rows in its database ftio, created by
-- `ftio export --clickhouse http://SHARD:8123/ --create`; this file runs on
-- the nodes that answer fleet queries (any shard, or a node of its own
-- with the same ftio tables created empty):
--   clickhouse-client --multiquery <cluster.sql
--
-- A board may also export into fleet itself
-- (`ftio export --clickhouse URL --database fleet`): the rows go to the
-- shard of cityHash64(host), so one host's calls, children and captures
-- stay on one shard, and ftio's "already exported" check asks the whole
-- fleet.  ftio sends insert_distributed_sync=1, so its captures row is
-- written after its calls reached their shard.
CREATE DATABASE IF NOT EXISTS fleet;

CREATE TABLE IF NOT EXISTS fleet.captures AS ftio.captures
	ENGINE = Distributed(ftio_fleet, ftio, captures, cityHash64(host));

CREATE TABLE IF NOT EXISTS fleet.calls AS ftio.calls
	ENGINE = Distributed(ftio_fleet, ftio, calls, cityHash64(host));

CREATE TABLE IF NOT EXISTS fleet.children AS ftio.children
	ENGINE = Distributed(ftio_fleet, ftio, children, cityHash64(host));

-- GLOBAL IN: the complete exports are read once, from every shard, and
-- sent to each shard with the query
CREATE VIEW IF NOT EXISTS fleet.calls_complete AS
	SELECT * FROM fleet.calls WHERE export_id GLOBAL IN (SELECT export_id FROM fleet.captures);

CREATE VIEW IF NOT EXISTS fleet.children_complete AS
	SELECT * FROM fleet.children WHERE export_id GLOBAL IN (SELECT export_id FROM fleet.captures);

CREATE VIEW IF NOT EXISTS fleet.audit AS
	SELECT host, capture_id, time, ts_ns, syscall, engine, errno, origin, uid, euid, user,
	       pid, tid, comm, path, fd_kind, latency_ns
	FROM fleet.calls_complete WHERE errno IN ('EACCES', 'EPERM');
