package io.slipway.diff.structured;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.slipway.diff.text.TextDiffer;
import io.slipway.diff.text.TextInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares two JSON or YAML documents as trees, within a stated memory bound.
 *
 * <p>Documents are streamed through Jackson's parser into {@link CompactDocument}s: no Jackson
 * tree is built. <b>Memory:</b> with {@code N} the values (objects, arrays and scalars) of both
 * documents and {@code T} the distinct field names and scalar texts, peak heap is about
 * {@code 26·N + Σ over T (56 + length)} bytes plus the changes found. The comparison refuses to
 * hold more than {@code min(maxNodes, (3 × (size A + size B) + 16 MiB) / 26)} values, so it
 * stays inside the text diff's target of three times the inputs plus 16 MiB; past that it falls
 * back to a text diff of the two files and says so ({@link StructuredComparison.TextFallback}).
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class StructuredDiffer {
  private static final long MIB = 1024 * 1024;
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = yamlFactory();

  private final StructuredDiffOptions options;
  private final TextDiffer fallback;

  /**
   * @param options how to compare trees
   * @param fallback the text differ used when the documents exceed the bound
   */
  public StructuredDiffer(StructuredDiffOptions options, TextDiffer fallback) {
    this.options = options;
    this.fallback = fallback;
  }

  /** A differ with default options and a default text fallback. */
  public StructuredDiffer() {
    this(StructuredDiffOptions.DEFAULTS, new TextDiffer());
  }

  /**
   * Compares two files, each read as the format its name says.
   *
   * @throws StructuredInputException naming the file, line and column that does not parse
   * @throws TextInputException when a fallback text diff cannot read a file
   */
  public StructuredComparison compare(Path a, Path b) throws IOException {
    long sizes = size(a) + size(b);
    long limit = nodeLimit(sizes);
    ValuePool pool = new ValuePool();
    try {
      CompactDocument documentA = read(a, pool, limit);
      CompactDocument documentB = read(b, pool, limit - documentA.nodes());
      return new StructuredComparison.Structured(
          new StructuredDiff(documentA, documentB, new TreeMatcher(documentA, documentB, pool, options.arrayKeys()).run()));
    } catch (CompactDocument.TooManyNodesException e) {
      String note =
          "documents hold more than "
              + limit
              + " values together, beyond the structured diff's bound for "
              + sizes
              + " bytes of input; compared as text instead";
      return new StructuredComparison.TextFallback(fallback.compare(a, b), note);
    }
  }

  private static YAMLFactory yamlFactory() {
    // SnakeYAML stops at 3 MiB of input by default; this class bounds memory by values instead.
    org.yaml.snakeyaml.LoaderOptions loader = new org.yaml.snakeyaml.LoaderOptions();
    loader.setCodePointLimit(Integer.MAX_VALUE);
    return YAMLFactory.builder().loaderOptions(loader).build();
  }

  /** The most values two documents of {@code totalBytes} may hold together. */
  long nodeLimit(long totalBytes) {
    long byFormula = (3 * totalBytes + 16 * MIB) / CompactDocument.BYTES_PER_NODE;
    return Math.min(options.maxNodes(), byFormula);
  }

  private static long size(Path path) throws StructuredInputException {
    try {
      return Files.size(path);
    } catch (IOException e) {
      throw new StructuredInputException(path, 0, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  private static CompactDocument read(Path path, ValuePool pool, long limit)
      throws StructuredInputException, CompactDocument.TooManyNodesException {
    JsonFactory factory = DocumentFormat.of(path) == DocumentFormat.YAML ? YAML : JSON;
    try (InputStream in = Files.newInputStream(path);
        JsonParser parser = factory.createParser(in)) {
      return CompactDocument.read(parser, pool, limit);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new StructuredInputException(
          path,
          at == null ? 0 : at.getLineNr(),
          at == null ? 0 : at.getColumnNr(),
          "not valid " + DocumentFormat.of(path).name() + ": " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new StructuredInputException(path, 0, 0, "cannot read: " + e.getMessage(), e);
    }
  }
}
