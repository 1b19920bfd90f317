package io.slipway.cli;

import static io.slipway.cli.ProgressEvents.blob;
import static io.slipway.cli.ProgressEvents.solved;
import static io.slipway.cli.ProgressEvents.vertex;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.graph.Vertex;
import io.slipway.build.run.OutputListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainProgressTest {

  @Test
  void printsNumberedStepLinesOutputAndTransfersInOrder() {
    StringWriter text = new StringWriter();
    PlainProgress progress = new PlainProgress(new PrintWriter(text));
    Vertex internal = vertex("context checksum");
    Vertex from = vertex("[1/2] FROM busybox");
    Vertex run = vertex("[2/2] RUN make");
    progress.planned(List.of(internal, from, run));
    progress.started(internal);
    progress.started(from);
    progress.finished(solved(from, true), Duration.ZERO);
    progress.started(run);
    progress.line(run, OutputListener.Stream.STDOUT, "building");
    progress.finished(solved(run, false), Duration.ofMillis(1340));
    progress.started(blob(1), 3 << 20, "push");
    progress.progressed(blob(1), 3 << 20);
    progress.finished(blob(1));
    progress.failed(vertex("[3/3] RUN false"), new IllegalStateException("exit code 1"));
    progress.finish(false);
    String name = TransferBoard.shortName(blob(1));
    assertThat(text.toString()).isEqualTo("""
        #1 [1/2] FROM busybox
        #1 CACHED
        #2 [2/2] RUN make
          building
        #2 DONE 1.3s
        push %s (3.0 MiB)
        done %s
        #3 ERROR: exit code 1
        """.formatted(name, name));
  }
}
