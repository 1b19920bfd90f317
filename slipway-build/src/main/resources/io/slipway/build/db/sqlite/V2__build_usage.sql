-- Disk usage and prune (docs/prune.md). Records learn how often they were used and what made them;
-- running builds lease the records they use, so prune leaves those alone; content of removed
-- records waits in build_garbage until no build runs, so it is deleted after the metadata that
-- named it (a crash in between leaves rows here, which the next prune finishes).
ALTER TABLE build_cache ADD COLUMN use_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE build_cache ADD COLUMN description TEXT NOT NULL DEFAULT '';

-- One row per running build (purpose 'build') or content sweep (purpose 'gc'). The owner is a
-- process: its pid and start time (epoch ms), so a lease of a crashed process, or of a recycled
-- pid, is recognised as dead and ignored.
CREATE TABLE build_leases (
  lease_id      TEXT PRIMARY KEY,
  purpose       TEXT NOT NULL CHECK (purpose IN ('build', 'gc')),
  owner_pid     INTEGER NOT NULL,
  owner_started INTEGER NOT NULL,
  created_at    INTEGER NOT NULL
);

-- The cache records a running build has looked up or written.
CREATE TABLE build_lease_records (
  lease_id  TEXT NOT NULL REFERENCES build_leases (lease_id) ON DELETE CASCADE,
  cache_key TEXT NOT NULL,
  PRIMARY KEY (lease_id, cache_key)
);
CREATE INDEX build_lease_records_by_key ON build_lease_records (cache_key);

-- Content condemned by prune and not deleted yet: a blob digest, or a cache mount instance
-- ('<sha256 of id>/<n>' under run/cache).
CREATE TABLE build_garbage (
  kind          TEXT NOT NULL CHECK (kind IN ('blob', 'cache-mount')),
  name          TEXT NOT NULL,
  condemned_at  INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
);

-- When automatic GC after a build last ran, so it runs at most once per configured interval.
CREATE TABLE build_gc_schedule (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  last_auto_run INTEGER NOT NULL
);
INSERT INTO build_gc_schedule (id, last_auto_run) VALUES (1, 0);
