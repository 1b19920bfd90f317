package io.slipway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares the external programs a test needs, such as {@code skopeo} or {@code runc}.
 *
 * <p>On a developer machine a missing program skips the test and says which program and which
 * Debian package provide it. Under CI ({@code CI=true}) a missing program fails the test, because
 * {@code .ci/run} is supposed to have installed it and a silent skip would hide that it did not.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiredToolsExtension.class)
public @interface RequiresTool {
  /** Program names looked up on {@code PATH} (or absolute paths). */
  String[] value();

  /** The Debian package that provides the programs, named in the skip or failure message. */
  String debianPackage() default "";
}
