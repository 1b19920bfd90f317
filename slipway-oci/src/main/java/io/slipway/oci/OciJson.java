package io.slipway.oci;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The JSON conventions of the content model, in one place: how manifests, indexes, configs and
 * descriptors are read and how Slipway writes its own.
 *
 * <p>Reading is tolerant where the specs require it (unknown fields are ignored) and strict where
 * leniency would be a hazard: duplicate keys and trailing content are rejected, because two parsers
 * that disagree about a manifest's meaning while agreeing on its digest is a security hole.
 * Writing is canonical: no whitespace, fields in each type's declared order (the order of the
 * image spec's Go types), map entries sorted by key and strings escaped as Go escapes them. Equal
 * values therefore always yield identical bytes and identical digests, and a manifest, index or
 * descriptor comes out exactly as Go's {@code json.Marshal} writes it. Stateless and safe for
 * concurrent use.
 */
public final class OciJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder()
                  .characterEscapes(new GoCompatibleEscapes())
                  // Go writes characters beyond the BMP as four UTF-8 bytes, not as an escaped
                  // surrogate pair, and hex escapes in lowercase.
                  .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                  .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          // Scalars must have the JSON type the spec gives them, as Go's encoding/json (which
          // wrote and reads most manifests) insists: "size": "12" or 1.5 is not a size.
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .withCoercionConfig(
              LogicalType.Integer,
              c ->
                  c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Boolean,
              c ->
                  c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .disable(SerializationFeature.INDENT_OUTPUT)
          .build();

  // Jackson suggests enabling coercion, which is advice for the wrong audience.
  private static final Pattern COERCION_HINT =
      Pattern.compile("\\s*\\(but might if coercion.*\\)$");

  private OciJson() {}

  /** The canonical JSON encoding of a content-model value. */
  public static byte[] canonicalBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      // The content model only holds strings, numbers, lists and maps; this cannot happen.
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads {@code json} as {@code type}. A malformed document or a field that breaks the type's
   * rules becomes the exception {@code error} makes from a message naming the field path, such as
   * {@code layers[0].digest: invalid digest "sha256:x": …}.
   */
  public static <T> T read(
      byte[] json, Class<T> type, Function<String, ? extends RuntimeException> error) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw error.apply(describe(e));
    }
  }

  /** Reads {@code json} as a tree, for callers that inspect a document of unknown shape. */
  public static JsonNode readTree(
      byte[] json, Function<String, ? extends RuntimeException> error) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw error.apply("empty document");
      }
      return node;
    } catch (IOException e) {
      throw error.apply(describe(e));
    }
  }

  /** Converts a tree read by {@link #readTree} into {@code type}, with the same error handling. */
  public static <T> T convert(
      JsonNode node, Class<T> type, Function<String, ? extends RuntimeException> error) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw error.apply(describe(e));
    }
  }

  private static String describe(Exception e) {
    // Our own validation failures arrive wrapped by Jackson; their message is the useful one.
    String message = null;
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
        message = cause.getMessage();
        break;
      }
      if (cause == cause.getCause()) {
        break;
      }
    }
    if (message == null && e instanceof JsonProcessingException jpe) {
      message = COERCION_HINT.matcher(jpe.getOriginalMessage()).replaceFirst("");
      JsonLocation location = jpe.getLocation();
      if (!(e instanceof JsonMappingException) && location != null && location.getLineNr() > 0) {
        message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
      }
    }
    if (message == null) {
      message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    String path = e instanceof JsonMappingException jme ? path(jme) : "";
    return path.isEmpty() ? message : path + ": " + message;
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      }
    }
    return path.toString();
  }
}
