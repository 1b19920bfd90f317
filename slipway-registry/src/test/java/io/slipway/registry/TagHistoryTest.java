package io.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.oci.Digest;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.registry.meta.TagEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagHistoryTest {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  @TempDir Path root;
  private TestRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistry.start(root);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  private JsonNode history(String name, String tag) throws Exception {
    HttpResponse<String> response = registry.send("GET", "/v2/" + name + "/_slipway/history/" + tag, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return TestRegistry.json(response).path("history");
  }

  private static List<String> actions(JsonNode history) {
    List<String> actions = new ArrayList<>();
    history.forEach(event -> actions.add(event.path("action").asText()));
    return actions;
  }

  @Test
  void recordsCreateThenMoveWithBothDigestsWhenATagIsPutTwice() throws Exception {
    Digest first = Digest.sha256(registry.pushImage("app", "v1", "one"));
    Digest second = Digest.sha256(registry.pushImage("app", "v1", "two"));

    JsonNode history = history("app", "v1");

    assertThat(actions(history)).containsExactly("create", "move");
    assertThat(history.get(0).path("from").isNull()).isTrue();
    assertThat(history.get(0).path("to").asText()).isEqualTo(first.toString());
    assertThat(history.get(1).path("from").asText()).isEqualTo(first.toString());
    assertThat(history.get(1).path("to").asText()).isEqualTo(second.toString());
    assertThat(history.get(1).path("user").asText()).isEqualTo(TestRegistry.withAuth ? "admin" : "anonymous");
    assertThat(history.get(1).path("time").asText()).endsWith("Z");
  }

  @Test
  void recordsNothingWhenTheSameManifestIsPutUnderTheTagAgain() throws Exception {
    registry.pushImage("app", "v1", "one");
    registry.pushImage("app", "v1", "one");

    assertThat(actions(history("app", "v1"))).containsExactly("create");
  }

  @Test
  void recordsDeleteWhenATagOrItsManifestIsDeleted() throws Exception {
    Digest manifest = Digest.sha256(registry.pushImage("app", "v1", "one"));
    registry.pushImage("app", "v2", "one");
    assertThat(registry.send("DELETE", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(202);
    assertThat(registry.send("DELETE", "/v2/app/manifests/" + manifest, null).statusCode()).isEqualTo(202);

    JsonNode v1 = history("app", "v1");
    assertThat(actions(v1)).containsExactly("create", "delete");
    assertThat(v1.get(1).path("from").asText()).isEqualTo(manifest.toString());
    assertThat(v1.get(1).path("to").isNull()).isTrue();
    assertThat(actions(history("app", "v2"))).containsExactly("create", "delete");
  }

  @Test
  void recordsEveryTagWhenOnePutNamesSeveral() throws Exception {
    byte[] manifest = registry.pushImage("app", "seed", "one");
    Digest digest = Digest.sha256(manifest);
    HttpResponse<String> put = registry.send("PUT", "/v2/app/manifests/" + digest + "?tag=a&tag=b&tag=c",
        manifest, "Content-Type", OCI_MANIFEST);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

    for (String tag : List.of("a", "b", "c")) {
      JsonNode history = history("app", tag);
      assertThat(actions(history)).as(tag).containsExactly("create");
      assertThat(history.get(0).path("to").asText()).isEqualTo(digest.toString());
    }
  }

  @Test
  void pagesWithALinkAndKeepsHistoryAcrossARestart() throws Exception {
    registry.pushImage("app", "v1", "one");
    registry.pushImage("app", "v1", "two");
    registry.pushImage("app", "v1", "three");

    HttpResponse<String> page = registry.send("GET", "/v2/app/_slipway/history/v1?n=2", null);
    assertThat(TestRegistry.json(page).path("history")).hasSize(2);
    String link = page.headers().firstValue("Link").orElseThrow();
    assertThat(link).startsWith("</v2/app/_slipway/history/v1?n=2&last=");
    String next = link.substring(1, link.indexOf('>'));
    assertThat(TestRegistry.json(registry.send("GET", next, null)).path("history")).hasSize(1);

    registry.close();
    try (SqlRegistryMetadata metadata = SqlRegistryMetadata.openSqlite(root.resolve("meta.db"))) {
      List<TagEvent> events = metadata.tagHistory("app", "v1", 0, 10);
      assertThat(events).extracting(TagEvent::kind)
          .containsExactly(TagEvent.Kind.CREATE, TagEvent.Kind.MOVE, TagEvent.Kind.MOVE);
    }
    registry = TestRegistry.start(root);
  }

  @Test
  void answersNameUnknownForAnUnknownRepositoryAndEmptyForAnUnknownTag() throws Exception {
    registry.pushImage("app", "v1", "one");

    HttpResponse<String> unknown = registry.send("GET", "/v2/nope/_slipway/history/v1", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestRegistry.errorCode(unknown)).isEqualTo("NAME_UNKNOWN");
    assertThat(history("app", "never")).isEmpty();
  }
}
