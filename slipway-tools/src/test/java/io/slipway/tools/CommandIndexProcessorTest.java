package io.slipway.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandIndexProcessorTest {

  private static final String SOURCES = """
      package x;
      import picocli.CommandLine.Command;
      @Command(name = "top", description = "The top.",
          subcommands = {CommandLine.HelpCommand.class, Top.Hidden.class})
      public class Top {
        @Command(name = "hush", aliases = {"sh", "quiet"}, hidden = true,
            header = "Header line", description = {"One = two", "Ünïcode: line"})
        static class Hidden {}
        @Deprecated static class NotACommand {}
      }
      """.replace("CommandLine.HelpCommand", "picocli.CommandLine.HelpCommand");

  /** Compiles {@link #SOURCES} with the processor; returns the class output directory. */
  private static Path compile(Path dir) throws Exception {
    Path source = Files.createDirectories(dir.resolve("src/x")).resolve("Top.java");
    Files.writeString(source, SOURCES);
    Path out = Files.createDirectories(dir.resolve("classes-" + System.nanoTime()));
    String picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).toString();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("-Xlint:all", "-Werror", "-classpath", picocli, "-d", out.toString(),
            "-processorpath", System.getProperty("java.class.path"),
            "-processor", CommandIndexProcessor.class.getName()),
        null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
            .getJavaFileObjects(source)).call();
    assertThat(compiled).as(diagnostics.toString()).isTrue();
    assertThat(diagnostics.toString()).as("no warnings under -Xlint:all").isEmpty();
    return out;
  }

  private static Properties index(Path classes) throws Exception {
    Properties index = new Properties();
    try (Reader in = Files.newBufferedReader(classes.resolve(CommandIndexProcessor.RESOURCE))) {
      index.load(in);
    }
    return index;
  }

  @Test
  void indexesEachCommandAndTheSubcommandsItNames(@TempDir Path dir) throws Exception {
    Properties index = index(compile(dir));

    assertThat(index).containsEntry("x.Top.name", "top")
        .containsEntry("x.Top.hidden", "false")
        .containsEntry("x.Top.description.0", "The top.")
        .containsEntry("x.Top$Hidden.name", "hush")
        .containsEntry("x.Top$Hidden.hidden", "true")
        .containsEntry("x.Top$Hidden.aliases.0", "sh")
        .containsEntry("x.Top$Hidden.aliases.1", "quiet")
        .containsEntry("x.Top$Hidden.header.0", "Header line")
        .containsEntry("x.Top$Hidden.description.0", "One = two")
        .containsEntry("x.Top$Hidden.description.1", "Ünïcode: line")
        // From picocli's jar, not from these sources: named in Top's subcommands.
        .containsEntry("picocli.CommandLine$HelpCommand.name", "help")
        .doesNotContainKey("x.Top$NotACommand.name");
    CommandLine.Command help =
        CommandLine.HelpCommand.class.getAnnotation(CommandLine.Command.class);
    assertThat(index.getProperty("picocli.CommandLine$HelpCommand.description.0"))
        .isEqualTo(help.description()[0]);
  }

  @Test
  void writesTheSameBytesForTheSameSources(@TempDir Path dir) throws Exception {
    byte[] first = Files.readAllBytes(compile(dir).resolve(CommandIndexProcessor.RESOURCE));
    Thread.sleep(1100); // a date in the file would differ now
    byte[] second = Files.readAllBytes(compile(dir).resolve(CommandIndexProcessor.RESOURCE));

    assertThat(second).isEqualTo(first);
    assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("#");
  }
}
