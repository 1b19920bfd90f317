package io.slipway.tools;

import java.util.Map;
import java.util.Optional;

/**
 * The superclass and kind (class or interface) of every class a jar defines, with the running
 * JDK's own classes as fallback: what computing stack-map frames needs to know to merge two types.
 * Immutable and thread-safe.
 *
 * <p>JDK classes are looked up by reflection (without initializing them) rather than by reading
 * their class files, so that a JDK whose class files are newer than ASM knows still works.
 */
final class ClassHierarchy {

  /** One class as the merge sees it; {@code superName} is null only for {@code java/lang/Object}. */
  record Node(String superName, boolean isInterface) {}

  private final Map<String, Node> jarClasses;

  ClassHierarchy(Map<String, Node> jarClasses) {
    this.jarClasses = Map.copyOf(jarClasses);
  }

  /**
   * The class named {@code internalName} ({@code a/b/C}); fails naming it when neither the jar
   * nor the JDK defines it.
   */
  Node node(String internalName) {
    Node node = jarClasses.get(internalName);
    if (node != null) {
      return node;
    }
    return jdkNode(internalName).orElseThrow(() -> new IllegalStateException(
        "cannot compute stack-map frames: " + internalName.replace('/', '.')
            + " is defined neither in the jar nor in the JDK"));
  }

  private static Optional<Node> jdkNode(String internalName) {
    try {
      Class<?> type = Class.forName(
          internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      Class<?> superclass = type.getSuperclass();
      String superName = superclass == null ? null : superclass.getName().replace('.', '/');
      // An interface's superclass is Object in the class file; reflection says null.
      if (type.isInterface()) {
        superName = "java/lang/Object";
      }
      return Optional.of(new Node(superName, type.isInterface()));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  /**
   * The most specific class both {@code a} and {@code b} extend. When either is an interface the
   * answer is {@code java/lang/Object}: the JVM's type-checking verifier treats every interface
   * type as {@code Object} when it checks assignments (JVMS 4.10.1.2), so that merge always
   * verifies.
   */
  String commonSuperclass(String a, String b) {
    if (a.equals(b)) {
      return a;
    }
    if (node(a).isInterface() || node(b).isInterface()) {
      return "java/lang/Object";
    }
    for (String left = a; left != null; left = node(left).superName()) {
      for (String right = b; right != null; right = node(right).superName()) {
        if (left.equals(right)) {
          return left;
        }
      }
    }
    return "java/lang/Object";
  }
}
