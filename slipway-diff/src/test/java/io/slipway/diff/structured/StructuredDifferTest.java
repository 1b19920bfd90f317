package io.slipway.diff.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.diff.text.TextDiffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructuredDifferTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private StructuredDiff structured(String nameA, String a, String nameB, String b) throws IOException {
    StructuredComparison comparison =
        new StructuredDiffer().compare(Files.writeString(dir.resolve(nameA), a), Files.writeString(dir.resolve(nameB), b));
    assertThat(comparison).isInstanceOf(StructuredComparison.Structured.class);
    return ((StructuredComparison.Structured) comparison).diff();
  }

  private static String summary(StructuredDiff diff) throws IOException {
    StringWriter out = new StringWriter();
    diff.writeSummary(out);
    return out.toString();
  }

  private static JsonNode patch(StructuredDiff diff) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    diff.writeJsonPatch(out);
    return MAPPER.readTree(out.toByteArray());
  }

  @Test
  void reportsReplaceWithOldAndNewValueWhenScalarChanges() throws IOException {
    StructuredDiff diff = structured("a.json", "{\"a\": 1, \"b\": \"x\"}", "b.json", "{\"b\": \"x\", \"a\": 2}");

    assertThat(diff.changes()).containsExactly(new Change(Change.Operation.REPLACE, "/a", "/a"));
    assertThat(summary(diff)).isEqualTo("~ /a: 1 → 2\n");
    assertThat(patch(diff)).isEqualTo(MAPPER.readTree("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"));
  }

  @Test
  void reportsNoChangesWhenOnlyKeyOrderAndLayoutDiffer() throws IOException {
    StructuredDiff diff =
        structured("a.json", "{\"x\": [1, 2], \"y\": {\"z\": null}}", "b.json", "{\"y\":{\"z\":null},\n\"x\":[1,2]}");

    assertThat(diff.changes()).isEmpty();
  }

  @Test
  void matchesArrayElementsByNameWhenElementsAreInsertedAndRemoved() throws IOException {
    String a = "{\"containers\": [{\"name\": \"web\", \"image\": \"web:1\"}, {\"name\": \"db\", \"image\": \"db:1\"}]}";
    String b =
        "{\"containers\": [{\"name\": \"proxy\", \"image\": \"p:1\"}, {\"name\": \"web\", \"image\": \"web:2\"}]}";

    StructuredDiff diff = structured("a.json", a, "b.json", b);

    assertThat(summary(diff))
        .isEqualTo(
            "- /containers[name=db]: {\"name\":\"db\",\"image\":\"db:1\"}\n"
                + "+ /containers[name=proxy]: {\"name\":\"proxy\",\"image\":\"p:1\"}\n"
                + "~ /containers[name=web]/image: \"web:1\" → \"web:2\"\n");
    assertThat(JsonPatchApplier.apply(MAPPER.readTree(a), patch(diff))).isEqualTo(MAPPER.readTree(b));
  }

  @Test
  void alignsEqualElementsWhenNoKeyIsConfigured() throws IOException {
    Path a = Files.writeString(dir.resolve("a.json"), "[{\"name\": \"x\"}, {\"name\": \"y\"}]");
    Path b = Files.writeString(dir.resolve("b.json"), "[{\"name\": \"y\"}]");
    StructuredDiffer differ = new StructuredDiffer(StructuredDiffOptions.DEFAULTS.withArrayKeys(List.of()), new TextDiffer());

    StructuredDiff diff = ((StructuredComparison.Structured) differ.compare(a, b)).diff();

    assertThat(diff.changes()).containsExactly(new Change(Change.Operation.REMOVE, "/0", "/0"));
  }

  @Test
  void comparesChangedRunsByPositionWhenElementsHaveNoKey() throws IOException {
    String a = "{\"args\": [\"--a\", \"--b=1\", \"--c\"]}";
    String b = "{\"args\": [\"--first\", \"--a\", \"--b=2\", \"--c\"]}";

    StructuredDiff diff = structured("a.json", a, "b.json", b);

    assertThat(summary(diff)).isEqualTo("+ /args/0: \"--first\"\n~ /args/2: \"--b=1\" → \"--b=2\"\n");
    assertThat(JsonPatchApplier.apply(MAPPER.readTree(a), patch(diff))).isEqualTo(MAPPER.readTree(b));
  }

  @Test
  void escapesPointerTokensWhenKeysHoldSlashOrTilde() throws IOException {
    StructuredDiff diff = structured("a.json", "{\"a/b~c\": 1}", "b.json", "{\"a/b~c\": 2}");

    assertThat(diff.changes()).containsExactly(new Change(Change.Operation.REPLACE, "/a~1b~0c", "/a/b~c"));
  }

  @Test
  void comparesYamlDocumentsAsTrees() throws IOException {
    String a = "apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: fast\n  level: 3\n";
    String b = "apiVersion: v1\nkind: ConfigMap\ndata:\n  level: 4\n  mode: fast\n  extra: new\n";

    StructuredDiff diff = structured("a.yaml", a, "b.yml", b);

    assertThat(summary(diff)).isEqualTo("~ /data/level: 3 → 4\n+ /data/extra: \"new\"\n");
  }

  @Test
  void comparesYamlLargerThanSnakeYamlDefaultLimit() throws IOException {
    StringBuilder yaml = new StringBuilder("items:\n");
    for (int i = 0; yaml.length() < (3 << 20) + 65536; i++) {
      yaml.append("  - name: item-").append(i).append("\n    value: ").append(i).append('\n');
    }
    String a = yaml.toString();
    String b = a.replace("  - name: item-77\n    value: 77\n", "  - name: item-77\n    value: 78\n");

    StructuredDiff diff = structured("big-a.yaml", a, "big-b.yaml", b);

    assertThat(summary(diff)).isEqualTo("~ /items[name=item-77]/value: 77 → 78\n");
  }

  @Test
  void comparesEachDocumentWhenYamlHoldsSeveral() throws IOException {
    StructuredDiff diff = structured("a.yaml", "a: 1\n---\nb: 2\n", "b.yaml", "a: 1\n---\nb: 3\n");

    assertThat(diff.changes()).containsExactly(new Change(Change.Operation.REPLACE, "/1/b", "/1/b"));
  }

  @Test
  void namesFileLineAndColumnWhenJsonIsInvalid() throws IOException {
    Path a = Files.writeString(dir.resolve("a.json"), "{}");
    Path b = Files.writeString(dir.resolve("broken.json"), "{\n  \"a\": [1,\n  }\n");

    assertThatThrownBy(() -> new StructuredDiffer().compare(a, b))
        .isInstanceOf(StructuredInputException.class)
        .hasMessageContaining("broken.json:3:")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void fallsBackToTextWithNoteWhenDocumentsExceedTheBound() throws IOException {
    Path a = Files.writeString(dir.resolve("a.json"), "[1, 2, 3, 4]\n");
    Path b = Files.writeString(dir.resolve("b.json"), "[1, 2, 5, 4]\n");
    StructuredDiffer differ = new StructuredDiffer(StructuredDiffOptions.DEFAULTS.withMaxNodes(6), new TextDiffer());

    StructuredComparison comparison = differ.compare(a, b);

    assertThat(comparison).isInstanceOf(StructuredComparison.TextFallback.class);
    assertThat(((StructuredComparison.TextFallback) comparison).note()).contains("more than 6 values").contains("as text");
    assertThat(comparison.identical()).isFalse();
  }

  @Test
  void producesPatchThatTurnsAIntoBForRandomDocuments() throws IOException {
    Random random = new Random(1234);
    for (int round = 0; round < 400; round++) {
      JsonNode a = randomValue(random, 0);
      JsonNode b = mutate(random, a.deepCopy(), 1 + random.nextInt(5));
      Path fileA = Files.write(dir.resolve("a.json"), MAPPER.writeValueAsBytes(a));
      Path fileB = Files.write(dir.resolve("b.json"), MAPPER.writeValueAsBytes(b));

      StructuredComparison comparison = new StructuredDiffer().compare(fileA, fileB);
      StructuredDiff diff = ((StructuredComparison.Structured) comparison).diff();

      assertThat(JsonPatchApplier.apply(a, patch(diff)))
          .as("round %d: %s -> %s with %s", round, a, b, diff.changes())
          .isEqualTo(b);
      assertThat(diff.changes().isEmpty()).as("round %d", round).isEqualTo(a.equals(b));
    }
  }

  private static JsonNode randomValue(Random random, int depth) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    int pick = depth >= 3 ? random.nextInt(4) : random.nextInt(7);
    return switch (pick) {
      case 0 -> nodes.numberNode(random.nextInt(5));
      case 1 -> nodes.textNode("s" + random.nextInt(4));
      case 2 -> random.nextBoolean() ? nodes.booleanNode(random.nextBoolean()) : nodes.nullNode();
      case 3 -> nodes.textNode("a/b~" + random.nextInt(2));
      case 4 -> {
        ObjectNode object = nodes.objectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
          object.set("k" + random.nextInt(6), randomValue(random, depth + 1));
        }
        yield object;
      }
      case 5 -> {
        ArrayNode array = nodes.arrayNode();
        for (int i = random.nextInt(5); i > 0; i--) {
          array.add(randomValue(random, depth + 1));
        }
        yield array;
      }
      default -> {
        // An array of named objects, the shape key matching is for.
        ArrayNode array = nodes.arrayNode();
        List<Integer> names = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
        java.util.Collections.shuffle(names, random);
        for (int i = random.nextInt(5); i > 0; i--) {
          ObjectNode element = nodes.objectNode().put("name", "n" + names.remove(0));
          element.set("v", randomValue(random, depth + 1));
          array.add(element);
        }
        yield array;
      }
    };
  }

  private static JsonNode mutate(Random random, JsonNode node, int edits) {
    JsonNode result = node;
    for (int e = 0; e < edits; e++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(result, containers);
      if (containers.isEmpty() || random.nextInt(10) == 0) {
        result = randomValue(random, 1);
        continue;
      }
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode object) {
        String key = "k" + random.nextInt(6);
        if (random.nextBoolean()) {
          object.remove(key);
        } else {
          object.set(key, randomValue(random, 2));
        }
      } else if (target instanceof ArrayNode array) {
        int op = random.nextInt(3);
        if (op == 0 && !array.isEmpty()) {
          array.remove(random.nextInt(array.size()));
        } else if (op == 1 && !array.isEmpty()) {
          JsonNode element = array.get(random.nextInt(array.size()));
          if (element instanceof ObjectNode object && object.has("name")) {
            object.set("v", randomValue(random, 2));
          } else {
            array.set(random.nextInt(array.size()), randomValue(random, 2));
          }
        } else {
          array.insert(random.nextInt(array.size() + 1), randomValue(random, 2));
        }
      }
    }
    return result;
  }

  private static void collectContainers(JsonNode node, List<JsonNode> into) {
    if (node.isContainerNode()) {
      into.add(node);
      node.forEach(child -> collectContainers(child, into));
    }
  }

  @Test
  void writesEmptyPatchWhenDocumentsAreEqual() throws IOException {
    StructuredDiff diff = structured("a.json", "{\"a\":[1]}", "b.json", "{\"a\":[1]}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    diff.writeJsonPatch(out);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[]\n");
  }
}
