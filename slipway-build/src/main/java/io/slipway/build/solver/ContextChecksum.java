package io.slipway.build.solver;

import io.slipway.build.context.ContextSelection;
import io.slipway.build.context.Dockerignore;
import io.slipway.build.fileop.Globs;
import io.slipway.build.graph.Operation;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The content checksum of the build-context files a {@link Operation.Local} source selects: every
 * kept path that an include pattern names (or lies below one), with its type, permission bits,
 * link target and, for files, content. Part of the cache key of every step reading the source, so
 * changing a file changes the key of exactly the COPY steps that select it. Stateless and
 * thread-safe.
 */
public final class ContextChecksum {

  private ContextChecksum() {}

  /** The ignore rules of {@code local} (the .dockerignore patterns, then {@code --exclude}). */
  public static Dockerignore ignore(Operation.Local local) {
    return Dockerignore.parse(".dockerignore", String.join("\n", local.excludePatterns()));
  }

  /** The checksum of what {@code local} selects in {@code contextDir}. */
  public static Digest of(Path contextDir, Operation.Local local) throws IOException {
    List<Pattern> includes = new ArrayList<>();
    for (String include : local.includePatterns()) {
      includes.add(Globs.compile(include));
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[64 * 1024];
    for (String path : ContextSelection.walk(contextDir, ignore(local))) {
      if (!selected(includes, path)) {
        continue;
      }
      Path file = contextDir.resolve(path);
      int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      sha.update((path + "\0" + Integer.toOctalString(mode) + "\0").getBytes(StandardCharsets.UTF_8));
      if (Files.isSymbolicLink(file)) {
        sha.update(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
      } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        sha.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
          }
        }
      }
      sha.update((byte) '\n');
    }
    return Digest.fromHash(io.slipway.oci.DigestAlgorithm.SHA256, sha.digest());
  }

  /** True when an include pattern matches {@code path} or one of its parents (or no includes). */
  private static boolean selected(List<Pattern> includes, String path) {
    if (includes.isEmpty()) {
      return true;
    }
    for (Pattern include : includes) {
      String candidate = path;
      while (true) {
        if (include.matcher(candidate).matches()) {
          return true;
        }
        int slash = candidate.lastIndexOf('/');
        if (slash < 0) {
          break;
        }
        candidate = candidate.substring(0, slash);
      }
    }
    return false;
  }
}
