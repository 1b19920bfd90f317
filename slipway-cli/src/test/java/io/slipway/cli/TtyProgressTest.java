package io.slipway.cli;

import static io.slipway.cli.ProgressEvents.blob;
import static io.slipway.cli.ProgressEvents.solved;
import static io.slipway.cli.ProgressEvents.vertex;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.graph.Vertex;
import io.slipway.build.run.OutputListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TtyProgressTest {

  private static final long MS = 1_000_000L;
  private static final OutputListener.Stream OUT = OutputListener.Stream.STDOUT;

  private final AtomicLong now = new AtomicLong();
  private final FakeTerminal terminal = new FakeTerminal(60);
  private final PrintWriter writer = new PrintWriter(terminal);

  private final Vertex internal = vertex("context checksum");
  private final Vertex from = vertex("[1/3] FROM docker.io/library/busybox");
  private final Vertex run = vertex("[2/3] RUN make");
  private final Vertex copy = vertex("[3/3] COPY --from=build /out /srv/a-long-path/that-is-cut");

  @Test
  void drawsStepsWithStateTimesAndOutputTailThenRedrawsInPlace() {
    TtyProgress progress = new TtyProgress(writer, 60, now::get);
    progress.planned(List.of(internal, from, run, copy));
    now.set(100 * MS);
    progress.started(internal);
    progress.started(from);
    progress.finished(solved(from, true), Duration.ZERO);
    now.set(200 * MS);
    progress.started(run);
    for (int i = 1; i <= 7; i++) {
      progress.line(run, OUT, "cc -c part" + i + ".c\t-O2\u001b[31m");
    }
    now.set(1500 * MS);
    progress.draw("");
    assertThat(terminal.screen()).containsExactly(
        "[+] Building 1.5s (1/3)",
        " => CACHED  [1/3] FROM docker.io/library/busybox       0.0s",
        " => RUNNING [2/3] RUN make                             1.3s",
        " => => # cc -c part3.c  -O2[31m",
        " => => # cc -c part4.c  -O2[31m",
        " => => # cc -c part5.c  -O2[31m",
        " => => # cc -c part6.c  -O2[31m",
        " => => # cc -c part7.c  -O2[31m",
        " => WAITING [3/3] COPY --from=build /out /srv/a-long-pat...");

    // The RUN finishes and a push starts: the block is redrawn over itself and shrinks.
    now.set(2000 * MS);
    progress.finished(solved(run, false), Duration.ZERO);
    progress.started(copy);
    progress.started(blob(1), 4096, "push");
    progress.progressed(blob(1), 1024);
    progress.started(blob(2), 100, "exists");
    progress.finished(blob(2));
    now.set(2240 * MS);
    progress.draw("");
    assertThat(terminal.screen()).containsExactly(
        "[+] Building 2.2s (2/3)",
        " => CACHED  [1/3] FROM docker.io/library/busybox       0.0s",
        " => DONE    [2/3] RUN make                             1.8s",
        " => RUNNING [3/3] COPY --from=build /out /srv/a-lon... 0.2s",
        " => push " + TransferBoard.shortName(blob(1)) + " [==>       ] 1.0 KiB / 4.0 KiB",
        " => blobs 1/2 1.1 KiB / 4.1 KiB");
  }

  @Test
  void leavesFinalFrameAndSummaryAboveTheErrorWhenTheBuildFails() {
    TtyProgress progress = new TtyProgress(writer, 60, now::get);
    progress.planned(List.of(from, run, copy));
    progress.started(from);
    progress.finished(solved(from, true), Duration.ZERO);
    now.set(300 * MS);
    progress.started(run);
    progress.line(run, OUT, "make: *** [all] Error 2");
    progress.draw("");
    now.set(900 * MS);
    progress.failed(run, new IllegalStateException("RUN make (Dockerfile line 2): exit code 2"));
    progress.finish(false);
    writer.println("error: RUN make (Dockerfile line 2): exit code 2");
    writer.flush();
    assertThat(terminal.screen()).containsExactly(
        "[+] Building 0.9s (2/3) FAILED",
        " => CACHED  [1/3] FROM docker.io/library/busybox       0.0s",
        " => ERROR   [2/3] RUN make                             0.6s",
        " => => # make: *** [all] Error 2",
        " => WAITING [3/3] COPY --from=build /out /srv/a-long-pat...",
        "Failed in 0.9s: 3 steps, 1 cached, 0 run, 1 failed",
        "error: RUN make (Dockerfile line 2): exit code 2");
  }

  @Test
  void foldsOldFinishedStepsWhenTheBlockWouldBeTooTall() {
    TtyProgress progress = new TtyProgress(writer, 60, now::get);
    List<Vertex> steps = new ArrayList<>();
    for (int i = 1; i <= TtyFrame.MAX_STEPS + 3; i++) {
      steps.add(vertex("[" + i + "/27] RUN step " + i));
    }
    progress.planned(steps);
    for (Vertex step : steps.subList(0, 5)) {
      progress.started(step);
      progress.finished(solved(step, false), Duration.ZERO);
    }
    progress.draw("");
    List<String> screen = terminal.screen();
    assertThat(screen).hasSize(1 + 1 + TtyFrame.MAX_STEPS);
    assertThat(screen.get(1)).isEqualTo(" => ... 3 earlier steps finished");
    assertThat(screen.get(2)).startsWith(" => DONE    [4/27] RUN step 4");
    assertThat(screen.getLast()).isEqualTo(" => WAITING [27/27] RUN step 27");
  }

  @Test
  void keepsTheBlockWholeWhenManyThreadsReportAtOnce() throws Exception {
    FakeTerminal wide = new FakeTerminal(100);
    TtyProgress progress = new TtyProgress(new PrintWriter(wide), 100, System::nanoTime);
    int count = 300;
    List<Vertex> steps = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      steps.add(vertex("[" + i + "/" + count + "] RUN work " + i));
    }
    progress.planned(steps);
    progress.start();
    long begin = System.nanoTime();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        Vertex step = steps.get(i);
        int n = i;
        threads.submit(() -> {
          progress.started(step);
          progress.started(blob(n), 1000, "pull");
          for (int line = 0; line < 50; line++) {
            progress.line(step, OUT, "line " + line + " of step " + n);
            progress.progressed(blob(n), 20);
            if (line % 10 == 0) {
              Thread.yield();
            }
          }
          progress.finished(blob(n));
          progress.finished(solved(step, n % 3 == 0), Duration.ZERO);
          return null;
        });
      }
      threads.shutdown();
      // Callbacks never wait on the terminal: all of them are through well within the bound.
      assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }
    // Long enough for the drawing thread to have drawn frames while the events flowed.
    Thread.sleep(TtyProgress.INTERVAL.toMillis() * 3);
    progress.finish(true);
    assertThat(System.nanoTime() - begin).isLessThan(Duration.ofSeconds(30).toNanos());
    assertThat(wide.failure()).isNull();
    List<String> screen = wide.screen();
    assertThat(screen.getFirst()).startsWith("[+] Building ").endsWith("(300/300) FINISHED");
    assertThat(screen.get(1)).isEqualTo(" => ... " + (count - TtyFrame.MAX_STEPS)
        + " earlier steps finished");
    assertThat(screen.stream().filter(l -> l.startsWith(" => DONE") || l.startsWith(" => CACHED")))
        .hasSize(TtyFrame.MAX_STEPS);
    assertThat(screen).noneMatch(l -> l.contains("RUNNING") || l.contains("WAITING")
        || l.contains(" => => #") || l.contains(" => pull "));
    assertThat(screen.get(screen.size() - 2)).isEqualTo(" => blobs 300/300 293.0 KiB / 293.0 KiB");
    assertThat(screen.getLast()).matches(
        "Built in \\d+\\.\\ds: 300 steps, 100 cached, 200 run; 300 blobs transferred"
            + " \\(293\\.0 KiB\\)");
  }

  @Test
  void finishesOnceAndRestoresTheCursor() throws IOException {
    TtyProgress progress = new TtyProgress(writer, 60, now::get);
    progress.start();
    progress.finish(true);
    progress.finish(false);
    writer.flush();
    assertThat(terminal.screen()).containsExactly("[+] Building 0.0s (0/0) FINISHED",
        "Built in 0.0s: 0 steps, 0 cached, 0 run");
  }
}
