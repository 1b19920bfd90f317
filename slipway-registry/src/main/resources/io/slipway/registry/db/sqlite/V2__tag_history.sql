-- Every tag create, move and delete, in the order they committed. Rows are never updated or
-- deleted, so "INTEGER PRIMARY KEY" (SQLite's rowid) is a gap-free ascending sequence here;
-- PostgreSQL's copy of this script uses "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY".
-- old_digest is null for a create, new_digest null for a delete.
CREATE TABLE registry_tag_history (
  id          INTEGER PRIMARY KEY,
  repository  TEXT   NOT NULL,
  tag         TEXT   NOT NULL,
  changed_at  BIGINT NOT NULL,
  actor       TEXT   NOT NULL,
  old_digest  TEXT,
  new_digest  TEXT
);
CREATE INDEX registry_tag_history_by_tag ON registry_tag_history (repository, tag, id);
