package io.slipway.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerignoreTest {

  private static Dockerignore ignore(String text) {
    return Dockerignore.parse(".dockerignore", text);
  }

  @Test
  void matchesStarWithinOneElementOnly() {
    Dockerignore ignore = ignore("*.md\n");
    assertThat(ignore.isIgnored("README.md")).isTrue();
    assertThat(ignore.isIgnored("docs/guide.md")).isFalse();
  }

  @Test
  void matchesDoubleStarAcrossElements() {
    Dockerignore ignore = ignore("**/*.md\n");
    assertThat(ignore.isIgnored("README.md")).isTrue();
    assertThat(ignore.isIgnored("docs/a/b/guide.md")).isTrue();
    assertThat(ignore.isIgnored("docs/guide.txt")).isFalse();
    Dockerignore middle = ignore("src/**/test\n");
    assertThat(middle.isIgnored("src/test")).isTrue();
    assertThat(middle.isIgnored("src/a/b/test/x.java")).isTrue();
  }

  @Test
  void matchesEverythingBelowAMatchedDirectory() {
    Dockerignore ignore = ignore("node_modules\n");
    assertThat(ignore.isIgnored("node_modules")).isTrue();
    assertThat(ignore.isIgnored("node_modules/lodash/index.js")).isTrue();
    assertThat(ignore.isIgnored("app/node_modules")).isFalse();
  }

  @Test
  void reincludesWithExceptionWhenLaterPatternNegates() {
    Dockerignore ignore = ignore("*.md\n!README.md\n");
    assertThat(ignore.isIgnored("CHANGELOG.md")).isTrue();
    assertThat(ignore.isIgnored("README.md")).isFalse();
    Dockerignore reversed = ignore("!README.md\n*.md\n");
    assertThat(reversed.isIgnored("README.md")).isTrue();
  }

  @Test
  void cleansLeadingSlashAndDotSlash() {
    Dockerignore ignore = ignore("/build\n./dist/\n  tmp//x  \n");
    assertThat(ignore.patterns()).containsExactly("build", "dist", "tmp/x");
    assertThat(ignore.isIgnored("build/a")).isTrue();
    assertThat(ignore.isIgnored("dist")).isTrue();
    assertThat(ignore.isIgnored("tmp/x")).isTrue();
  }

  @Test
  void skipsCommentsAndBlankLines() {
    Dockerignore ignore = ignore("# comment\n\n   \n a#b\n");
    assertThat(ignore.patterns()).containsExactly("a#b");
  }

  @Test
  void matchesQuestionMarkClassesAndEscapes() {
    Dockerignore ignore = ignore("file?.txt\n[a-c]*.log\n[^x]y\nlit\\*eral\n");
    assertThat(ignore.isIgnored("file1.txt")).isTrue();
    assertThat(ignore.isIgnored("file12.txt")).isFalse();
    assertThat(ignore.isIgnored("b.log")).isTrue();
    assertThat(ignore.isIgnored("d.log")).isFalse();
    assertThat(ignore.isIgnored("zy")).isTrue();
    assertThat(ignore.isIgnored("xy")).isFalse();
    assertThat(ignore.isIgnored("lit*eral")).isTrue();
    assertThat(ignore.isIgnored("litXeral")).isFalse();
  }

  @Test
  void treatsRegexCharactersLiterally() {
    Dockerignore ignore = ignore("a+b(c).txt\n");
    assertThat(ignore.isIgnored("a+b(c).txt")).isTrue();
    assertThat(ignore.isIgnored("aab(c)xtxt")).isFalse();
  }

  @Test
  void rejectsUnclosedClassWithLine() {
    assertThatThrownBy(() -> ignore("ok\n[abc\n"))
        .isInstanceOf(DockerignoreException.class)
        .hasMessage(".dockerignore:2: syntax error in pattern in pattern \"[abc\"");
    assertThatThrownBy(() -> ignore("!\n"))
        .hasMessage(".dockerignore:1: illegal exclusion pattern in pattern \"!\"");
  }

  @Test
  void prefersDockerfileSpecificIgnoreFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(".dockerignore"), "general\n");
    Path dockerfile = Files.createDirectories(dir.resolve("build")).resolve("Dockerfile.prod");
    Files.writeString(dockerfile, "FROM x\n");
    assertThat(Dockerignore.forBuild(dir, dockerfile).patterns()).containsExactly("general");
    Files.writeString(dir.resolve("build/Dockerfile.prod.dockerignore"), "specific\n");
    assertThat(Dockerignore.forBuild(dir, dockerfile).patterns()).containsExactly("specific");
  }

  @Test
  void walksContextKeepingOnlySelectedPaths(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("src/main"));
    Files.createDirectories(dir.resolve("target/classes"));
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("src/main/App.java"), "class App {}");
    Files.writeString(dir.resolve("target/classes/App.class"), "x");
    Files.writeString(dir.resolve("docs/a.md"), "a");
    Files.writeString(dir.resolve("docs/keep.md"), "k");
    Files.writeString(dir.resolve("pom.xml"), "<project/>");
    Dockerignore ignore = ignore("target\ndocs\n!docs/keep.md\n");
    assertThat(ContextSelection.walk(dir, ignore))
        .containsExactly("docs", "docs/keep.md", "pom.xml", "src", "src/main", "src/main/App.java");
  }

  @Test
  void skipsIgnoredDirectoriesWhenNoExceptions(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve(".git/objects"));
    Files.writeString(dir.resolve(".git/objects/x"), "x");
    Files.writeString(dir.resolve("main.go"), "package main");
    assertThat(ContextSelection.walk(dir, ignore(".git\n"))).containsExactly("main.go");
  }

  @Test
  void cleansPathsLikeGo() {
    assertThat(PathNames.clean("./a//b/../c/")).isEqualTo("a/c");
    assertThat(PathNames.clean("/../x")).isEqualTo("/x");
    assertThat(PathNames.clean("../x")).isEqualTo("../x");
    assertThat(PathNames.clean("")).isEqualTo(".");
    assertThat(PathNames.clean("/")).isEqualTo("/");
  }
}
