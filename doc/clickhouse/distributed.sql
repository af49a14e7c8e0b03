-- doc/clickhouse/distributed.sql: one Distributed table over each local table of schema.sql,
-- on the cluster `pktscope` (cluster.xml). Run on every server after schema.sql, in the same
-- database:
--
--   clickhouse-client --database pktscope --multiquery < doc/clickhouse/distributed.sql
--
-- A query on conns_all runs on every shard's conns and merges the answers. Rows are best
-- written to the shards' own local tables by `pktscope --shard I/N` (shard I of N loads into
-- server I: whole flows, fragments included, land on one server). Rows inserted into a *_all
-- table instead are spread by the sharding key, a hash of the Community ID, which also keeps
-- each flow on one shard (packets without one, ARP for instance, all go to one shard).

CREATE TABLE IF NOT EXISTS conns_all AS conns
ENGINE = Distributed(pktscope, currentDatabase(), conns, cityHash64(community_id));

CREATE TABLE IF NOT EXISTS packets_all AS packets
ENGINE = Distributed(pktscope, currentDatabase(), packets, cityHash64(community_id));

CREATE TABLE IF NOT EXISTS records_all AS records
ENGINE = Distributed(pktscope, currentDatabase(), records, cityHash64(community_id));
