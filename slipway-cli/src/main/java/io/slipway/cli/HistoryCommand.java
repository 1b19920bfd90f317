package io.slipway.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TagChange;
import io.slipway.diff.image.ConfigChange;
import io.slipway.diff.image.ImageDiffer;
import io.slipway.diff.image.ImageInput;
import io.slipway.diff.image.ImageInputException;
import io.slipway.diff.image.ImageLoader;
import io.slipway.diff.image.LoadedImage;
import io.slipway.oci.Digest;
import io.slipway.oci.Platform;
import io.slipway.oci.reference.InvalidReferenceException;
import io.slipway.oci.reference.Reference;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway history REGISTRY/REPO:TAG [--diff]}: every create, move and delete of a tag as a
 * Slipway registry recorded it, and with {@code --diff} the summary image diff of each move,
 * computed on demand and cached per digest pair. Exit status 0, or 2 on trouble. Confined to the
 * thread that runs it.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every create, move and delete of a tag in a Slipway registry.",
      "With --diff, also the summary image diff of each move (cached per digest pair)."
    })
public final class HistoryCommand implements Callable<Integer> {
  /** File changes listed per move before the summary says how many more there are. */
  static final int SUMMARY_FILES = 20;

  @Parameters(index = "0", paramLabel = "REGISTRY/REPO:TAG", description = "The tag whose history to list.")
  String tagReference;

  @Option(names = "--diff", description = "Show the summary image diff of each move.")
  boolean diff;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  DiffCommand.Format format;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "With --diff: the manifest to pick from an index (default: this machine's).")
  String platform;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "Where move diffs are cached (default: $XDG_CACHE_HOME/slipway/history-diffs).")
  Path cacheDir;

  @Mixin RegistryOptions registry;

  private final PrintStream out;
  private final PrintStream err;

  public HistoryCommand() {
    this(System.out, System.err);
  }

  HistoryCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try (RegistryClient client = registry.client()) {
      return run(client);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("slipway history: " + e.getMessage());
      return DiffCommand.TROUBLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("slipway history: interrupted");
      return DiffCommand.TROUBLE;
    }
  }

  private int run(RegistryClient client) throws IOException, InterruptedException {
    Reference reference;
    try {
      reference = Reference.parse(tagReference);
    } catch (InvalidReferenceException e) {
      throw new IllegalArgumentException(tagReference + " is not a tag reference: " + e.getMessage(), e);
    }
    if (reference.tag().isEmpty() || reference.digest().isPresent()) {
      throw new IllegalArgumentException(tagReference + " names no tag; give REGISTRY/REPO:TAG");
    }
    String tag = reference.tag().get().toString();
    Repository repository = Repository.of(reference);
    List<TagChange> changes = client.tagHistory(repository, tag);
    Platform selected = platform == null ? Platform.ofRuntime() : Platform.parse(platform);
    if (format == DiffCommand.Format.JSON) {
      try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.writeStartObject();
        json.writeStringField("repository", repository.toString());
        json.writeStringField("tag", tag);
        json.writeArrayFieldStart("history");
        for (TagChange change : changes) {
          json.writeStartObject();
          json.writeNumberField("id", change.id());
          json.writeStringField("time", change.time().toString());
          json.writeStringField("user", change.user());
          json.writeStringField("action", change.action());
          json.writeStringField("from", change.from() == null ? null : change.from().toString());
          json.writeStringField("to", change.to() == null ? null : change.to().toString());
          if (diff && change.from() != null && change.to() != null) {
            json.writeArrayFieldStart("diff");
            for (String line : summary(client, reference, change, selected)) {
              json.writeString(line);
            }
            json.writeEndArray();
          }
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
      }
    } else {
      for (TagChange change : changes) {
        out.println(change.time() + "  " + change.user() + "  " + change.action() + "  "
            + (change.from() == null ? "" : change.from() + " → ")
            + (change.to() == null ? "(deleted)" : change.to().toString()));
        if (diff && change.from() != null && change.to() != null) {
          for (String line : summary(client, reference, change, selected)) {
            out.println("    " + line);
          }
        }
      }
    }
    out.flush();
    return DiffCommand.SAME;
  }

  /** The move's summary diff, from the cache when an earlier run computed it. */
  private List<String> summary(RegistryClient client, Reference reference, TagChange change, Platform selected)
      throws IOException, InterruptedException {
    Path cache = cacheDirectory().resolve(change.from().encoded() + "-" + change.to().encoded() + "-"
        + selected.toString().replace('/', '_') + ".txt");
    if (Files.isRegularFile(cache)) {
      return Files.readAllLines(cache, StandardCharsets.UTF_8);
    }
    List<String> lines;
    try {
      lines = computeSummary(client, reference, change.from(), change.to(), selected);
    } catch (ImageInputException e) {
      // One move whose manifest was since deleted must not hide the rest of the history; the
      // note is not cached, so the diff appears once the content is back.
      return List.of("diff unavailable: " + e.getMessage());
    }
    Files.createDirectories(cache.getParent());
    Path temp = Files.createTempFile(cache.getParent(), "pending-", ".txt");
    try {
      Files.write(temp, lines, StandardCharsets.UTF_8);
      Files.move(temp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return lines;
  }

  private static List<String> computeSummary(RegistryClient client, Reference reference, Digest from, Digest to,
      Platform selected) throws IOException, InterruptedException {
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    ImageLoader loader = new ImageLoader(client, selected, temp);
    ImageDiffer differ = new ImageDiffer(ImageDiffer.DEFAULT_INDEX_LIMIT, temp);
    List<String> lines = new ArrayList<>();
    try (LoadedImage a = loader.load(new ImageInput.Registry(reference.withDigest(from)));
        LoadedImage b = loader.load(new ImageInput.Registry(reference.withDigest(to)))) {
      for (ConfigChange change : differ.compareConfig(a, b)) {
        lines.add(ImageDiffRun.describe(change));
      }
      int[] counts = new int[3];
      List<String> files = new ArrayList<>();
      differ.compareFiles(a, b, change -> {
        counts[change.kind().ordinal()]++;
        if (files.size() < SUMMARY_FILES) {
          files.add(ImageDiffRun.describe(change));
        }
      });
      lines.add("files: " + counts[0] + " added, " + counts[1] + " removed, " + counts[2] + " modified");
      lines.addAll(files);
      int more = counts[0] + counts[1] + counts[2] - files.size();
      if (more > 0) {
        lines.add("… " + more + " more file changes (slipway diff shows them all)");
      }
    }
    return lines;
  }

  private Path cacheDirectory() {
    if (cacheDir != null) {
      return cacheDir;
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg == null || xdg.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
    return base.resolve("slipway").resolve("history-diffs");
  }
}
