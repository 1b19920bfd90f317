package io.slipway.cli.buildserver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client asks the build server to run: the command's arguments and everything of the
 * client's process they may depend on, so that the server runs them as the client would have:
 * its working directory (relative paths), its environment (credentials, {@code SOURCE_DATE_EPOCH},
 * secrets from variables, tracing) and its terminal. {@code build} names the client's code
 * ({@link BuildIdentity}): a server running other code declines, as its flags or cache may differ.
 * Immutable.
 *
 * @param build the client's {@link BuildIdentity}
 * @param arguments the command's arguments, without the command's name
 * @param workingDirectory the client's working directory, absolute
 * @param environment the client's environment variables
 * @param stderrIsTerminal whether the client's standard error is an interactive terminal
 * @param terminalWidth the client's terminal width in columns, or 0 when not a terminal
 */
public record BuildServerRequest(String build, List<String> arguments, Path workingDirectory,
    Map<String, String> environment, boolean stderrIsTerminal, int terminalWidth) {

  /** Bumped whenever the encoding changes; a server refuses requests of another version. */
  static final int PROTOCOL = 1;

  private static final int MAX_ENTRIES = 100_000;

  public BuildServerRequest {
    arguments = List.copyOf(arguments);
    environment = Map.copyOf(environment);
    if (!workingDirectory.isAbsolute()) {
      throw new IllegalArgumentException("working directory must be absolute: "
          + workingDirectory);
    }
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(PROTOCOL);
      writeString(out, build);
      writeString(out, workingDirectory.toString());
      out.writeInt(arguments.size());
      for (String argument : arguments) {
        writeString(out, argument);
      }
      out.writeInt(environment.size());
      for (Map.Entry<String, String> variable : environment.entrySet()) {
        writeString(out, variable.getKey());
        writeString(out, variable.getValue());
      }
      out.writeBoolean(stderrIsTerminal);
      out.writeInt(terminalWidth);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a request.
   *
   * @throws IOException naming what is wrong when the bytes are not a request of this protocol
   */
  static BuildServerRequest decode(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    try {
      int protocol = in.readInt();
      if (protocol != PROTOCOL) {
        throw new IOException("build server protocol " + protocol + " is not " + PROTOCOL);
      }
      String build = readString(in);
      String directory = readString(in);
      int argumentCount = count(in);
      List<String> arguments = new ArrayList<>(argumentCount);
      for (int i = 0; i < argumentCount; i++) {
        arguments.add(readString(in));
      }
      int variableCount = count(in);
      Map<String, String> environment = new LinkedHashMap<>();
      for (int i = 0; i < variableCount; i++) {
        environment.put(readString(in), readString(in));
      }
      boolean terminal = in.readBoolean();
      int width = in.readInt();
      if (in.available() > 0) {
        throw new IOException("build server request: " + in.available() + " bytes after its end");
      }
      Path workingDirectory = Path.of(directory);
      if (!workingDirectory.isAbsolute()) {
        throw new IOException("build server request: working directory is not absolute: "
            + directory);
      }
      return new BuildServerRequest(build, arguments, workingDirectory, environment, terminal,
          width);
    } catch (java.io.EOFException e) {
      throw new IOException("build server request: truncated", e);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IOException("build server request: bad working directory: " + e.getMessage(), e);
    }
  }

  private static int count(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_ENTRIES) {
      throw new IOException("build server request: " + count + " entries (at most "
          + MAX_ENTRIES + ")");
    }
    return count;
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("build server request: a string of " + length + " bytes where "
          + in.available() + " remain");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
