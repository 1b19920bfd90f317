package io.slipway.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of database work handed to {@link Database#transaction} or {@link Database#read}. It may
 * throw its own checked exception type {@code E}, which rolls the transaction back and reaches
 * the caller unchanged. The connection belongs to the work only while it runs; the work must not
 * commit, roll back, close it or change its auto-commit mode. Each run happens on the calling
 * thread, so an implementation needs no synchronisation of its own.
 */
@FunctionalInterface
public interface SqlWork<T, E extends Exception> {
  T run(Connection connection) throws SQLException, E;
}
