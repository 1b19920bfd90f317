-- One row per solved vertex cache key. A row is written only after every blob it names is
-- committed to the content store, in one transaction, so a row never points at missing content.
CREATE TABLE build_cache (
  cache_key   TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  result_json TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_used   INTEGER NOT NULL
);
