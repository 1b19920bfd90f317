package io.slipway.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.slipway.client.RegistryClient;
import io.slipway.diff.image.ConfigChange;
import io.slipway.diff.image.ImageDiffer;
import io.slipway.diff.image.ImageFile;
import io.slipway.diff.image.ImageFileChange;
import io.slipway.diff.image.ImageInput;
import io.slipway.diff.image.ImageLoader;
import io.slipway.diff.image.LoadedImage;
import io.slipway.diff.text.TextDiff;
import io.slipway.diff.text.TextDiffer;
import io.slipway.diff.text.TextInput;
import io.slipway.diff.tree.TreeChange;
import io.slipway.oci.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The image half of {@code slipway diff}: loads both images, prints config and manifest
 * differences, then the merged filesystems' differences as they stream, then (with {@code
 * --content}) text diffs of up to {@value #MAX_CONTENT_FILES} changed text files of at most 1 MiB
 * each. Confined to the thread that runs the command.
 */
final class ImageDiffRun {
  static final int MAX_CONTENT_FILES = 100;
  static final long MAX_CONTENT_BYTES = 1 << 20;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final boolean content;
  private final int indexLimit;
  private final Platform platform;
  private final TextDiffer textDiffer;

  ImageDiffRun(PrintStream out, PrintStream err, boolean json, boolean content, int indexLimit,
      Platform platform, TextDiffer textDiffer) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.content = content;
    this.indexLimit = indexLimit;
    this.platform = platform;
    this.textDiffer = textDiffer;
  }

  /** Compares two images; returns the exit status. */
  int run(String first, String second, RegistryClient client) throws IOException, InterruptedException {
    ImageInput a = ImageInput.parse(first);
    ImageInput b = ImageInput.parse(second);
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    ImageLoader loader = new ImageLoader(client, platform, temp);
    ImageDiffer differ = new ImageDiffer(indexLimit, temp);
    try (LoadedImage ia = loader.load(a); LoadedImage ib = loader.load(b)) {
      List<ConfigChange> config = differ.compareConfig(ia, ib);
      List<ImageFileChange> forContent = new ArrayList<>();
      int[] skipped = {0};
      boolean filesChanged;
      if (json) {
        try (JsonGenerator gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
          gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          gen.writeStartObject();
          gen.writeStringField("a", ia.label());
          gen.writeStringField("b", ib.label());
          gen.writeArrayFieldStart("config");
          for (ConfigChange change : config) {
            gen.writeStartObject();
            gen.writeStringField("field", change.field());
            gen.writeStringField("before", change.before());
            gen.writeStringField("after", change.after());
            gen.writeEndObject();
          }
          gen.writeEndArray();
          gen.writeArrayFieldStart("files");
          filesChanged = differ.compareFiles(ia, ib, change -> {
            writeJson(gen, change);
            keepForContent(change, forContent, skipped);
          });
          gen.writeEndArray();
          if (content) {
            gen.writeArrayFieldStart("content");
            contentDiffs(differ, ia, ib, forContent, (change, diff, note) -> {
              try {
                gen.writeStartObject();
                gen.writeStringField("path", change.path());
                if (diff != null) {
                  gen.writeNumberField("linesAdded", diff.linesAdded());
                  gen.writeNumberField("linesRemoved", diff.linesRemoved());
                } else {
                  gen.writeStringField("note", note);
                }
                gen.writeEndObject();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
            gen.writeEndArray();
          }
          gen.writeBooleanField("identical", config.isEmpty() && !filesChanged);
          gen.writeEndObject();
          gen.writeRaw('\n');
        }
      } else {
        for (ConfigChange change : config) {
          out.println(describe(change));
        }
        filesChanged = differ.compareFiles(ia, ib, change -> {
          out.println(describe(change));
          keepForContent(change, forContent, skipped);
        });
        if (content) {
          contentDiffs(differ, ia, ib, forContent, (change, diff, note) -> {
            if (diff == null) {
              out.println("~ " + change.path() + ": " + note);
              return;
            }
            try {
              diff.writeUnified(out, "a/" + change.path(), "b/" + change.path());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
      }
      if (skipped[0] > 0) {
        err.println("slipway diff: note: content of " + skipped[0] + " more changed files not shown"
            + " (at most " + MAX_CONTENT_FILES + " files of up to 1 MiB each)");
      }
      out.flush();
      return config.isEmpty() && !filesChanged ? DiffCommand.SAME : DiffCommand.DIFFERENT;
    }
  }

  private void keepForContent(ImageFileChange change, List<ImageFileChange> kept, int[] skipped) {
    if (!content
        || !change.aspects().contains(TreeChange.Aspect.CONTENT)
        || change.before().type() != ImageFile.Type.FILE
        || change.after().type() != ImageFile.Type.FILE) {
      return;
    }
    if (kept.size() < MAX_CONTENT_FILES
        && change.before().size() <= MAX_CONTENT_BYTES
        && change.after().size() <= MAX_CONTENT_BYTES) {
      kept.add(change);
    } else {
      skipped[0]++;
    }
  }

  @FunctionalInterface
  private interface ContentSink {
    void accept(ImageFileChange change, TextDiff diff, String note);
  }

  private void contentDiffs(ImageDiffer differ, LoadedImage a, LoadedImage b, List<ImageFileChange> changes,
      ContentSink sink) throws IOException {
    if (changes.isEmpty()) {
      return;
    }
    Map<String, Path> before = differ.extract(a, changes.stream().map(ImageFileChange::before).toList(),
        MAX_CONTENT_BYTES);
    try {
      Map<String, Path> after = differ.extract(b, changes.stream().map(ImageFileChange::after).toList(),
          MAX_CONTENT_BYTES);
      try {
        for (ImageFileChange change : changes) {
          TextInput x = TextInput.open(before.get(change.path()), Long.MAX_VALUE);
          TextInput y = TextInput.open(after.get(change.path()), Long.MAX_VALUE);
          if (x.looksBinary() || y.looksBinary()) {
            sink.accept(change, null, "binary content differs, not shown");
          } else {
            sink.accept(change, textDiffer.compare(x, y), null);
          }
        }
      } finally {
        deleteAll(after);
      }
    } finally {
      deleteAll(before);
    }
  }

  private static void deleteAll(Map<String, Path> files) throws IOException {
    for (Path file : files.values()) {
      Files.deleteIfExists(file);
    }
  }

  static String describe(ConfigChange change) {
    if (change.before() == null) {
      return "+ " + change.field() + ": " + change.after();
    }
    if (change.after() == null) {
      return "- " + change.field() + ": " + change.before();
    }
    return "~ " + change.field() + ": " + change.before() + " → " + change.after();
  }

  static String describe(ImageFileChange change) {
    return switch (change.kind()) {
      case ADDED -> "A  " + change.path() + suffix(change.after());
      case REMOVED -> "D  " + change.path() + suffix(change.before());
      case MODIFIED -> "M  " + change.path() + suffix(change.after()) + "  " + details(change);
    };
  }

  private static String suffix(ImageFile file) {
    return switch (file.type()) {
      case DIRECTORY -> "/";
      case SYMLINK -> " -> " + file.linkTarget();
      case HARDLINK -> " link to " + file.linkTarget();
      default -> "";
    };
  }

  private static String details(ImageFileChange change) {
    ImageFile x = change.before();
    ImageFile y = change.after();
    List<String> parts = new ArrayList<>();
    for (TreeChange.Aspect aspect : change.aspects().stream().sorted().toList()) {
      parts.add(switch (aspect) {
        case TYPE -> "type " + name(x.type()) + " → " + name(y.type());
        case MODE -> "mode " + x.octalMode() + " → " + y.octalMode();
        case OWNER -> "owner " + x.uid() + ":" + x.gid() + " → " + y.uid() + ":" + y.gid();
        case SIZE -> "size " + x.size() + " → " + y.size();
        case LINK_TARGET -> "link " + x.linkTarget() + " → " + y.linkTarget();
        case CONTENT -> "content " + shortDigest(x.digest()) + " → " + shortDigest(y.digest());
      });
    }
    return String.join(", ", parts);
  }

  private static String name(ImageFile.Type type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  private static String shortDigest(String digest) {
    return digest.isEmpty() ? "-" : digest.substring(0, Math.min(digest.length(), 19));
  }

  private static void writeJson(JsonGenerator gen, ImageFileChange change) {
    try {
      gen.writeStartObject();
      gen.writeStringField("change", change.kind().name().toLowerCase(Locale.ROOT));
      gen.writeStringField("path", change.path());
      if (!change.aspects().isEmpty()) {
        gen.writeArrayFieldStart("aspects");
        for (TreeChange.Aspect aspect : change.aspects().stream().sorted().toList()) {
          gen.writeString(aspect.name().toLowerCase(Locale.ROOT));
        }
        gen.writeEndArray();
      }
      if (change.before() != null) {
        gen.writeFieldName("before");
        writeJson(gen, change.before());
      }
      if (change.after() != null) {
        gen.writeFieldName("after");
        writeJson(gen, change.after());
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeJson(JsonGenerator gen, ImageFile file) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("type", name(file.type()));
    gen.writeStringField("mode", file.octalMode());
    gen.writeNumberField("uid", file.uid());
    gen.writeNumberField("gid", file.gid());
    gen.writeNumberField("size", file.size());
    if (!file.linkTarget().isEmpty()) {
      gen.writeStringField("linkTarget", file.linkTarget());
    }
    if (!file.digest().isEmpty()) {
      gen.writeStringField("digest", file.digest());
    }
    gen.writeNumberField("layer", file.layer());
    gen.writeEndObject();
  }
}
