package io.slipway.diff.image;

/**
 * One difference in two images' configs or manifests, such as {@code env.PATH}, {@code
 * entrypoint}, {@code labels.version}, {@code platform} or {@code layers}. Immutable.
 *
 * @param field what differs, dotted for keyed items ({@code env.NAME}, {@code labels.KEY},
 *     {@code ports.80/tcp}, {@code layers.sha256:…})
 * @param before the first image's value, null when absent there
 * @param after the second image's value, null when absent there
 */
public record ConfigChange(String field, String before, String after) {}
