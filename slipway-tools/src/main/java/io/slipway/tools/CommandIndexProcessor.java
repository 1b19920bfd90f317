package io.slipway.tools;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Annotation processor that writes, at compile time, what each picocli {@code @Command} class of
 * a module declares for a command listing (name, aliases, header, description, hidden) to the
 * resource {@value #RESOURCE}; the classes its {@code subcommands} attribute names are included,
 * even from other jars. The CLI reads this index to list commands it does not build, so that a
 * start-up reads no annotation at run time: every annotation type read at run time costs a dynamic
 * proxy class, which no class archive holds. Confined to javac's processing thread.
 *
 * <p>Keys are {@code BINARY_NAME.name}, {@code .hidden}, and {@code .aliases.N}, {@code .header.N},
 * {@code .description.N} for the elements of the arrays (N from 0). Entries are sorted and carry
 * no date, so the resource is the same for the same sources.
 *
 * <p>It claims every annotation ({@code *}): it is the only processor of the CLI's compilation,
 * and an unclaimed annotation is a warning under {@code -Xlint:all -Werror}.
 */
public final class CommandIndexProcessor extends AbstractProcessor {

  /** Where the index is written in the class output, and read from on the class path. */
  public static final String RESOURCE = "META-INF/slipway/commands.properties";

  private static final String COMMAND = "picocli.CommandLine.Command";

  private final Map<String, String> index = new TreeMap<>();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Deque<TypeElement> pending = new ArrayDeque<>();
    for (Element root : round.getRootElements()) {
      collectTypes(root, pending);
    }
    while (!pending.isEmpty()) {
      TypeElement type = pending.pop();
      AnnotationMirror command = commandAnnotation(type);
      if (command != null && add(type, command)) {
        for (AnnotationValue sub : list(command, "subcommands")) {
          TypeMirror mirror = (TypeMirror) sub.getValue();
          if (mirror instanceof DeclaredType declared) {
            pending.push((TypeElement) declared.asElement());
          }
        }
      }
    }
    if (round.processingOver() && !index.isEmpty()) {
      write();
    }
    return true;
  }

  private static void collectTypes(Element element, Deque<TypeElement> into) {
    if (element instanceof TypeElement type) {
      into.push(type);
      for (TypeElement nested : ElementFilter.typesIn(type.getEnclosedElements())) {
        collectTypes(nested, into);
      }
    }
  }

  private static AnnotationMirror commandAnnotation(TypeElement type) {
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      TypeElement annotation = (TypeElement) mirror.getAnnotationType().asElement();
      if (annotation.getQualifiedName().contentEquals(COMMAND)) {
        return mirror;
      }
    }
    return null;
  }

  /** Adds {@code type}'s entry; false when it was there already. */
  private boolean add(TypeElement type, AnnotationMirror command) {
    String key = processingEnv.getElementUtils().getBinaryName(type).toString();
    if (index.containsKey(key + ".name")) {
      return false;
    }
    Object name = value(command, "name");
    index.put(key + ".name", name == null ? "<main class>" : name.toString());
    Object hidden = value(command, "hidden");
    index.put(key + ".hidden", String.valueOf(hidden != null && (Boolean) hidden));
    for (String array : List.of("aliases", "header", "description")) {
      List<? extends AnnotationValue> values = list(command, array);
      for (int i = 0; i < values.size(); i++) {
        index.put(key + "." + array + "." + i, values.get(i).getValue().toString());
      }
    }
    return true;
  }

  /** An attribute set on the annotation, or null when it keeps its default. */
  private static Object value(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
        : mirror.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return entry.getValue().getValue();
      }
    }
    return null;
  }

  private static List<? extends AnnotationValue> list(AnnotationMirror mirror, String attribute) {
    Object value = value(mirror, attribute);
    if (value == null) {
      return List.of();
    }
    @SuppressWarnings("unchecked") // an array attribute's value is a list of AnnotationValues
    List<? extends AnnotationValue> values = (List<? extends AnnotationValue>) value;
    return values;
  }

  private void write() {
    Properties properties = new Properties();
    properties.putAll(index);
    StringWriter text = new StringWriter();
    try {
      properties.store(text, null);
      // store() begins with the current date as a comment and writes in hash order; dropping
      // the comment and sorting the lines keeps the jar the same from one build to the next.
      StringBuilder lines = new StringBuilder();
      text.toString().lines().filter(line -> !line.startsWith("#")).sorted()
          .forEach(line -> lines.append(line).append('\n'));
      FileObject file = processingEnv.getFiler()
          .createResource(StandardLocation.CLASS_OUTPUT, "", RESOURCE);
      try (Writer out = file.openWriter()) {
        out.write(lines.toString());
      }
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          "cannot write " + RESOURCE + ": " + e.getMessage());
    }
  }
}
