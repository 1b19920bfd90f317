package io.slipway.client.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.auth.Scope;
import org.junit.jupiter.api.Test;

class ScopeSetTest {

  @Test
  void doesMergeScopesWhenTheyNameTheSameResource() {
    ScopeSet set = ScopeSet.of(Scope.pull("b"), Scope.pull("a"), Scope.parse("repository:a:push"));
    assertThat(set.scopes()).extracting(Scope::toString)
        .containsExactly("repository:a:pull,push", "repository:b:pull");
    assertThat(set).isEqualTo(ScopeSet.of(Scope.pullPush("a"), Scope.pull("b")));
  }
}
