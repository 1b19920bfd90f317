package io.slipway.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Upgrades the old class files of one jar in place (see {@link ClassFileUpgrade}). Not safe for
 * two calls on the same jar at once; calls on different jars are independent.
 *
 * <p>The result depends only on the input jar: entries keep their order, names and times, and are
 * written uncompressed, so no zlib version can change its bytes. A jar with nothing to upgrade,
 * including one this class has already upgraded, is left untouched (not even its mtime changes), so
 * the step can run on every build.
 */
public final class JarUpgrade {
  private JarUpgrade() {}

  /** What {@link #upgradeInPlace} did: how many class files it rewrote, of how many. */
  public record Outcome(Path jar, int upgraded, int classFiles) {}

  private record Entry(ZipEntry zip, byte[] bytes) {}

  /** Upgrades {@code jar}; fails naming the jar and entry when one cannot be read or upgraded. */
  public static Outcome upgradeInPlace(Path jar) throws IOException {
    List<Entry> entries = read(jar);
    Map<String, ClassHierarchy.Node> nodes = new HashMap<>();
    int classFiles = 0;
    int old = 0;
    for (Entry entry : entries) {
      if (isClassFile(entry.zip())) {
        classFiles++;
        if (ClassFileUpgrade.needsUpgrade(jar + "!" + entry.zip().getName(), entry.bytes())) {
          old++;
        }
        ClassReader header = new ClassReader(entry.bytes());
        nodes.put(header.getClassName(), new ClassHierarchy.Node(
            header.getSuperName(), (header.getAccess() & Opcodes.ACC_INTERFACE) != 0));
      }
    }
    if (old == 0) {
      return new Outcome(jar, 0, classFiles);
    }
    ClassFileUpgrade upgrade = new ClassFileUpgrade(new ClassHierarchy(nodes));
    Path partial = jar.resolveSibling(jar.getFileName() + ".upgrading");
    try (OutputStream file = Files.newOutputStream(partial);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Entry entry : entries) {
        String name = entry.zip().getName();
        byte[] bytes = isClassFile(entry.zip())
            ? upgrade.upgrade(jar + "!" + name, entry.bytes())
            : entry.bytes();
        out.putNextEntry(storedEntry(entry.zip(), bytes));
        out.write(bytes);
        out.closeEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Outcome(jar, old, classFiles);
  }

  private static boolean isClassFile(ZipEntry entry) {
    return !entry.isDirectory() && entry.getName().endsWith(".class");
  }

  private static List<Entry> read(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + ": no such jar");
    }
    List<Entry> entries = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        try (InputStream in = zip.getInputStream(entry)) {
          entries.add(new Entry(entry, in.readAllBytes()));
        }
      }
    } catch (ZipException e) {
      throw new IOException(jar + " is not a readable jar: " + e.getMessage(), e);
    }
    return entries;
  }

  private static ZipEntry storedEntry(ZipEntry original, byte[] bytes) {
    ZipEntry entry = new ZipEntry(original.getName());
    entry.setTime(original.getTime());
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    return entry;
  }
}
