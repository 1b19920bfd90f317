package io.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest
class ChildJvmTest {

  @TempDir Path dir;

  /**
   * The child: prints its heap limit and its arguments, then exits with the first as status (after
   * sleeping forever with {@code wait}, or after reading stdin to its end with {@code stdin}).
   */
  public static final class Echo {
    private Echo() {}

    public static void main(String[] args) throws Exception {
      System.out.println("maxMemory=" + Runtime.getRuntime().maxMemory());
      System.out.println("args=" + String.join(",", args));
      System.out.println("dir=" + Path.of("").toAbsolutePath());
      System.out.println("env=" + System.getenv("CHILD_JVM_TEST"));
      System.out.println("under=" + System.getenv("CHILD_JVM_UNDER"));
      System.out.flush();
      if (args.length > 1 && args[1].equals("wait")) {
        Thread.sleep(Long.MAX_VALUE);
      }
      if (args.length > 1 && args[1].equals("stdin")) {
        while (System.in.read() >= 0) {
          // Until the parent closes our stdin.
        }
      }
      System.exit(Integer.parseInt(args[0]));
    }
  }

  @Test
  void doesReturnOutputWhenChildSucceedsUnderItsHeapLimit() throws Exception {
    try (ChildJvm child = ChildJvm.start(dir.resolve("log"), List.of("-Xmx32m"), Echo.class, "0", "x")) {
      String output = child.awaitSuccess(Duration.ofMinutes(1));

      assertThat(output).contains("args=0,x");
      long maxMemory = Long.parseLong(output.lines().findFirst().orElseThrow().substring("maxMemory=".length()));
      assertThat(maxMemory).isLessThanOrEqualTo(32L << 20);
    }
  }

  @Test
  void doesFailWithOutputWhenChildExitsNonZero() throws Exception {
    try (ChildJvm child = ChildJvm.start(dir.resolve("log"), List.of(), Echo.class, "3")) {
      assertThatThrownBy(() -> child.awaitSuccess(Duration.ofMinutes(1)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Echo exited with status 3; output:")
          .hasMessageContaining("args=3");
    }
  }

  @Test
  void doesKillChildWhenItOutlivesTheDeadline() throws Exception {
    try (ChildJvm child = ChildJvm.start(dir.resolve("log"), List.of(), Echo.class, "0", "wait")) {
      assertThat(child.awaitOutput("args=0,wait", Duration.ofMinutes(1))).contains("maxMemory=");

      assertThatThrownBy(() -> child.awaitSuccess(Duration.ofMillis(200)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Echo did not finish within PT0.2S");
    }
  }

  @Test
  void doesLetChildRunUntilItsInputIsClosed() throws Exception {
    try (ChildJvm child = ChildJvm.start(dir.resolve("log"), List.of(), Echo.class, "0", "stdin")) {
      child.awaitOutput("args=0,stdin", Duration.ofMinutes(1));
      assertThat(child.exitWithin(Duration.ofMillis(200))).as("exit before stdin closed").isEmpty();

      child.closeInput();

      assertThat(child.awaitExit(Duration.ofMinutes(1))).isZero();
    }
  }

  @Test
  void doesRunInTheGivenDirectoryWithTheGivenEnvironmentUnderTheGivenCommand() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    try (ChildJvm child = ChildJvm.of(Echo.class)
        .environment(Map.of("CHILD_JVM_TEST", "given"))
        .directory(work)
        .under("env", "CHILD_JVM_UNDER=wrapped")
        .args("0", "y")
        .start(dir.resolve("log"))) {
      String output = child.awaitSuccess(Duration.ofMinutes(1));

      assertThat(output).contains("args=0,y", "dir=" + work, "env=given", "under=wrapped");
    }
  }

  @Test
  void doesDeliverASignalAndMatchOutput() throws Exception {
    try (ChildJvm child = ChildJvm.of(Echo.class).args("0", "wait").start(dir.resolve("log"))) {
      assertThat(child.awaitMatch(Pattern.compile("args=(\\S+)\n"),
          Duration.ofMinutes(1)).group(1)).isEqualTo("0,wait");

      child.signal("TERM");

      assertThat(child.exitWithin(Duration.ofMinutes(1))).as("exit after SIGTERM").hasValue(143);
      assertThatThrownBy(() -> child.signal("TERM")).isInstanceOf(AssertionError.class)
          .hasMessageContaining("kill -TERM " + child.pid() + " failed");
    }
  }
}
