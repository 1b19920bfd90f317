package io.slipway.build.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Makes a small root file system for RUN tests from the host's static busybox (Debian package
 * busybox-static): {@code /bin/busybox} with a link per applet, and passwd/group files the tests
 * resolve users against.
 */
final class BusyboxRootfs {

  static final Path BUSYBOX = Path.of("/bin/busybox");

  static final String PASSWD =
      """
      root:x:0:0:root:/root:/bin/sh
      app:x:1000:1000:App:/home/app:/bin/sh
      """;

  static final String GROUP =
      """
      root:x:0:
      wheel:x:10:app
      app:x:1000:
      docker:x:999:app
      """;

  private BusyboxRootfs() {}

  static Path create(Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Path bin = Files.createDirectories(directory.resolve("bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
    List<String> applets;
    try (var in = list.getInputStream()) {
      applets = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    list.waitFor();
    for (String applet : applets) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Path etc = Files.createDirectories(directory.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), PASSWD);
    Files.writeString(etc.resolve("group"), GROUP);
    Files.writeString(etc.resolve("motd"), "welcome\n");
    Files.writeString(etc.resolve("old"), "to be deleted\n");
    Path tmp = Files.createDirectories(directory.resolve("tmp"));
    Files.setAttribute(tmp, "unix:mode", 01777);
    Files.createDirectories(directory.resolve("root"));
    Path home = Files.createDirectories(directory.resolve("home/app"));
    Files.setAttribute(home, "unix:uid", 1000);
    Files.setAttribute(home, "unix:gid", 1000);
    Files.createDirectories(directory.resolve("run"));
    Files.createDirectories(directory.resolve("var"));
    return directory;
  }
}
