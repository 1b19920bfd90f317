package io.slipway.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeTest {

  @Test
  void parsesNameWithPortWhenNameHoldsColons() {
    Scope scope = Scope.parse("repository:localhost:5000/team/app:push,pull");

    assertThat(scope.type()).isEqualTo("repository");
    assertThat(scope.name()).isEqualTo("localhost:5000/team/app");
    assertThat(scope.actions()).containsExactly("pull", "push");
    assertThat(scope).hasToString("repository:localhost:5000/team/app:pull,push");
  }

  @Test
  void parsesSeveralScopesWhenSeparatedBySpaces() {
    assertThat(Scope.parseAll(" repository:a:pull  registry:catalog:* "))
        .containsExactly(Scope.pull("a"), Scope.catalog());
  }

  @Test
  void rejectsScopeWhenActionsAreMissing() {
    assertThatThrownBy(() -> Scope.parse("repository:a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"repository:a\" is not type:name:actions");
    assertThatThrownBy(() -> Scope.parse("repository:a:pull,,push"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad action");
  }

  @Test
  void coversWhenWildcardOrSuperset() {
    assertThat(Scope.pullPush("a").covers(Scope.pull("a"))).isTrue();
    assertThat(Scope.repository("a", List.of("*")).covers(Scope.pullPush("a"))).isTrue();
    assertThat(Scope.pull("a").covers(Scope.pullPush("a"))).isFalse();
    assertThat(Scope.pull("a").covers(Scope.pull("b"))).isFalse();
  }

  @Test
  void parsesCatalogWhenActionIsWildcard() {
    assertThat(Scope.parse("registry:catalog:*")).isEqualTo(Scope.catalog());
    assertThat(Scope.catalog().covers(Scope.parse("registry:catalog:list"))).isTrue();
  }
}
