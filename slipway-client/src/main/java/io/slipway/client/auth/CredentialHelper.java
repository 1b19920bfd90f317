package io.slipway.client.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a docker credential helper ({@code docker-credential-NAME get|store|erase}) following the
 * docker-credential-helpers protocol: the server URL (or a JSON record for {@code store}) on
 * standard input, a JSON record {@code {ServerURL, Username, Secret}} on standard output.
 *
 * <p>Every run has a deadline: a helper that does not exit in time is killed with its child
 * processes, and the error names the helper and the registry. A user name of {@code <token>} marks
 * the secret as an identity token. The helper runs with the environment and working directory of
 * its {@link HelperLaunch}, never inheriting this process's. Immutable and thread-safe; each call
 * starts its own process.
 */
public final class CredentialHelper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final HelperLaunch launch;

  /**
   * @param name the helper suffix, such as {@code pass} for {@code docker-credential-pass}
   * @param launch where the program is found and what it runs with
   */
  public CredentialHelper(String name, HelperLaunch launch) {
    this.name = Objects.requireNonNull(name, "name");
    this.launch = Objects.requireNonNull(launch, "launch");
  }

  /** The program name, {@code docker-credential-NAME}. */
  public String program() {
    return "docker-credential-" + name;
  }

  /** The stored credential for {@code serverUrl}, or empty when the helper has none. */
  public Optional<Credential> get(String serverUrl) throws IOException, InterruptedException {
    Result result = run("get", serverUrl, serverUrl);
    if (result.exitCode() != 0) {
      String message = result.output().trim();
      if (message.toLowerCase(Locale.ROOT).contains("credentials not found")) {
        return Optional.empty();
      }
      throw new CredentialHelperException(program(),
          "`get` for " + serverUrl + " exited with " + result.exitCode() + ": " + message);
    }
    JsonNode root;
    try {
      root = JSON.readTree(result.output());
    } catch (IOException e) {
      throw new CredentialHelperException(program(),
          "`get` for " + serverUrl + " printed something that is not JSON");
    }
    String username = root == null ? null : text(root, "Username");
    String secret = root == null ? null : text(root, "Secret");
    if (secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    if (username == null || username.equals("<token>")) {
      return Optional.of(new Credential.IdentityToken(username == null ? "<token>" : username, secret));
    }
    return Optional.of(new Credential.UsernamePassword(username, secret));
  }

  /** Stores a user name and secret for {@code serverUrl}. */
  public void store(String serverUrl, String username, String secret)
      throws IOException, InterruptedException {
    String record = JSON.createObjectNode()
        .put("ServerURL", serverUrl)
        .put("Username", username)
        .put("Secret", secret)
        .toString();
    Result result = run("store", record, serverUrl);
    if (result.exitCode() != 0) {
      throw new CredentialHelperException(program(),
          "`store` for " + serverUrl + " exited with " + result.exitCode() + ": "
              + result.output().trim());
    }
  }

  /** Removes what is stored for {@code serverUrl}. */
  public void erase(String serverUrl) throws IOException, InterruptedException {
    Result result = run("erase", serverUrl, serverUrl);
    if (result.exitCode() != 0
        && !result.output().toLowerCase(Locale.ROOT).contains("credentials not found")) {
      throw new CredentialHelperException(program(),
          "`erase` for " + serverUrl + " exited with " + result.exitCode() + ": "
              + result.output().trim());
    }
  }

  private record Result(int exitCode, String output) {}

  private Result run(String action, String input, String serverUrl)
      throws IOException, InterruptedException {
    Path executable = locate().orElseThrow(() -> new CredentialHelperException(program(),
        "not found in " + launch.searchPath() + "; install it or remove it from config.json"));
    ProcessBuilder builder = new ProcessBuilder(executable.toString(), action)
        .directory(launch.workingDirectory().toFile())
        .redirectErrorStream(true);
    // Replaced, not inherited: a build server's own AWS_PROFILE or CLOUDSDK_CONFIG would make a
    // client's push authenticate as another account.
    builder.environment().clear();
    builder.environment().putAll(launch.environment());
    Duration timeout = launch.timeout();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CredentialHelperException(program(), "cannot start: " + e.getMessage(), e);
    }
    try {
      // Read output on another thread so a helper that fills the pipe cannot stall the deadline.
      CompletableFuture<byte[]> output = new CompletableFuture<>();
      Thread.ofVirtual().name(program() + "-output").start(() -> {
        try (InputStream in = process.getInputStream()) {
          output.complete(in.readAllBytes());
        } catch (IOException e) {
          output.completeExceptionally(e);
        }
      });
      try (OutputStream in = process.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // A helper may exit without reading its input; its exit code says what happened.
      }
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new CredentialHelperException(program(),
            "`" + action + "` for " + serverUrl + " did not finish within " + timeout
                + " and was killed; is it waiting for a password prompt or a locked keychain?");
      }
      byte[] bytes = output.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Result(process.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    } catch (ExecutionException | TimeoutException e) {
      throw new CredentialHelperException(program(), "cannot read its output: " + e, e);
    } finally {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  private Optional<Path> locate() {
    for (Path dir : launch.searchPath()) {
      // A relative PATH entry names a directory under the caller's working directory, as in a
      // shell; resolved here, the program's path does not depend on this process's.
      Path candidate = launch.workingDirectory().resolve(dir).resolve(program());
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
