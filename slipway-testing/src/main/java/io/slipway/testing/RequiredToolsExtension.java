package io.slipway.testing;

import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Enforces {@link RequiresTool}: skips (developer machine) or fails (CI) a test whose programs
 * are missing. Stateless, so safe for concurrent use.
 */
public final class RequiredToolsExtension implements BeforeAllCallback, BeforeEachCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    check(context.getRequiredTestClass(), isCi());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getTestMethod().ifPresent(method -> check(method, isCi()));
  }

  /**
   * Skips ({@code ci} false) or fails ({@code ci} true) when a program {@code element} requires is
   * missing.
   */
  static void check(AnnotatedElement element, boolean ci) {
    RequiresTool requirement = element.getAnnotation(RequiresTool.class);
    if (requirement == null) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String tool : requirement.value()) {
      if (locate(tool).isEmpty()) {
        missing.add(tool);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String hint =
        requirement.debianPackage().isEmpty()
            ? ""
            : " (Debian package " + requirement.debianPackage() + ")";
    if (ci) {
      throw new AssertionError(
          "required tool(s) " + missing + " not found on PATH" + hint
              + "; under CI=true this is a failure: .ci/run must install them");
    }
    throw new TestAbortedException(
        "skipped: required tool(s) " + missing + " not found on PATH" + hint);
  }

  /** True when running under CI, where missing tools are failures rather than skips. */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Finds a program by absolute path or on {@code PATH}. */
  public static Optional<Path> locate(String tool) {
    if (tool.contains("/")) {
      Path path = Path.of(tool);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
    List<String> dirs = new ArrayList<>(List.of(pathVariable.split(":")));
    // Debian puts some tools (docker-registry's helpers, runc on older images) in sbin, which a
    // non-login shell may not have on PATH.
    dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
