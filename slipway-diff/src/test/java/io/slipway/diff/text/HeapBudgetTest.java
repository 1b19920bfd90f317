package io.slipway.diff.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HeapBudgetTest {

  @Test
  void grantsWholeBudgetWhenReservationIsLargerThanIt() {
    HeapBudget budget = HeapBudget.ofBytes(64 * 1024);

    HeapBudget.Reservation reservation = budget.reserve(10L * 1024 * 1024);

    assertThat(reservation.kib()).isEqualTo(64);
    reservation.close();
  }

  @Test
  void makesSecondReservationWaitUntilFirstIsReleased() throws Exception {
    HeapBudget budget = HeapBudget.ofBytes(100 * 1024);
    HeapBudget.Reservation first = budget.reserve(80 * 1024);
    AtomicBoolean granted = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  budget.reserve(80 * 1024).close();
                  granted.set(true);
                  done.countDown();
                });

    assertThat(done.await(200, TimeUnit.MILLISECONDS)).as("second waits while first holds").isFalse();
    first.close();
    assertThat(done.await(10, TimeUnit.SECONDS)).as("second proceeds once first is released").isTrue();
    assertThat(granted).isTrue();
    waiter.join();
  }

  @Test
  void cancelsAndKeepsInterruptFlagWhenInterruptedWhileWaiting() throws Exception {
    HeapBudget budget = HeapBudget.ofBytes(4 * 1024);
    HeapBudget.Reservation held = budget.reserve(4 * 1024);
    AtomicBoolean flagKept = new AtomicBoolean();
    Throwable[] thrown = new Throwable[1];
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    budget.reserve(1024);
                  } catch (CancellationException e) {
                    thrown[0] = e;
                    flagKept.set(Thread.currentThread().isInterrupted());
                  }
                });
    Thread.sleep(50);
    waiter.interrupt();
    waiter.join(10_000);

    assertThat(thrown[0]).isInstanceOf(CancellationException.class).hasMessageContaining("diff heap budget");
    assertThat(flagKept).isTrue();
    held.close();
  }

  @Test
  void rejectsBudgetBelowOneKibibyte() {
    assertThatThrownBy(() -> HeapBudget.ofBytes(10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsConcurrentDiffsWithoutChangingTheirResult() throws Exception {
    byte[] a = "a\nb\nc\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] b = "a\nx\nc\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    TextDiffer differ = new TextDiffer(TextDiffOptions.DEFAULTS, HeapBudget.ofBytes(128 * 1024));

    TextDiff diff = differ.compare(TextInput.of(a), TextInput.of(b));

    assertThat(diff.linesAdded()).isEqualTo(1);
    assertThat(diff.linesRemoved()).isEqualTo(1);
  }
}
