package io.slipway.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WwwAuthenticateTest {

  @Test
  void doesParseBearerWhenParametersAreQuoted() throws Exception {
    List<AuthChallenge> challenges = WwwAuthenticate.parse(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
            + "scope=\"repository:library/busybox:pull\"");
    assertThat(challenges).containsExactly(new AuthChallenge("bearer", Map.of(
        "realm", "https://auth.docker.io/token",
        "service", "registry.docker.io",
        "scope", "repository:library/busybox:pull")));
  }

  @Test
  void doesKeepCommasWhenTheyAreInsideQuotes() throws Exception {
    AuthChallenge challenge = WwwAuthenticate.parse(
        "Bearer realm=\"https://r/token\", scope=\"repository:a/b:pull,push\"").getFirst();
    assertThat(challenge.parameter("scope")).contains("repository:a/b:pull,push");
  }

  @Test
  void doesSplitChallengesWhenHeaderHoldsSeveral() throws Exception {
    List<AuthChallenge> challenges = WwwAuthenticate.parse(
        "Basic realm=\"Registry Realm\", Bearer realm=\"https://r/token\",service=\"s\", Negotiate");
    assertThat(challenges).extracting(AuthChallenge::scheme)
        .containsExactly("basic", "bearer", "negotiate");
    assertThat(challenges.get(1).parameters()).containsOnlyKeys("realm", "service");
  }

  @Test
  void doesUnescapeWhenQuotedValueHasBackslashes() throws Exception {
    AuthChallenge challenge = WwwAuthenticate.parse("Basic realm=\"a \\\"b\\\" c\"").getFirst();
    assertThat(challenge.parameter("realm")).contains("a \"b\" c");
  }

  @Test
  void doesAcceptUnquotedUrlWhenServerSendsOne() throws Exception {
    AuthChallenge challenge = WwwAuthenticate.parse(
        "bearer REALM=https://r:5001/token,Service=reg").getFirst();
    assertThat(challenge.isBearer()).isTrue();
    assertThat(challenge.parameter("realm")).contains("https://r:5001/token");
    assertThat(challenge.parameter("service")).contains("reg");
  }

  @Test
  void doesRejectWhenQuoteIsUnterminated() {
    assertThatThrownBy(() -> WwwAuthenticate.parse("Bearer realm=\"https://r/token"))
        .isInstanceOf(MalformedChallengeException.class)
        .hasMessageContaining("unterminated quoted string")
        .hasMessageContaining("position 13");
  }

  @Test
  void doesRejectWhenHeaderIsEmpty() {
    assertThatThrownBy(() -> WwwAuthenticate.parse("  "))
        .isInstanceOf(MalformedChallengeException.class).hasMessageContaining("no challenge");
  }

  @Test
  void doesRejectWhenParameterHasNoValue() {
    assertThatThrownBy(() -> WwwAuthenticate.parse("Bearer realm="))
        .isInstanceOf(MalformedChallengeException.class).hasMessageContaining("missing value");
  }

  @Test
  void doesRejectWhenParameterAppearsTwice() {
    assertThatThrownBy(() -> WwwAuthenticate.parse("Bearer realm=\"a\", realm=\"b\""))
        .isInstanceOf(MalformedChallengeException.class)
        .hasMessageContaining("\"realm\" appears twice");
  }

  @Test
  void doesRejectWhenSchemeIsFollowedByToken68() {
    assertThatThrownBy(() -> WwwAuthenticate.parse("Bearer abc def"))
        .isInstanceOf(MalformedChallengeException.class)
        .hasMessageContaining("expected \"=\" after parameter \"abc\"");
  }
}
