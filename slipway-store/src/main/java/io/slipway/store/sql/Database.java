package io.slipway.store.sql;

import java.sql.SQLException;

/**
 * Slipway's metadata database: tags, manifest index, upload sessions, build cache, history. Each
 * module states its schema as a {@link MigrationSet}, applied when the database is opened, and
 * then works only through {@link #transaction} and {@link #read}, so the same module code runs on
 * the embedded {@link SqliteDatabase} and on a server database for clusters.
 *
 * <p>Implementations are safe for concurrent use. A unit of work gets a connection of its own for
 * its duration and must not keep it afterwards, nor start another unit of work inside it. Work
 * inside a write transaction holds the database's write lock, so it must not wait on the network,
 * a client or another transaction: do that before or after.
 */
public interface Database extends AutoCloseable {

  /** Which SQL the connections speak, for modules that need dialect-specific statements. */
  SqlDialect dialect();

  /**
   * Runs {@code work} in a read-write transaction and commits it when the work returns. Any
   * exception thrown by the work, or by the commit, rolls everything back and is rethrown
   * unchanged, so nothing of a failed transaction is ever visible. Once this returns, every later
   * {@link #read} and {@link #transaction} sees the changes.
   *
   * @throws IllegalStateException when called from inside another unit of work on this thread
   */
  <T, E extends Exception> T transaction(SqlWork<T, E> work) throws SQLException, E;

  /**
   * Runs {@code work} against one consistent snapshot, read-only: a statement that writes fails.
   *
   * @throws IllegalStateException when called from inside another unit of work on this thread
   */
  <T, E extends Exception> T read(SqlWork<T, E> work) throws SQLException, E;

  /** Finishes outstanding bookkeeping (for SQLite, checkpoints the WAL) and closes connections. */
  @Override
  void close() throws SQLException;
}
