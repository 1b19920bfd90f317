package io.slipway.build.prune;

import java.util.Objects;

/**
 * One {@code --filter KEY=VALUE} of {@code slipway du} and {@code slipway prune}, or one entry of
 * a policy's {@code filters}: {@code type=layer|source|cache-mount} (exact), {@code id=PREFIX}
 * (the start of a record id), {@code description=TEXT} (contained in the description, as for a
 * step {@code RUN apt-get}). Immutable.
 */
public record RecordFilter(Field field, String value) {

  /** What a filter compares. */
  public enum Field {
    TYPE,
    ID,
    DESCRIPTION
  }

  public RecordFilter {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    if (field == Field.TYPE) {
      RecordType.parse(value);
    }
  }

  /** The filter {@code text} ({@code KEY=VALUE}), or a clear error naming what is wrong. */
  public static RecordFilter parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("invalid filter \"" + text + "\": use type=TYPE, id=PREFIX"
          + " or description=TEXT");
    }
    String key = text.substring(0, eq).strip();
    String value = text.substring(eq + 1).strip();
    Field field = switch (key) {
      case "type" -> Field.TYPE;
      case "id" -> Field.ID;
      case "description" -> Field.DESCRIPTION;
      default -> throw new IllegalArgumentException("invalid filter \"" + text
          + "\": unknown key \"" + key + "\" (use type, id or description)");
    };
    if (value.isEmpty()) {
      throw new IllegalArgumentException("invalid filter \"" + text + "\": the value is empty");
    }
    return new RecordFilter(field, value);
  }

  /** Whether {@code record} passes this filter. */
  public boolean matches(UsageRecord record) {
    return switch (field) {
      case TYPE -> record.type() == RecordType.parse(value);
      case ID -> record.id().startsWith(value);
      case DESCRIPTION -> record.description().contains(value);
    };
  }

  @Override
  public String toString() {
    return field.name().toLowerCase(java.util.Locale.ROOT) + "=" + value;
  }
}
