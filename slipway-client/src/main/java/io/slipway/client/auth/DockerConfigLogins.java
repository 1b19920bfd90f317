package io.slipway.client.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Records and forgets logins in docker's {@code config.json} the way {@code docker login} and
 * {@code docker logout} do: through the registry's credential helper when one is configured,
 * otherwise as a base64 {@code auth} entry. Other fields of the file are kept as they are; the file
 * is replaced atomically and readable by its owner only. Stateless; concurrent logins to one file
 * from several processes may lose one update, as with docker.
 */
public final class DockerConfigLogins {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path configFile;
  private final HelperLaunch helpers;

  /**
   * @param configFile docker's {@code config.json}
   * @param helpers how the registry's {@code docker-credential-*} program is found and run
   */
  public DockerConfigLogins(Path configFile, HelperLaunch helpers) {
    this.configFile = configFile;
    this.helpers = helpers;
  }

  /** Stores {@code username}/{@code password} for {@code registry}; returns where it went. */
  public String store(String registry, String username, String password)
      throws IOException, InterruptedException {
    String serverUrl = RegistryHosts.serverUrl(registry);
    DockerCredentials reader = new DockerCredentials(configFile, null, helpers);
    var helper = reader.helperFor(registry);
    ObjectNode root = read();
    ObjectNode auths = root.withObject("auths");
    removeAliases(auths, registry);
    if (helper.isPresent()) {
      helper.get().store(serverUrl, username, password);
      // docker leaves an empty entry so `docker login` lists the registry.
      auths.putObject(serverUrl);
      write(root);
      return helper.get().program();
    }
    auths.putObject(serverUrl).put("auth", Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    write(root);
    return configFile.toString();
  }

  /** Forgets the login for {@code registry}; returns false when there was none in the file. */
  public boolean remove(String registry) throws IOException, InterruptedException {
    DockerCredentials reader = new DockerCredentials(configFile, null, helpers);
    var helper = reader.helperFor(registry);
    if (helper.isPresent()) {
      helper.get().erase(RegistryHosts.serverUrl(registry));
    }
    ObjectNode root = read();
    boolean removed = removeAliases(root.withObject("auths"), registry);
    write(root);
    return removed || helper.isPresent();
  }

  private static boolean removeAliases(ObjectNode auths, String registry) {
    String host = RegistryHosts.normalize(registry);
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : auths.properties()) {
      if (RegistryHosts.normalize(entry.getKey()).equals(host)) {
        keys.add(entry.getKey());
      }
    }
    keys.forEach(auths::remove);
    return !keys.isEmpty();
  }

  private ObjectNode read() throws IOException {
    if (!Files.exists(configFile)) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(configFile.toFile());
    } catch (IOException e) {
      throw new CredentialConfigException(configFile, "is not valid JSON: " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      return JSON.createObjectNode();
    }
    if (!(node instanceof ObjectNode object)) {
      throw new CredentialConfigException(configFile, "is not a JSON object");
    }
    return object;
  }

  private void write(ObjectNode root) throws IOException {
    Path dir = configFile.toAbsolutePath().getParent();
    if (!Files.exists(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    }
    Path temporary = Files.createTempFile(dir, "config", ".json.tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      Files.move(temporary, configFile, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
