-- Images the builder relies on beyond its cache records: each image a build produced and each base
-- image it resolved, by the digest of its root (a manifest, or the index a base was chosen from).
-- Their manifest, index and config blobs are listed in build_image_blobs, so fsck and GC see them
-- referenced; prune removes image records by policy like cache records (type 'image'). A running
-- build holds the images it records through build_lease_records, under the key 'image:<digest>'.
CREATE TABLE build_images (
  root_digest TEXT PRIMARY KEY,
  role        TEXT NOT NULL CHECK (role IN ('built', 'base')),
  description TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_used   INTEGER NOT NULL,
  use_count   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE build_image_blobs (
  root_digest TEXT NOT NULL REFERENCES build_images (root_digest) ON DELETE CASCADE,
  digest      TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  size        INTEGER NOT NULL,
  PRIMARY KEY (root_digest, digest)
);
CREATE INDEX build_image_blobs_by_digest ON build_image_blobs (digest);
