package io.slipway.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import picocli.CommandLine;

class JarUpgradeTest {

  private static Path picocliJar() throws URISyntaxException {
    return Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Path copyOfPicocli(Path dir, String name) throws Exception {
    return Files.copy(picocliJar(), dir.resolve(name));
  }

  private static List<String> names(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
    }
  }

  private static List<Integer> classVersions(Path jar) throws IOException {
    List<Integer> versions = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
          try (InputStream in = zip.getInputStream(entry)) {
            versions.add(ClassFileUpgrade.majorVersion(entry.getName(), in.readAllBytes()));
          }
        }
      }
    }
    return versions;
  }

  @Test
  void upgradesEveryPicocliClassAndTheJvmVerifiesThem(@TempDir Path dir) throws Exception {
    Path jar = copyOfPicocli(dir, "picocli.jar");
    assertThat(classVersions(jar)).as("picocli ships Java 5 class files").contains(49);

    JarUpgrade.Outcome outcome = JarUpgrade.upgradeInPlace(jar);

    List<Integer> versions = classVersions(jar);
    assertThat(outcome.upgraded()).isEqualTo(versions.size()).isGreaterThan(100);
    assertThat(versions).containsOnly(ClassFileUpgrade.TARGET_MAJOR);
    assertThat(names(jar)).isEqualTo(names(picocliJar()));
    // Initializing links each class, and from version 51 on linking runs the type-checking
    // verifier with no fallback: a wrong or missing stack-map frame is a VerifyError here.
    List<String> classes = names(jar).stream()
        .filter(n -> n.startsWith("picocli/") && n.endsWith(".class"))
        .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (String name : classes) {
        Class<?> type = Class.forName(name, true, loader);
        assertThat(type.getClassLoader()).as(name).isSameAs(loader);
      }
    }
  }

  @Test
  void isReproducibleAndLeavesAnUpgradedJarUntouched(@TempDir Path dir) throws Exception {
    Path first = copyOfPicocli(dir, "first.jar");
    Path second = copyOfPicocli(dir, "second.jar");
    JarUpgrade.upgradeInPlace(first);
    JarUpgrade.upgradeInPlace(second);
    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));

    byte[] upgraded = Files.readAllBytes(first);
    FileTime mtime = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(first, mtime);
    JarUpgrade.Outcome again = JarUpgrade.upgradeInPlace(first);

    assertThat(again.upgraded()).isZero();
    assertThat(again.classFiles()).isGreaterThan(100);
    assertThat(Files.readAllBytes(first)).isEqualTo(upgraded);
    assertThat(Files.getLastModifiedTime(first)).isEqualTo(mtime);
  }

  @Test
  void refusesAFileThatIsNotAJar(@TempDir Path dir) throws Exception {
    Path notJar = Files.writeString(dir.resolve("notes.jar"), "plain text");

    assertThatThrownBy(() -> JarUpgrade.upgradeInPlace(notJar))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(notJar + " is not a readable jar");
    assertThatThrownBy(() -> JarUpgrade.upgradeInPlace(dir.resolve("missing.jar")))
        .hasMessageContaining("missing.jar: no such jar");
  }

  @Test
  void refusesAnEntryNamedClassThatIsNoClassFile(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("odd.jar");
    writeJar(jar, "a/Odd.class", "not bytecode".getBytes());

    assertThatThrownBy(() -> JarUpgrade.upgradeInPlace(jar))
        .hasMessageContaining("odd.jar!a/Odd.class is not a class file");
  }

  @Test
  void refusesSubroutinesAndLeavesTheJarAsItWas(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("old.jar");
    writeJar(jar, "a/Old.class", classWithSubroutine());
    byte[] before = Files.readAllBytes(jar);

    assertThatThrownBy(() -> JarUpgrade.upgradeInPlace(jar))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("old.jar!a/Old.class: method run()V uses jsr/ret subroutines");
    assertThat(Files.readAllBytes(jar)).isEqualTo(before);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(jar);
    }
  }

  private static void writeJar(Path jar, String name, byte[] bytes) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream out = new ZipOutputStream(file)) {
      out.putNextEntry(new ZipEntry(name));
      out.write(bytes);
      out.closeEntry();
    }
  }

  /** A Java 1.4 style class whose {@code run()} calls a {@code jsr} subroutine, as old javac did. */
  private static byte[] classWithSubroutine() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V1_4, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "a/Old", null,
        "java/lang/Object", null);
    MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
    run.visitCode();
    Label subroutine = new Label();
    run.visitJumpInsn(Opcodes.JSR, subroutine);
    run.visitInsn(Opcodes.RETURN);
    run.visitLabel(subroutine);
    run.visitVarInsn(Opcodes.ASTORE, 1);
    run.visitVarInsn(Opcodes.RET, 1);
    run.visitMaxs(0, 0);
    run.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
