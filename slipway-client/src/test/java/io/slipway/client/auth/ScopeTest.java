package io.slipway.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {

  @Test
  void doesKeepPortInNameWhenRepositoryIsOnAPortedHost() {
    Scope scope = Scope.parse("repository:host:5000/team/app:push,pull");
    assertThat(scope.type()).isEqualTo("repository");
    assertThat(scope.name()).isEqualTo("host:5000/team/app");
    assertThat(scope.actions()).containsExactly("pull", "push");
    assertThat(scope).hasToString("repository:host:5000/team/app:pull,push");
  }

  @Test
  void doesParseCatalogWhenActionIsWildcard() {
    assertThat(Scope.parse("registry:catalog:*")).isEqualTo(Scope.catalog());
    assertThat(Scope.catalog().covers(Scope.parse("registry:catalog:list"))).isTrue();
  }

  @Test
  void doesRejectWhenActionsAreMissing() {
    assertThatThrownBy(() -> Scope.parse("repository:app")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type:name:actions");
    assertThatThrownBy(() -> Scope.parse("repository:app:")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void doesMergeScopesWhenTheyNameTheSameResource() {
    ScopeSet set = ScopeSet.of(Scope.pull("b"), Scope.pull("a"), Scope.parse("repository:a:push"));
    assertThat(set.scopes()).extracting(Scope::toString)
        .containsExactly("repository:a:pull,push", "repository:b:pull");
    assertThat(set).isEqualTo(ScopeSet.of(Scope.pullPush("a"), Scope.pull("b")));
  }
}
