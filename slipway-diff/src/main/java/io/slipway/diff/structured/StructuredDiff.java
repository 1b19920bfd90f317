package io.slipway.diff.structured;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The differences between two documents compared as trees, as a JSON Patch (RFC 6902) that turns
 * A into B, or as a list of changed paths with old and new values for people. Holds the two
 * compact documents while reachable. Immutable; safe for concurrent use.
 */
public final class StructuredDiff {
  /** A change and the nodes holding its old and new values (-1 when there is none). */
  record Entry(Change change, int oldNode, int newNode) {}

  private static final JsonFactory JSON = new JsonFactory();
  private static final int SUMMARY_VALUE_CHARS = 160;

  private final CompactDocument a;
  private final CompactDocument b;
  private final List<Entry> entries;
  private final List<Change> changes;

  StructuredDiff(CompactDocument a, CompactDocument b, List<Entry> entries) {
    this.a = a;
    this.b = b;
    this.entries = List.copyOf(entries);
    List<Change> list = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      list.add(entry.change());
    }
    this.changes = List.copyOf(list);
  }

  /** The changes, in the order a JSON Patch must apply them. */
  public List<Change> changes() {
    return changes;
  }

  /** Writes the changes as a JSON Patch document: a JSON array of operations. */
  public void writeJsonPatch(OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.writeStartArray();
      for (Entry entry : entries) {
        json.writeRaw("\n  ");
        json.writeStartObject();
        json.writeStringField("op", entry.change().operation().patchName());
        json.writeStringField("path", entry.change().pointer());
        if (entry.newNode() >= 0) {
          json.writeFieldName("value");
          b.write(entry.newNode(), json);
        }
        json.writeEndObject();
      }
      if (!entries.isEmpty()) {
        json.writeRaw("\n");
      }
      json.writeEndArray();
      json.writeRaw("\n");
    }
  }

  /**
   * Writes one line per change: {@code ~ path: old → new}, {@code + path: new} or
   * {@code - path: old}. Values longer than 160 characters are cut and end in {@code …}.
   */
  public void writeSummary(Writer out) throws IOException {
    for (Entry entry : entries) {
      Change change = entry.change();
      String path = change.path().isEmpty() ? "/" : change.path();
      switch (change.operation()) {
        case REPLACE ->
            out.write("~ " + path + ": " + render(a, entry.oldNode()) + " → " + render(b, entry.newNode()) + "\n");
        case ADD -> out.write("+ " + path + ": " + render(b, entry.newNode()) + "\n");
        case REMOVE -> out.write("- " + path + ": " + render(a, entry.oldNode()) + "\n");
      }
    }
    out.flush();
  }

  private static String render(CompactDocument document, int node) throws IOException {
    LimitedWriter text = new LimitedWriter(SUMMARY_VALUE_CHARS);
    try (JsonGenerator json = JSON.createGenerator(text)) {
      document.write(node, json);
    } catch (LimitedWriter.Full full) {
      return text.toString() + "…";
    }
    return text.toString();
  }

  /** Keeps the first characters written and stops the writer past them, so huge values cost nothing. */
  private static final class LimitedWriter extends Writer {
    private final StringBuilder kept = new StringBuilder();
    private final int limit;

    LimitedWriter(int limit) {
      this.limit = limit;
    }

    /** Signals that the limit was reached; unchecked so it passes through the generator. */
    static final class Full extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Full() {
        super(null, null, false, false);
      }
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
      int room = limit - kept.length();
      kept.append(buffer, offset, Math.min(room, length));
      if (length > room) {
        throw new Full();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return kept.toString();
    }
  }
}
