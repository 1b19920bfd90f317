package io.slipway.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RequiredToolsExtensionTest {

  @RequiresTool(value = "slipway-no-such-tool", debianPackage = "no-such-package")
  void needsAMissingTool() {}

  @RequiresTool({"sh", "slipway-no-such-tool"})
  void needsOnePresentAndOneMissingTool() {}

  @RequiresTool("sh")
  void needsAPresentTool() {}

  void needsNothing() {}

  private static Method method(String name) throws NoSuchMethodException {
    return RequiredToolsExtensionTest.class.getDeclaredMethod(name);
  }

  @Test
  void doesSkipOnADeveloperMachineNamingToolAndPackage() {
    assertThatThrownBy(() -> RequiredToolsExtension.check(method("needsAMissingTool"), false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("[slipway-no-such-tool]")
        .hasMessageContaining("Debian package no-such-package");
  }

  @Test
  void doesFailUnderCiNamingToolAndPackage() {
    assertThatThrownBy(() -> RequiredToolsExtension.check(method("needsAMissingTool"), true))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[slipway-no-such-tool]")
        .hasMessageContaining("Debian package no-such-package")
        .hasMessageContaining(".ci/run must install them");
  }

  @Test
  void doesNameOnlyTheMissingTools() {
    assertThatThrownBy(
            () -> RequiredToolsExtension.check(method("needsOnePresentAndOneMissingTool"), true))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[slipway-no-such-tool]")
        .hasMessageNotContaining("sh,");
  }

  @Test
  void doesLetATestRunWhenItsToolsArePresentOrItNeedsNone() {
    assertThatCode(() -> RequiredToolsExtension.check(method("needsAPresentTool"), true))
        .doesNotThrowAnyException();
    assertThatCode(() -> RequiredToolsExtension.check(method("needsNothing"), true))
        .doesNotThrowAnyException();
  }
}
