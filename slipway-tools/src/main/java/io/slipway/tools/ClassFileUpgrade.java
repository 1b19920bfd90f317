package io.slipway.tools;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one class file of an old version (before Java 8, class file version 52) as version 52
 * with stack-map frames computed, leaving its code as it is. Class files of version 52 or later
 * come back unchanged. Thread-safe.
 *
 * <p>Why: the JVM's class archives (dynamic CDS, the JDK 25 AOT cache) do not hold classes older
 * than version 50, because those are verified by the old inference verifier at every load. With
 * frames, the type-checking verifier checks them once, when the archive is made. Version 52 rather
 * than 50 because from 51 on the JVM has no fallback to the old verifier, so frames that were wrong
 * would fail loudly instead of silently costing the archive.
 */
final class ClassFileUpgrade {

  /** The class file version written: Java 8, the first every supported JDK verifies by type. */
  static final int TARGET_MAJOR = Opcodes.V1_8 & 0xFFFF;

  private final ClassHierarchy hierarchy;

  ClassFileUpgrade(ClassHierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  /** The major version of a class file; fails naming {@code name} when it is not a class file. */
  static int majorVersion(String name, byte[] classFile) {
    if (classFile.length < 8 || readInt(classFile, 0) != 0xCAFEBABE) {
      throw new IllegalArgumentException(name + " is not a class file (no 0xCAFEBABE header)");
    }
    return ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
  }

  private static int readInt(byte[] bytes, int at) {
    return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16)
        | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
  }

  /** Whether {@link #upgrade} would change this class file. */
  static boolean needsUpgrade(String name, byte[] classFile) {
    return majorVersion(name, classFile) < TARGET_MAJOR;
  }

  /**
   * {@code classFile} as version 52 with frames, or unchanged when it is already 52 or newer.
   * {@code name} (the jar entry) appears in errors: subroutines ({@code jsr}/{@code ret}), which
   * version 51+ forbids, are refused rather than rewritten.
   */
  byte[] upgrade(String name, byte[] classFile) {
    if (!needsUpgrade(name, classFile)) {
      return classFile;
    }
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(String type1, String type2) {
        return hierarchy.commonSuperclass(type1, type2);
      }
    };
    reader.accept(new VersionRewriter(name, writer), 0);
    return writer.toByteArray();
  }

  /** Sets the version and refuses subroutines; confined to one {@link #upgrade} call. */
  private static final class VersionRewriter extends ClassVisitor {
    private final String entry;

    VersionRewriter(String entry, ClassVisitor next) {
      super(Opcodes.ASM9, next);
      this.entry = entry;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      String method = name + descriptor;
      return new MethodVisitor(Opcodes.ASM9,
          super.visitMethod(access, name, descriptor, signature, exceptions)) {
        @Override
        public void visitJumpInsn(int opcode, Label label) {
          if (opcode == Opcodes.JSR) {
            throw subroutine();
          }
          super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
          if (opcode == Opcodes.RET) {
            throw subroutine();
          }
          super.visitVarInsn(opcode, varIndex);
        }

        private IllegalArgumentException subroutine() {
          return new IllegalArgumentException(entry + ": method " + method
              + " uses jsr/ret subroutines, which class file version " + TARGET_MAJOR
              + " does not allow; this tool does not inline them");
        }
      };
    }
  }
}
