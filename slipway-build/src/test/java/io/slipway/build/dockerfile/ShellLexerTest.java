package io.slipway.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellLexerTest {

  private static final Map<String, String> ENV = env();

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("NAME", "world");
    env.put("EMPTY", "");
    env.put("PATH_VAR", "/usr/local/bin/app.tar.gz");
    env.put("SPACED", "a  b");
    return env;
  }

  private static String expand(String word) {
    return ShellLexer.of('\\').expandWord(word, ENV);
  }

  @Test
  void expandsPlainAndBracedWhenSet() {
    assertThat(expand("hello $NAME")).isEqualTo("hello world");
    assertThat(expand("${NAME}s")).isEqualTo("worlds");
    assertThat(expand("$NAME_x")).isEqualTo("");
    assertThat(expand("$UNSET-x")).isEqualTo("-x");
  }

  @Test
  void keepsLoneDollarWhenNoNameFollows() {
    assertThat(expand("cost $ 5 $")).isEqualTo("cost $ 5 $");
  }

  @Test
  void usesDefaultWhenUnsetOrEmptyWithColon() {
    assertThat(expand("${UNSET:-def}")).isEqualTo("def");
    assertThat(expand("${EMPTY:-def}")).isEqualTo("def");
    assertThat(expand("${NAME:-def}")).isEqualTo("world");
  }

  @Test
  void usesDefaultOnlyWhenUnsetWithoutColon() {
    assertThat(expand("${UNSET-def}")).isEqualTo("def");
    assertThat(expand("${EMPTY-def}")).isEqualTo("");
  }

  @Test
  void usesAlternativeWhenSet() {
    assertThat(expand("${NAME:+alt}")).isEqualTo("alt");
    assertThat(expand("${EMPTY:+alt}")).isEqualTo("");
    assertThat(expand("${EMPTY+alt}")).isEqualTo("alt");
    assertThat(expand("${UNSET+alt}")).isEqualTo("");
  }

  @Test
  void expandsVariablesInsideDefault() {
    assertThat(expand("${UNSET:-$NAME/x}")).isEqualTo("world/x");
  }

  @Test
  void failsWhenRequiredVariableUnset() {
    assertThatThrownBy(() -> expand("${TOKEN:?must be set}"))
        .isInstanceOf(ExpansionException.class)
        .hasMessage("TOKEN: must be set")
        .extracting(e -> ((ExpansionException) e).kind())
        .isEqualTo(DockerfileException.Kind.UNDEFINED_REQUIRED_VARIABLE);
    assertThatThrownBy(() -> expand("${TOKEN?}")).hasMessage("TOKEN: is not allowed to be unset");
    assertThatThrownBy(() -> expand("${EMPTY:?}")).hasMessage("EMPTY: is not allowed to be empty");
    assertThat(expand("${EMPTY?}")).isEqualTo("");
    assertThat(expand("${NAME:?x}")).isEqualTo("world");
  }

  @Test
  void removesShortestAndLongestPrefix() {
    assertThat(expand("${PATH_VAR#*/}")).isEqualTo("usr/local/bin/app.tar.gz");
    assertThat(expand("${PATH_VAR##*/}")).isEqualTo("app.tar.gz");
  }

  @Test
  void removesShortestAndLongestSuffix() {
    assertThat(expand("${PATH_VAR%.*}")).isEqualTo("/usr/local/bin/app.tar");
    assertThat(expand("${PATH_VAR%%.*}")).isEqualTo("/usr/local/bin/app");
    assertThat(expand("${PATH_VAR%/*}")).isEqualTo("/usr/local/bin");
  }

  @Test
  void matchesCharacterClassesAndSingleCharacters() {
    assertThat(expand("${NAME#[a-w]}")).isEqualTo("orld");
    assertThat(expand("${NAME%?}")).isEqualTo("worl");
    assertThat(expand("${NAME#[!w]}")).isEqualTo("world");
  }

  @Test
  void replacesFirstAndAllMatches() {
    assertThat(expand("${PATH_VAR/\\//:}")).isEqualTo(":usr/local/bin/app.tar.gz");
    assertThat(expand("${PATH_VAR//\\//:}")).isEqualTo(":usr:local:bin:app.tar.gz");
    assertThat(expand("${NAME/o/0}")).isEqualTo("w0rld");
    assertThat(expand("${UNSET/a/b}")).isEqualTo("");
  }

  @Test
  void rejectsMalformedSubstitution() {
    assertThatThrownBy(() -> expand("${NAME")).hasMessage("syntax error: missing '}'");
    assertThatThrownBy(() -> expand("${}")).hasMessage("syntax error: bad substitution");
    assertThatThrownBy(() -> expand("${NAME:#x}"))
        .hasMessage("unsupported modifier (:#) in substitution");
    assertThatThrownBy(() -> expand("${NAME^}"))
        .hasMessage("unsupported modifier (^) in substitution")
        .extracting(e -> ((ExpansionException) e).kind())
        .isEqualTo(DockerfileException.Kind.BAD_SUBSTITUTION);
  }

  @Test
  void keepsSingleQuotedTextLiteral() {
    assertThat(expand("'$NAME \\n'")).isEqualTo("$NAME \\n");
  }

  @Test
  void expandsInsideDoubleQuotesAndHonoursEscapes() {
    assertThat(expand("\"$NAME 'q' \\$NAME \\\" \\x\"")).isEqualTo("world 'q' $NAME \" \\x");
  }

  @Test
  void removesEscapeOutsideQuotes() {
    assertThat(expand("\\$NAME a\\ b")).isEqualTo("$NAME a b");
  }

  @Test
  void usesBacktickAsEscapeWhenConfigured() {
    assertThat(ShellLexer.of('`').expandWord("C:\\dir `$NAME", ENV)).isEqualTo("C:\\dir $NAME");
  }

  @Test
  void rejectsUnterminatedQuotes() {
    assertThatThrownBy(() -> expand("'abc"))
        .hasMessage("unexpected end of statement while looking for matching single-quote");
    assertThatThrownBy(() -> expand("\"abc"))
        .hasMessage("unexpected end of statement while looking for matching double-quote");
  }

  @Test
  void splitsUnquotedExpansionIntoWords() {
    ShellLexer lexer = ShellLexer.of('\\');
    assertThat(lexer.expandWords("x $SPACED \"$SPACED\" ''", ENV))
        .containsExactly("x", "a", "b", "a  b");
  }

  @Test
  void leavesUnsetVariablesWhenSkipping() {
    ShellLexer lexer = ShellLexer.of('\\').withSkipUnset();
    assertThat(lexer.expandWord("$UNSET ${UNSET} ${UNSET:-x} $NAME", ENV))
        .isEqualTo("$UNSET ${UNSET} ${UNSET:-x} world");
  }

  @Test
  void keepsQuotesWhenProcessingOfQuotesIsOff() {
    ShellLexer lexer = ShellLexer.of('\\').withQuotesUnprocessed();
    assertThat(lexer.expandWord("echo '$NAME' \"$NAME\"", ENV))
        .isEqualTo("echo 'world' \"world\"");
  }

  @Test
  void reportsUsedAndUnsetVariables() {
    ShellLexer.Expansion expansion =
        ShellLexer.of('\\').expand("$NAME ${MISSING:-x} $GONE", ENV);
    assertThat(expansion.used()).containsExactlyInAnyOrder("NAME", "MISSING", "GONE");
    assertThat(expansion.unset()).containsExactly("GONE");
    assertThat(expansion.words()).isEqualTo(List.of("world", "x"));
  }
}
