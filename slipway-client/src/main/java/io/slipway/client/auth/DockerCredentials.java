package io.slipway.client.auth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials as docker and podman find them, in docker's order: in {@code config.json}, the
 * {@code credHelpers} entry for the registry, then the {@code credsStore} helper, then the {@code
 * auths} entry ({@code auth} as base64 {@code user:password}, or {@code username}/{@code password},
 * or {@code identitytoken}); then the {@code auths} of containers' {@code auth.json}. Keys are
 * matched after {@link RegistryHosts#normalize}, so Docker Hub's aliases all match.
 *
 * <p>The files are read on every look-up, so a {@code login} in another process is seen at once.
 * This class does not read the environment: the command line resolves {@code $DOCKER_CONFIG} and
 * {@code $XDG_RUNTIME_DIR} into the paths given here, and gives helpers the caller's environment
 * through {@link HelperLaunch}. Immutable and thread-safe.
 */
public final class DockerCredentials implements CredentialSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> dockerConfig;
  private final Optional<Path> containersAuth;
  private final HelperLaunch helpers;

  /**
   * @param dockerConfig docker's {@code config.json}, or null to skip it
   * @param containersAuth containers' {@code auth.json}, or null to skip it
   * @param helpers how {@code docker-credential-*} programs are found and run
   */
  public DockerCredentials(Path dockerConfig, Path containersAuth, HelperLaunch helpers) {
    this.dockerConfig = Optional.ofNullable(dockerConfig);
    this.containersAuth = Optional.ofNullable(containersAuth);
    this.helpers = Objects.requireNonNull(helpers, "helpers");
  }

  @Override
  public Credential lookup(String registry) throws IOException, InterruptedException {
    String host = RegistryHosts.normalize(registry);
    if (dockerConfig.isPresent()) {
      Optional<JsonNode> config = read(dockerConfig.get());
      if (config.isPresent()) {
        Optional<String> helperName = helperName(config.get(), host);
        if (helperName.isPresent()) {
          Optional<Credential> fromHelper =
              helper(helperName.get()).get(RegistryHosts.serverUrl(host));
          if (fromHelper.isPresent()) {
            return fromHelper.get();
          }
        }
        Optional<Credential> fromAuths =
            decode(dockerConfig.get(), matching(config.get().get("auths"), host));
        if (fromAuths.isPresent()) {
          return fromAuths.get();
        }
      }
    }
    if (containersAuth.isPresent()) {
      Optional<JsonNode> auth = read(containersAuth.get());
      if (auth.isPresent()) {
        Optional<Credential> fromAuths =
            decode(containersAuth.get(), matching(auth.get().get("auths"), host));
        if (fromAuths.isPresent()) {
          return fromAuths.get();
        }
      }
    }
    return new Credential.Anonymous();
  }

  /** The helper configured for {@code registry} in {@code config.json}, if any. */
  public Optional<CredentialHelper> helperFor(String registry) throws IOException {
    if (dockerConfig.isEmpty()) {
      return Optional.empty();
    }
    Optional<JsonNode> config = read(dockerConfig.get());
    if (config.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> name = helperName(config.get(), RegistryHosts.normalize(registry));
    return name.map(this::helper);
  }

  private static Optional<String> helperName(JsonNode config, String host) {
    Optional<String> name = matching(config.get("credHelpers"), host)
        .filter(JsonNode::isTextual).map(JsonNode::asText);
    if (name.isPresent()) {
      return name;
    }
    JsonNode store = config.get("credsStore");
    return store != null && store.isTextual() && !store.asText().isEmpty()
        ? Optional.of(store.asText())
        : Optional.empty();
  }

  private CredentialHelper helper(String name) {
    return new CredentialHelper(name, helpers);
  }

  private static Optional<JsonNode> read(Path file) throws CredentialConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CredentialConfigException(file, "cannot read: " + e.getMessage(), e);
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || root.isMissingNode()) {
        return Optional.empty();
      }
      if (!root.isObject()) {
        throw new CredentialConfigException(file, "is not a JSON object");
      }
      return Optional.of(root);
    } catch (JacksonException e) {
      throw new CredentialConfigException(file,
          "is not valid JSON at line " + e.getLocation().getLineNr() + ": "
              + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CredentialConfigException(file, "cannot parse: " + e.getMessage(), e);
    }
  }

  private static Optional<JsonNode> matching(JsonNode map, String host) {
    if (map == null || !map.isObject()) {
      return Optional.empty();
    }
    List<JsonNode> matches = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : map.properties()) {
      if (entry.getKey().equals(host)) {
        return Optional.of(entry.getValue());
      }
      if (RegistryHosts.normalize(entry.getKey()).equals(host)) {
        matches.add(entry.getValue());
      }
    }
    return matches.stream().findFirst();
  }

  private static Optional<Credential> decode(Path file, Optional<JsonNode> entry)
      throws CredentialConfigException {
    if (entry.isEmpty() || !entry.get().isObject()) {
      return Optional.empty();
    }
    JsonNode node = entry.get();
    String username = text(node, "username");
    String password = text(node, "password");
    String auth = text(node, "auth");
    if (auth != null && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new CredentialConfigException(file, "an \"auth\" value is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new CredentialConfigException(file,
            "an \"auth\" value does not decode to user:password");
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    String identityToken = text(node, "identitytoken");
    if (identityToken != null && !identityToken.isEmpty()) {
      return Optional.of(new Credential.IdentityToken(
          username == null || username.isEmpty() ? "<token>" : username, identityToken));
    }
    if (username != null && !username.isEmpty() && password != null) {
      return Optional.of(new Credential.UsernamePassword(username, password));
    }
    return Optional.empty();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
