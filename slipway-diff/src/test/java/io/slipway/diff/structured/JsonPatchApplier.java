package io.slipway.diff.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A minimal RFC 6902 applier (add, remove, replace) for checking patches in tests. Stateless. */
public final class JsonPatchApplier {
  private JsonPatchApplier() {}

  public static JsonNode apply(JsonNode document, JsonNode patch) {
    JsonNode result = document.deepCopy();
    for (JsonNode operation : patch) {
      String op = operation.get("op").asText();
      String pointer = operation.get("path").asText();
      JsonNode value = operation.get("value");
      if (pointer.isEmpty()) {
        if (!op.equals("replace")) {
          throw new AssertionError("only replace may target the root: " + operation);
        }
        result = value.deepCopy();
        continue;
      }
      int slash = pointer.lastIndexOf('/');
      JsonNode parent = result.at(pointer.substring(0, slash));
      String token = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
      if (parent instanceof ObjectNode object) {
        switch (op) {
          case "add" -> object.set(token, value.deepCopy());
          case "remove" -> require(object.remove(token) != null, operation);
          case "replace" -> require(object.replace(token, value.deepCopy()) != null, operation);
          default -> throw new AssertionError("unexpected op " + operation);
        }
      } else if (parent instanceof ArrayNode array) {
        int index = token.equals("-") ? array.size() : Integer.parseInt(token);
        switch (op) {
          case "add" -> {
            require(index <= array.size(), operation);
            array.insert(index, value.deepCopy());
          }
          case "remove" -> {
            require(index < array.size(), operation);
            array.remove(index);
          }
          case "replace" -> {
            require(index < array.size(), operation);
            array.set(index, value.deepCopy());
          }
          default -> throw new AssertionError("unexpected op " + operation);
        }
      } else {
        throw new AssertionError("no container at " + pointer + " for " + operation);
      }
    }
    return result;
  }

  private static void require(boolean condition, JsonNode operation) {
    if (!condition) {
      throw new AssertionError("operation does not apply: " + operation);
    }
  }
}
