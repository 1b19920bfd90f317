package io.slipway.diff.text;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The text diff kernel in process: prefix/suffix trimming, interning, matching and unified
 * output on a generated CRD-like document of {@code megabytes} with {@code changedPercent} of its
 * lines edited, for both matchers, and on two unrelated texts (the cost bound's worst case).
 * Run with {@code java -jar slipway-diff/target/slipway-diff-benchmarks.jar TextDiffBenchmark}
 * after {@code ./mvnw -B -pl slipway-diff -am -Pbench package -DskipTests}. Each JMH thread has
 * its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class TextDiffBenchmark {
  @Param({"1", "5"})
  public int megabytes;

  @Param({"1"})
  public int changedPercent;

  @Param({"HISTOGRAM", "MYERS"})
  public DiffAlgorithm algorithm;

  private byte[] before;
  private byte[] after;
  private byte[] unrelated;
  private TextDiffer differ;

  @Setup
  public void generate() {
    SplittableRandom random = new SplittableRandom(42);
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    StringBuilder c = new StringBuilder();
    for (int i = 0; a.length() < megabytes << 20; i++) {
      String line = "      - name: container-" + i + "\n        image: registry.example/app:" + (i % 97)
          + "\n        args: [\"--port=" + (8000 + i % 1000) + "\", \"--replica=" + (i % 7) + "\"]\n";
      a.append(line);
      b.append(random.nextInt(100) < changedPercent ? line.replace("app:", "app-v2:") : line);
      c.append("unrelated ").append(random.nextLong()).append('\n');
    }
    before = a.toString().getBytes(StandardCharsets.UTF_8);
    after = b.toString().getBytes(StandardCharsets.UTF_8);
    unrelated = c.toString().getBytes(StandardCharsets.UTF_8);
    differ = new TextDiffer(TextDiffOptions.DEFAULTS.withAlgorithm(algorithm));
  }

  /** One percent of lines changed: the common case, dominated by trimming and interning. */
  @Benchmark
  public long similar() throws IOException {
    return unified(differ.compare(TextInput.of(before), TextInput.of(after)));
  }

  /** Nothing in common: the matcher runs to its cost bound and degrades to coarser hunks. */
  @Benchmark
  public long unrelated() throws IOException {
    return unified(differ.compare(TextInput.of(before), TextInput.of(unrelated)));
  }

  private static long unified(TextDiff diff) throws IOException {
    CountingSink sink = new CountingSink();
    diff.writeUnified(sink, "a", "b");
    return sink.count + diff.changes();
  }

  /** Counts the patch bytes so the JIT cannot drop the output work. */
  private static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
