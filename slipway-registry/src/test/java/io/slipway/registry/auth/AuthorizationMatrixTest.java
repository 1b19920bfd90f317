package io.slipway.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.slipway.oci.auth.Scope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Users (and anonymous) × repositories × actions through the whole path: token request, grant,
 * signature, verification, scope check. Then every way a token can be wrong.
 */
class AuthorizationMatrixTest {
  @TempDir Path dir;
  AuthFixture auth;

  @BeforeEach
  void setUp() throws Exception {
    auth = new AuthFixture(dir);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    List<String> callers = new ArrayList<>(AuthFixture.USERS);
    callers.add("");
    for (String user : callers) {
      for (String repository : AuthFixture.REPOSITORIES) {
        for (Action action : Action.values()) {
          cases.add(Arguments.of(user, repository, action));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}/{1}/{2}")
  @MethodSource("matrix")
  void allowsExactlyWhatPolicySaysWhenCallerAsksForOneAction(String user, String repository, Action action)
      throws Exception {
    boolean expected = AuthFixture.expected(user, repository).contains(action);

    TokenGrant grant = auth.service.issue(new TokenRequest("registry.test",
        List.of(Scope.repository(repository, List.of(action.wireName()))), auth.credentials(user),
        false, "127.0.0.1"));
    AuthDecision decision = auth.authorizer.authorize(AuthFixture.request(grant.accessToken(), repository, action));

    String who = user.isEmpty() ? "anonymous" : user;
    assertThat(grant.granted().isEmpty()).as("%s %s %s granted", who, action, repository).isEqualTo(!expected);
    if (expected) {
      assertThat(decision).as("%s %s %s", who, action, repository).isInstanceOf(AuthDecision.Allowed.class);
    } else {
      assertThat(decision).as("%s %s %s", who, action, repository).isInstanceOf(AuthDecision.Refused.class);
      assertThat(challenge(decision)).contains("error=\"insufficient_scope\"");
    }
  }

  @Test
  void grantsIntersectionWhenCallerAsksForMoreThanAllowed() throws Exception {
    TokenGrant grant = auth.service.issue(new TokenRequest(null,
        Scope.parseAll("repository:team/secret:pull,push,delete repository:private/x:pull"),
        auth.credentials("alice"), false, "127.0.0.1"));

    assertThat(grant.granted()).containsExactly(Scope.pull("team/secret"));
  }

  @Test
  void challengesWithRealmServiceAndScopeWhenNoTokenIsSent() {
    AuthDecision decision = auth.authorizer.authorize(AuthFixture.request(null, "team/app", Action.PUSH));

    assertThat(decision).isInstanceOfSatisfying(AuthDecision.Refused.class, refused -> {
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.code()).isEqualTo("UNAUTHORIZED");
      assertThat(refused.headers()).containsEntry("WWW-Authenticate",
          "Bearer realm=\"http://127.0.0.1:5000/token\",service=\"registry.test\","
              + "scope=\"repository:team/app:push\"");
    });
  }

  @Test
  void refusesTokenWhenItHasExpired() throws Exception {
    String token = token("carol", "team/app");
    auth.clock.advance(auth.settings.lifetime().plus(TokenVerifier.DEFAULT_SKEW).plusSeconds(1));

    assertInvalid(token, "team/app", "token expired");
  }

  @Test
  void acceptsTokenWhenExpiryIsWithinClockSkew() throws Exception {
    String token = token("carol", "team/app");
    auth.clock.advance(auth.settings.lifetime().plusSeconds(5));

    assertThat(auth.authorizer.authorize(AuthFixture.request(token, "team/app", Action.PULL)))
        .isInstanceOf(AuthDecision.Allowed.class);
  }

  @Test
  void refusesTokenWhenItIsForAnotherService() throws Exception {
    TokenIssuer other = new TokenIssuer(auth.key, TokenSettings.of("slipway", "other.registry"), auth.clock);
    String token = other.issue("carol", List.of(Scope.pull("team/app"))).token();

    assertInvalid(token, "team/app", "not for registry.test");
  }

  @Test
  void refusesTokenWhenIssuerIsNotTrusted() throws Exception {
    TokenIssuer other = new TokenIssuer(auth.key, TokenSettings.of("mallory", "registry.test"), auth.clock);
    String token = other.issue("carol", List.of(Scope.pull("team/app"))).token();

    assertInvalid(token, "team/app", "issuer mallory is not trusted");
  }

  @Test
  void refusesTokenWhenPayloadWasTamperedWith() throws Exception {
    String token = token("dave", "public/base");
    String[] parts = token.split("\\.");
    String payload = new Base64URL(parts[1]).decodeToString().replace("public/base", "private/x");
    String tampered = parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

    assertInvalid(tampered, "private/x", "signature does not verify");
  }

  @Test
  void refusesTokenWhenAlgorithmIsNone() throws Exception {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    String payload = new Base64URL(token("carol", "team/app").split("\\.")[1]).toString();

    assertInvalid(header + "." + payload + ".", "team/app", "alg none");
  }

  @Test
  void refusesTokenWhenSignedWithPublicKeyAsHmacSecret() throws Exception {
    // The classic algorithm confusion: HS256 keyed with the verifier's public key.
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(auth.key.keyId()).build(), claims("carol", "team/app"));
    jwt.sign(new MACSigner(auth.key.publicJwk().toECPublicKey().getEncoded()));

    assertInvalid(jwt.serialize(), "team/app", "algorithm HS256 is not accepted");
  }

  @Test
  void refusesTokenWhenSignedByUntrustedKey() throws Exception {
    SigningKey stranger = SigningKey.generate();
    String token = new TokenIssuer(stranger, auth.settings, auth.clock)
        .issue("carol", List.of(Scope.pull("team/app"))).token();

    assertInvalid(token, "team/app", "no trusted key has id " + stranger.keyId());
  }

  @Test
  void refusesTokenWhenUntrustedKeyClaimsTrustedKid() throws Exception {
    SigningKey stranger = SigningKey.generate();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(auth.key.keyId()).build(), claims("carol", "team/app"));
    jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(stranger.privateJwk()));

    assertInvalid(jwt.serialize(), "team/app", "signature does not verify");
  }

  @Test
  void refusesTokenForOneRepositoryWhenUsedOnAnother() throws Exception {
    String token = token("carol", "team/app");

    AuthDecision decision = auth.authorizer.authorize(AuthFixture.request(token, "team/secret", Action.PULL));

    assertThat(challenge(decision)).isEqualTo(
        "Bearer realm=\"http://127.0.0.1:5000/token\",service=\"registry.test\","
            + "scope=\"repository:team/secret:pull\",error=\"insufficient_scope\"");
  }

  @Test
  void refusesTokenWhenNotYetValid() throws Exception {
    JWTClaimsSet future = new JWTClaimsSet.Builder(claims("carol", "team/app"))
        .notBeforeTime(Date.from(auth.clock.instant().plus(Duration.ofMinutes(2)))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(auth.key.keyId()).build(), future);
    jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(auth.key.privateJwk()));

    assertInvalid(jwt.serialize(), "team/app", "not valid before");
  }

  @Test
  void acceptsExternalRs256TokenWhenIssuerJwksIsTrusted() throws Exception {
    RSAKey external = new RSAKeyGenerator(2048).keyID("ext-1").generate();
    TokenVerifier verifier = new TokenVerifier(
        TrustedKeys.of(List.of(external)), List.of("corp-auth"), "registry.test",
        List.of(JWSAlgorithm.RS256), TokenVerifier.DEFAULT_SKEW, auth.clock);
    TokenAuthorizer authorizer = new TokenAuthorizer(verifier, "https://auth.corp/token", auth.policy);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ext-1").build(),
        new JWTClaimsSet.Builder(claims("zed", "team/app")).issuer("corp-auth").build());
    jwt.sign(new RSASSASigner(external));

    assertThat(authorizer.authorize(AuthFixture.request(jwt.serialize(), "team/app", Action.PULL)))
        .isInstanceOf(AuthDecision.Allowed.class);
    TokenVerifier esOnly = new TokenVerifier(
        TrustedKeys.of(List.of(external)), List.of("corp-auth"), "registry.test",
        List.of(JWSAlgorithm.ES256), TokenVerifier.DEFAULT_SKEW, auth.clock);
    assertThat(new TokenAuthorizer(esOnly, "https://auth.corp/token", auth.policy)
            .authorize(AuthFixture.request(jwt.serialize(), "team/app", Action.PULL)))
        .isInstanceOfSatisfying(AuthDecision.Refused.class, refused ->
            assertThat(refused.message()).contains("algorithm RS256 is not accepted"));
  }

  @Test
  void listsOnlyPullableRepositoriesWhenFilteringCatalog() throws Exception {
    String token = auth.service.issue(new TokenRequest(null, List.of(Scope.catalog()),
        auth.credentials("alice"), false, "127.0.0.1")).accessToken();
    AuthDecision decision = auth.authorizer.authorize(
        AccessRequest.catalog("Bearer " + token, java.net.URI.create("http://127.0.0.1:5000")));

    assertThat(decision).isInstanceOfSatisfying(AuthDecision.Allowed.class, allowed ->
        assertThat(auth.authorizer.visibleRepositories(allowed.caller(), AuthFixture.REPOSITORIES))
            .containsExactly("team/app", "team/secret", "public/base"));
  }

  @Test
  void refusesMountWhenCallerCannotPullSource() throws Exception {
    String token = auth.service.issue(new TokenRequest(null,
        Scope.parseAll("repository:public/base:pull,push repository:team/secret:pull"),
        auth.credentials("dave"), false, "127.0.0.1")).accessToken();
    AuthDecision decision = auth.authorizer.authorize(AuthFixture.request(token, "public/base", Action.PUSH));

    assertThat(decision).isInstanceOfSatisfying(AuthDecision.Allowed.class, allowed -> {
      assertThat(auth.authorizer.mayPull(allowed.caller(), "team/secret")).isFalse();
      assertThat(auth.authorizer.mayPull(allowed.caller(), "team/app")).isFalse();
      assertThat(auth.authorizer.mayPull(allowed.caller(), "public/base")).isTrue();
    });
  }

  private String token(String user, String repository) throws Exception {
    TokenGrant grant = auth.service.issue(new TokenRequest(null, List.of(Scope.pull(repository)),
        auth.credentials(user), false, "127.0.0.1"));
    assertThat(grant.granted()).isNotEmpty();
    return grant.accessToken();
  }

  private JWTClaimsSet claims(String subject, String repository) {
    return new JWTClaimsSet.Builder()
        .issuer("slipway").subject(subject).audience("registry.test")
        .issueTime(Date.from(auth.clock.instant()))
        .expirationTime(Date.from(auth.clock.instant().plus(Duration.ofMinutes(5))))
        .claim("access", List.of(Map.of("type", "repository", "name", repository, "actions", List.of("pull"))))
        .build();
  }

  private void assertInvalid(String token, String repository, String message) {
    AuthDecision decision = auth.authorizer.authorize(AuthFixture.request(token, repository, Action.PULL));
    assertThat(decision).isInstanceOfSatisfying(AuthDecision.Refused.class, refused -> {
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.message()).contains(message);
      assertThat(refused.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"")
          .contains("scope=\"repository:" + repository + ":pull\"");
    });
  }

  private static String challenge(AuthDecision decision) {
    assertThat(decision).isInstanceOf(AuthDecision.Refused.class);
    return ((AuthDecision.Refused) decision).headers().get("WWW-Authenticate");
  }
}
