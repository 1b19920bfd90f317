package io.slipway.diff.image;

import io.slipway.oci.Platform;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Diffs two image layouts in a JVM of its own so {@link ImageDiffMemoryTest} can give it a small
 * heap. Arguments: layout A, layout B, index limit, temp dir. Prints {@code key=value} lines.
 */
public final class ImageMemoryProbe {
  private ImageMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    Path temp = Path.of(args[3]);
    ImageLoader loader = new ImageLoader(null, Platform.of("linux", "amd64"), temp);
    long[] changes = new long[1];
    int[] runs;
    try (LoadedImage a = loader.load(new ImageInput.Layout(Path.of(args[0]), null));
        LoadedImage b = loader.load(new ImageInput.Layout(Path.of(args[1]), null))) {
      runs = new ImageDiffer(Integer.parseInt(args[2]), temp)
          .compareFilesCountingSpills(a, b, change -> changes[0]++);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("changes=" + changes[0]);
    System.out.println("runsA=" + runs[0]);
    System.out.println("runsB=" + runs[1]);
    System.out.println("peakHeapBytes=" + peak);
  }
}
