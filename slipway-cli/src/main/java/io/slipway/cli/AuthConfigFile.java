package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.slipway.registry.auth.AccessRule;
import io.slipway.registry.auth.Action;
import io.slipway.registry.auth.AuthConfig;
import io.slipway.registry.auth.RepositoryGlob;
import io.slipway.registry.auth.TokenHandler;
import io.slipway.registry.auth.TokenSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code auth} section of {@code registry.yaml}; its presence turns access control on.
 *
 * <pre>
 * auth:
 *   htpasswd: {path: htpasswd}            # users, bcrypt entries
 *   token:
 *     realm: /token                       # or an absolute URL of an external token service
 *     service: slipway                    # aud of tokens, service= of challenges
 *     issuer: slipway
 *     expiration: 5m                      # at least 60s
 *     key: token-key.pem                  # ES256 key, generated on first start
 *     builtin: true                       # false: only accept an external issuer's tokens
 *     algorithms: [ES256, RS256]
 *     external:
 *       - {issuer: corp-auth, jwks: corp.jwks}
 *       - {issuer: corp-auth, pem: corp-public.pem}
 *   groups: {devs: [alice, bob]}
 *   access:                               # first match wins; nothing matching is denied
 *     - {groups: [devs], repository: "team/**", actions: [pull, push]}
 *     - {anonymous: true, repository: "public/**", actions: [pull]}
 *   ratelimit: {failures: 5, window: 1m}
 * </pre>
 *
 * Relative paths are resolved against the file's directory, except the default key, which lives
 * under the registry root. Stateless.
 */
final class AuthConfigFile {
  private AuthConfigFile() {}

  /** The auth settings of {@code file}, or empty when it has no {@code auth} section. */
  static Optional<AuthConfig> read(Path file, Path registryRoot) throws IOException {
    JsonNode auth = tree(file).path("auth");
    if (auth.isMissingNode() || auth.isNull()) {
      return Optional.empty();
    }
    Path dir = file.toAbsolutePath().getParent();
    JsonNode token = auth.path("token");
    boolean builtin = !token.has("builtin") || token.path("builtin").asBoolean(true);
    String htpasswd = text(auth.path("htpasswd").path("path"));
    if (builtin && htpasswd == null) {
      throw new IOException(file + ": auth.htpasswd.path is required for the built-in token service");
    }
    String service = Optional.ofNullable(text(token.path("service"))).orElse("slipway");
    String issuer = Optional.ofNullable(text(token.path("issuer"))).orElse(service);
    Duration lifetime = Duration.ofMinutes(5);
    String expiration = text(token.path("expiration"));
    if (expiration != null) {
      lifetime = RegistryConfigFile.duration(file, "auth.token.expiration", expiration);
    }
    TokenSettings settings;
    try {
      // Refresh tokens live 30 days, or as long as access tokens when those are set longer.
      Duration refresh = lifetime.compareTo(Duration.ofDays(30)) > 0 ? lifetime : Duration.ofDays(30);
      settings = new TokenSettings(issuer, service, lifetime, refresh);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": auth.token: " + e.getMessage(), e);
    }
    String key = text(token.path("key"));
    Path keyPath = key == null ? registryRoot.resolve("token-key.pem") : dir.resolve(key);
    List<Path> jwks = new ArrayList<>();
    List<Path> pems = new ArrayList<>();
    Set<String> issuers = new LinkedHashSet<>();
    for (JsonNode external : token.path("external")) {
      String externalIssuer = text(external.path("issuer"));
      if (externalIssuer == null) {
        throw new IOException(file + ": each auth.token.external entry needs an issuer");
      }
      issuers.add(externalIssuer);
      Optional.ofNullable(text(external.path("jwks"))).ifPresent(p -> jwks.add(dir.resolve(p)));
      Optional.ofNullable(text(external.path("pem"))).ifPresent(p -> pems.add(dir.resolve(p)));
    }
    Set<String> algorithms = new LinkedHashSet<>();
    for (JsonNode algorithm : token.path("algorithms")) {
      algorithms.add(algorithm.asText());
    }
    if (algorithms.isEmpty()) {
      algorithms.add("ES256");
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    auth.path("groups").properties().forEach(entry -> {
      List<String> members = new ArrayList<>();
      entry.getValue().forEach(member -> members.add(member.asText()));
      groups.put(entry.getKey(), members);
    });
    List<AccessRule> rules = new ArrayList<>();
    int index = 0;
    for (JsonNode rule : auth.path("access")) {
      rules.add(rule(file, index++, rule));
    }
    JsonNode rate = auth.path("ratelimit");
    int failures = rate.path("failures").asInt(5);
    Duration window = text(rate.path("window")) == null
        ? Duration.ofMinutes(1)
        : RegistryConfigFile.duration(file, "auth.ratelimit.window", text(rate.path("window")));
    try {
      return Optional.of(new AuthConfig(builtin, htpasswd == null ? null : dir.resolve(htpasswd),
          keyPath, settings, Optional.ofNullable(text(token.path("realm"))).orElse(TokenHandler.DEFAULT_PATH),
          TokenHandler.DEFAULT_PATH, jwks, pems, issuers, algorithms, rules, groups, failures, window));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": auth: " + e.getMessage(), e);
    }
  }

  /** The htpasswd path of {@code file}'s auth section, for {@code slipway registry user add}. */
  static Optional<Path> htpasswd(Path file) throws IOException {
    String path = text(tree(file).path("auth").path("htpasswd").path("path"));
    return Optional.ofNullable(path).map(p -> file.toAbsolutePath().getParent().resolve(p));
  }

  private static AccessRule rule(Path file, int index, JsonNode rule) throws IOException {
    String where = file + ": auth.access[" + index + "]";
    Set<String> users = new LinkedHashSet<>();
    rule.path("users").forEach(user -> users.add(user.asText()));
    Set<String> groups = new LinkedHashSet<>();
    rule.path("groups").forEach(group -> groups.add(group.asText()));
    String repository = text(rule.path("repository"));
    if (repository == null) {
      throw new IOException(where + ": repository is required (a glob such as team/** or **)");
    }
    Set<Action> actions = EnumSet.noneOf(Action.class);
    for (JsonNode action : rule.path("actions")) {
      if ("*".equals(action.asText())) {
        actions.addAll(EnumSet.allOf(Action.class));
        continue;
      }
      actions.add(Action.fromWireName(action.asText()).orElseThrow(() -> new IOException(
          where + ": unknown action \"" + action.asText() + "\"; use pull, push, delete or *")));
    }
    try {
      return new AccessRule(users, groups, rule.path("anonymous").asBoolean(false),
          RepositoryGlob.of(repository), actions);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode tree(Path file) throws IOException {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      return root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root;
    } catch (IOException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
