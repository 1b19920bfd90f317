-- Registry metadata, version 1. Kept to SQL that PostgreSQL also runs, so its script can be a copy.
CREATE TABLE registry_repositories (
  name       TEXT   NOT NULL PRIMARY KEY,
  created_at BIGINT NOT NULL
);

-- A blob is visible in a repository only through a row here (pushed or mounted there).
CREATE TABLE registry_blob_links (
  repository TEXT   NOT NULL REFERENCES registry_repositories (name),
  digest     TEXT   NOT NULL,
  size       BIGINT NOT NULL,
  linked_at  BIGINT NOT NULL,
  PRIMARY KEY (repository, digest)
);
CREATE INDEX registry_blob_links_by_digest ON registry_blob_links (digest);

-- The manifest index; the bytes live in the blob store under the same digest.
-- subject and artifact_type form the referrers index.
CREATE TABLE registry_manifests (
  repository    TEXT   NOT NULL REFERENCES registry_repositories (name),
  digest        TEXT   NOT NULL,
  media_type    TEXT   NOT NULL,
  size          BIGINT NOT NULL,
  artifact_type TEXT   NOT NULL,
  subject       TEXT,
  annotations   TEXT   NOT NULL,
  pushed_at     BIGINT NOT NULL,
  PRIMARY KEY (repository, digest)
);
CREATE INDEX registry_manifests_by_subject ON registry_manifests (repository, subject, digest);

-- What each manifest needs: blobs (config, layers) and child manifests (of an index).
CREATE TABLE registry_manifest_references (
  repository      TEXT NOT NULL,
  manifest_digest TEXT NOT NULL,
  kind            TEXT NOT NULL,
  digest          TEXT NOT NULL,
  PRIMARY KEY (repository, manifest_digest, kind, digest)
);
CREATE INDEX registry_manifest_references_by_digest ON registry_manifest_references (digest);

CREATE TABLE registry_tags (
  repository TEXT   NOT NULL REFERENCES registry_repositories (name),
  name       TEXT   NOT NULL,
  digest     TEXT   NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (repository, name)
);
CREATE INDEX registry_tags_by_digest ON registry_tags (repository, digest);

-- Upload sessions outlive the process; the id is also the blob store's ingest id.
CREATE TABLE registry_uploads (
  id         TEXT   NOT NULL PRIMARY KEY,
  repository TEXT   NOT NULL,
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX registry_uploads_by_update ON registry_uploads (updated_at);
