package io.slipway.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * JSON for the config's "set as object" fields ({@code ExposedPorts}, {@code Volumes}), which Go
 * writes as {@code {"80/tcp": {}}}: the keys are the set, the values are always empty objects.
 * Stateless.
 */
final class KeySetJson {
  private KeySetJson() {}

  /** Writes a set as an object whose values are {@code {}}, in sorted key order. */
  static final class Writer extends JsonSerializer<Set<String>> {
    @Override
    public void serialize(Set<String> value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      for (String key : new TreeSet<>(value)) {
        gen.writeFieldName(key);
        gen.writeStartObject();
        gen.writeEndObject();
      }
      gen.writeEndObject();
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Set<String> value) {
      return value == null || value.isEmpty();
    }
  }

  /** Reads an object's keys as a set, ignoring the values; {@code null} is the empty set. */
  static final class Reader extends JsonDeserializer<SortedSet<String>> {
    @Override
    public SortedSet<String> deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      // context.readTree, not parser.readValueAsTree: the latter checks for trailing tokens as if
      // this value were the whole document.
      JsonNode node = context.readTree(parser);
      if (node == null || node.isNull()) {
        return Collections.emptySortedSet();
      }
      if (!node.isObject()) {
        return context.reportInputMismatch(
            SortedSet.class, "expected an object whose keys are the entries, got %s",
            node.getNodeType());
      }
      TreeSet<String> keys = new TreeSet<>();
      node.fieldNames().forEachRemaining(keys::add);
      return Collections.unmodifiableSortedSet(keys);
    }

    @Override
    public SortedSet<String> getNullValue(DeserializationContext context) {
      return Collections.emptySortedSet();
    }
  }
}
