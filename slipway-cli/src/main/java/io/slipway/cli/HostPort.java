package io.slipway.cli;

/**
 * A listen address written {@code HOST:PORT}, {@code :PORT} (all interfaces) or {@code
 * [IPv6]:PORT}. Immutable.
 */
record HostPort(String host, int port) {

  static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address \"" + text + "\" needs HOST:PORT, e.g. 127.0.0.1:5000");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address \"" + text + "\" has no numeric port", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " in \"" + text + "\" is outside 0-65535");
    }
    return new HostPort(host, port);
  }
}
