-- Content digests of build-context files, keyed by what lstat said when they were hashed, so a
-- rebuild reads only files whose size, times or inode changed. A row is only a hint: it is used
-- when every stat field still matches, and written only for files last changed well before the
-- walk that hashed them (see FileDigestCache), so a change in the same clock tick is never missed.
-- V4 rather than V2: V2 and V3 of this schema belong to other branches.
CREATE TABLE context_file_digest (
  path      TEXT PRIMARY KEY,
  size      INTEGER NOT NULL,
  mtime_ns  INTEGER NOT NULL,
  ctime_ns  INTEGER NOT NULL,
  inode     INTEGER NOT NULL,
  sha256    TEXT NOT NULL
);
