/**
 * Container images made locally for tests, from Debian's {@code busybox-static}, written as OCI
 * image layouts that skopeo, umoci and Slipway's own client read. Nothing is pulled from the
 * internet.
 */
package io.slipway.testing.images;
