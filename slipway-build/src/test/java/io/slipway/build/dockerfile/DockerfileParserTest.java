package io.slipway.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {

  private static List<Instruction> parse(String text) {
    return DockerfileParser.parse("Dockerfile", text).instructions();
  }

  private static <T extends Instruction> T only(String text, Class<T> type) {
    List<Instruction> instructions = parse(text);
    assertThat(instructions).hasSize(1);
    return type.cast(instructions.getFirst());
  }

  private static DockerfileException failure(String text) {
    try {
      DockerfileParser.parse("Dockerfile", text);
    } catch (DockerfileException e) {
      return e;
    }
    throw new AssertionError("expected a DockerfileException for: " + text);
  }

  @Test
  void parsesFromWithPlatformAndStageNameWhenAllGiven() {
    Instruction.From from =
        only("FROM --platform=$BUILDPLATFORM golang:1.22 AS Builder\n", Instruction.From.class);
    assertThat(from.image()).isEqualTo("golang:1.22");
    assertThat(from.platform()).contains("$BUILDPLATFORM");
    assertThat(from.stageName()).contains("builder");
    assertThat(from.stageNameAsWritten()).contains("Builder");
    assertThat(from.asKeyword()).contains("AS");
  }

  @Test
  void rejectsFromWhenTwoArgumentsGiven() {
    DockerfileException e = failure("FROM alpine builder\n");
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.INVALID_ARGUMENTS);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dockerfile:1:1: FROM requires either one or three arguments in \"FROM alpine builder\"");
  }

  @Test
  void rejectsStageNameWhenItStartsWithDigit() {
    assertThat(failure("FROM alpine AS 1st\n").detail())
        .isEqualTo(
            "invalid name for build stage: \"1st\", name can't start with a number or contain"
                + " symbols");
  }

  @Test
  void parsesRunInShellFormWhenArgumentsAreNotJson() {
    Instruction.Run run = only("RUN echo hello && ls /\n", Instruction.Run.class);
    assertThat(run.command()).isEqualTo(Command.shell("echo hello && ls /"));
  }

  @Test
  void parsesRunInExecFormWhenArgumentsAreJsonStrings() {
    Instruction.Run run = only("RUN [\"echo\", \"a b\"]\n", Instruction.Run.class);
    assertThat(run.command()).isEqualTo(Command.exec(List.of("echo", "a b")));
  }

  @Test
  void fallsBackToShellFormWhenJsonIsMalformed() {
    Instruction.Cmd cmd = only("CMD [\"echo\", 'single']\n", Instruction.Cmd.class);
    assertThat(cmd.command()).isEqualTo(Command.shell("[\"echo\", 'single']"));
  }

  @Test
  void fallsBackToShellFormWhenJsonHasTrailingText() {
    Instruction.Cmd cmd = only("CMD [\"echo\"] extra\n", Instruction.Cmd.class);
    assertThat(cmd.command().execForm()).isFalse();
  }

  @Test
  void rejectsJsonArrayWhenItHoldsNonStrings() {
    DockerfileException e = failure("ENTRYPOINT [\"app\", 1]\n");
    assertThat(e.detail())
        .isEqualTo("when using JSON array syntax, arrays must be comprised of strings only");
  }

  @Test
  void keepsEmptyExecFormWhenCmdIsEmptyArray() {
    Instruction.Cmd cmd = only("CMD []\n", Instruction.Cmd.class);
    assertThat(cmd.command()).isEqualTo(Command.exec(List.of()));
  }

  @Test
  void parsesEntrypointInBothForms() {
    List<Instruction> all = parse("ENTRYPOINT [\"/app\"]\nENTRYPOINT /app --serve\n");
    assertThat(((Instruction.Entrypoint) all.get(0)).command().execForm()).isTrue();
    assertThat(((Instruction.Entrypoint) all.get(1)).command().shellText()).isEqualTo("/app --serve");
  }

  @Test
  void requiresJsonWhenShellGiven() {
    assertThat(only("SHELL [\"powershell\", \"-Command\"]\n", Instruction.Shell.class).shell())
        .containsExactly("powershell", "-Command");
    assertThat(failure("SHELL /bin/bash -c\n").detail())
        .isEqualTo("SHELL requires the arguments to be in JSON form");
  }

  @Test
  void parsesLabelPairsWhenQuotedValuesHaveSpaces() {
    Instruction.Label label =
        only("LABEL a=1 \"b c\"=\"d e\" version=\"1.0\"\n", Instruction.Label.class);
    assertThat(label.legacyForm()).isFalse();
    assertThat(label.labels())
        .containsExactly(
            new KeyValue("a", "1"), new KeyValue("\"b c\"", "\"d e\""),
            new KeyValue("version", "\"1.0\""));
  }

  @Test
  void parsesLegacyEnvWhenFirstWordHasNoEquals() {
    Instruction.Env env = only("ENV JAVA_HOME /opt/java home\n", Instruction.Env.class);
    assertThat(env.legacyForm()).isTrue();
    assertThat(env.variables()).containsExactly(new KeyValue("JAVA_HOME", "/opt/java home"));
  }

  @Test
  void parsesEnvPairsWhenSeveralGiven() {
    Instruction.Env env = only("ENV A=1 B=\"two words\" C=a\\ b\n", Instruction.Env.class);
    assertThat(env.variables())
        .containsExactly(
            new KeyValue("A", "1"), new KeyValue("B", "\"two words\""), new KeyValue("C", "a\\ b"));
  }

  @Test
  void rejectsEnvWhenAPairLacksEquals() {
    assertThat(failure("ENV A=1 B\n").detail())
        .isEqualTo("Syntax error - can't find = in \"B\". Must be of the form: name=value");
    assertThat(failure("ENV ONLY\n").detail()).isEqualTo("ENV must have two arguments");
  }

  @Test
  void parsesMaintainerExposeUserWorkdirStopsignal() {
    List<Instruction> all =
        parse(
            "MAINTAINER Jane <jane@example.com>\nEXPOSE 80/tcp 443 53/udp\nUSER app:app\n"
                + "WORKDIR /srv/app\nSTOPSIGNAL SIGTERM\n");
    assertThat(((Instruction.Maintainer) all.get(0)).maintainer())
        .isEqualTo("Jane <jane@example.com>");
    assertThat(((Instruction.Expose) all.get(1)).ports()).containsExactly("80/tcp", "443", "53/udp");
    assertThat(((Instruction.User) all.get(2)).user()).isEqualTo("app:app");
    assertThat(((Instruction.Workdir) all.get(3)).path()).isEqualTo("/srv/app");
    assertThat(((Instruction.Stopsignal) all.get(4)).signal()).isEqualTo("SIGTERM");
  }

  @Test
  void parsesVolumeInBothForms() {
    List<Instruction> all = parse("VOLUME /data /logs\nVOLUME [\"/cache\"]\n");
    assertThat(((Instruction.Volume) all.get(0)).paths()).containsExactly("/data", "/logs");
    assertThat(((Instruction.Volume) all.get(1)).paths()).containsExactly("/cache");
    assertThat(failure("VOLUME [\"\"]\n").detail())
        .isEqualTo("VOLUME specified can not be an empty string");
  }

  @Test
  void parsesArgNamesWithAndWithoutDefaults() {
    Instruction.Arg arg = only("ARG A B=2 C=\"x y\"\n", Instruction.Arg.class);
    assertThat(arg.declarations())
        .containsExactly(
            new ArgDeclaration("A", Optional.empty()),
            new ArgDeclaration("B", Optional.of("2")),
            new ArgDeclaration("C", Optional.of("\"x y\"")));
    assertThat(failure("ARG =1\n").detail()).isEqualTo("ARG names can not be blank");
  }

  @Test
  void parsesOnbuildTriggerWhenItIsAnInstruction() {
    Instruction.Onbuild onbuild = only("ONBUILD COPY . /app/src\n", Instruction.Onbuild.class);
    assertThat(onbuild.expression()).isEqualTo("COPY . /app/src");
    assertThat(onbuild.trigger()).isInstanceOf(Instruction.Copy.class);
    assertThat(((Instruction.Copy) onbuild.trigger()).destination()).isEqualTo("/app/src");
  }

  @Test
  void rejectsOnbuildWhenTriggerIsOnbuildOrFrom() {
    assertThat(failure("ONBUILD ONBUILD RUN x\n").detail())
        .isEqualTo("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    assertThat(failure("ONBUILD from alpine\n").detail())
        .isEqualTo("FROM isn't allowed as an ONBUILD trigger");
  }

  @Test
  void parsesHealthcheckWithAllOptions() {
    Instruction.Healthcheck check =
        only(
            "HEALTHCHECK --interval=30s --timeout=1m30s --start-period=5s --start-interval=500ms"
                + " --retries=3 CMD curl -f http://localhost/ || exit 1\n",
            Instruction.Healthcheck.class);
    assertThat(check.test()).containsExactly("CMD-SHELL", "curl -f http://localhost/ || exit 1");
    assertThat(check.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(check.startPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(check.startInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(check.retries()).isEqualTo(3);
  }

  @Test
  void parsesHealthcheckExecFormAndNone() {
    List<Instruction> all = parse("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]\nHEALTHCHECK NONE\n");
    assertThat(((Instruction.Healthcheck) all.get(0)).test())
        .containsExactly("CMD", "/bin/check", "-q");
    assertThat(((Instruction.Healthcheck) all.get(1)).disabled()).isTrue();
  }

  @Test
  void rejectsHealthcheckWhenMalformed() {
    assertThat(failure("HEALTHCHECK NONE x\n").detail())
        .isEqualTo("HEALTHCHECK NONE takes no arguments");
    assertThat(failure("HEALTHCHECK RUN x\n").detail())
        .isEqualTo("Unknown type \"RUN\" in HEALTHCHECK (try CMD)");
    assertThat(failure("HEALTHCHECK CMD\n").detail())
        .isEqualTo("Missing command after HEALTHCHECK CMD");
    assertThat(failure("HEALTHCHECK --interval=fast CMD true\n").detail())
        .isEqualTo(
            "invalid duration for --interval: \"fast\" (use a form such as 30s, 1m30s or 500ms)");
    assertThat(failure("HEALTHCHECK --timeout=10us CMD true\n").detail())
        .isEqualTo("Interval \"timeout\" cannot be less than 1ms");
    assertThat(failure("HEALTHCHECK --retries=-1 CMD true\n").detail())
        .isEqualTo("--retries cannot be negative (-1)");
  }

  @Test
  void parsesCopyFlagsWhenAllGiven() {
    Instruction.Copy copy =
        only(
            "COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md"
                + " --exclude=test/ a b /dst/\n",
            Instruction.Copy.class);
    assertThat(copy.from()).contains("build");
    assertThat(copy.chown()).contains("app:app");
    assertThat(copy.chmod()).contains("0755");
    assertThat(copy.link()).isTrue();
    assertThat(copy.parents()).isTrue();
    assertThat(copy.excludes()).containsExactly("*.md", "test/");
    assertThat(copy.sources()).containsExactly("a", "b");
    assertThat(copy.destination()).isEqualTo("/dst/");
  }

  @Test
  void acceptsSymbolicChmodWhenWellFormed() {
    assertThat(only("COPY --chmod=u+x,go-w a /b\n", Instruction.Copy.class).chmod())
        .contains("u+x,go-w");
    DockerfileException e = failure("COPY --chmod=999 a /b\n");
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.MALFORMED_FLAG);
    assertThat(e.column()).isEqualTo(6);
    assertThat(e.offendingText()).isEqualTo("--chmod=999");
  }

  @Test
  void parsesCopyExecFormWhenPathsHaveSpaces() {
    Instruction.Copy copy = only("COPY [\"my file\", \"/dst dir/\"]\n", Instruction.Copy.class);
    assertThat(copy.sources()).containsExactly("my file");
    assertThat(copy.destination()).isEqualTo("/dst dir/");
  }

  @Test
  void rejectsCopyWhenOnlyOneArgument() {
    assertThat(failure("COPY onlyone\n").detail())
        .isEqualTo(
            "COPY requires at least two arguments, but only one was provided. Destination could"
                + " not be determined.");
  }

  @Test
  void parsesAddFlagsWhenAllGiven() {
    Instruction.Add add =
        only(
            "ADD --checksum=sha256:" + "a".repeat(64) + " --keep-git-dir=true --unpack=false"
                + " --chown=1000 --chmod=644 --link --exclude=.git https://example.com/x.tgz /x/\n",
            Instruction.Add.class);
    assertThat(add.checksum()).contains("sha256:" + "a".repeat(64));
    assertThat(add.keepGitDir()).contains(true);
    assertThat(add.unpack()).contains(false);
    assertThat(add.link()).isTrue();
    assertThat(add.excludes()).containsExactly(".git");
    assertThat(add.sources()).containsExactly("https://example.com/x.tgz");
  }

  @Test
  void rejectsAddChecksumWhenNotADigest() {
    DockerfileException e = failure("ADD --checksum=md5:abc http://x/y /z\n");
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.MALFORMED_FLAG);
    assertThat(e.detail()).isEqualTo("invalid checksum digest \"md5:abc\"");
  }

  @Test
  void rejectsUnknownFlagWithItsLocation() {
    DockerfileException e = failure("FROM alpine\nCOPY --form=build a b\n");
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.MALFORMED_FLAG);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dockerfile:2:6: unknown flag: --form (COPY takes --chmod, --chown, --exclude, --from,"
                + " --link, --parents) in \"--form=build\"");
  }

  @Test
  void locatesFlagErrorOnContinuationLine() {
    DockerfileException e =
        failure("FROM alpine\nRUN --mount=type=cache,target=/x \\\n    --bogus=1 make\n");
    assertThat(e.location()).isEqualTo(new Location(3, 5));
    assertThat(e.offendingText()).isEqualTo("--bogus=1");
  }

  @Test
  void endsFlagsAtDoubleDash() {
    Instruction.Run run = only("RUN --network=none -- --not-a-flag\n", Instruction.Run.class);
    assertThat(run.network()).contains("none");
    assertThat(run.command().shellText()).isEqualTo("--not-a-flag");
  }

  @Test
  void readsAddHeredocSource() {
    Instruction.Add add = only("ADD <<EOF /etc/motd\nwelcome\nEOF\n", Instruction.Add.class);
    assertThat(add.heredocSources()).containsExactly(new Heredoc("EOF", "welcome\n", true, false, 0));
  }

  @Test
  void rejectsFlagWhenValueMissingOrDuplicatedOrNotBoolean() {
    assertThat(failure("COPY --from a b\n").detail()).isEqualTo("missing a value on flag: --from");
    assertThat(failure("COPY --from=a --from=b a b\n").detail())
        .isEqualTo("duplicate flag specified: --from");
    assertThat(failure("COPY --link=yes a b\n").detail())
        .isEqualTo("expecting boolean value for flag --link, not: yes");
    assertThat(failure("ENV --x=1 A=1\n").detail())
        .isEqualTo("unknown flag: --x (ENV takes no flags)");
  }

  @Test
  void parsesRunNetworkAndSecurityWhenValid() {
    Instruction.Run run =
        only("RUN --network=none --security=insecure make\n", Instruction.Run.class);
    assertThat(run.network()).contains("none");
    assertThat(run.security()).contains("insecure");
    assertThat(failure("RUN --network=bridge make\n").detail())
        .isEqualTo("unsupported network mode \"bridge\" (use default, none or host)");
    assertThat(failure("RUN --security=root make\n").detail())
        .isEqualTo("unsupported security mode \"root\" (use sandbox or insecure)");
  }

  @Test
  void keepsMountsInOrderWhenSeveralGiven() {
    Instruction.Run run =
        only(
            "RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=npm make\n",
            Instruction.Run.class);
    assertThat(run.mounts()).extracting(MountSpec::text)
        .containsExactly("type=cache,target=/root/.m2", "type=secret,id=npm");
  }

  @Test
  void treatsFlagQuotesAsPartOfValue() {
    Instruction.Run run =
        only("RUN --mount=\"type=bind,source=a b,target=/x\" ls\n", Instruction.Run.class);
    assertThat(run.mounts().getFirst().text()).isEqualTo("type=bind,source=a b,target=/x");
  }

  @Test
  void rejectsUnknownInstructionWithSuggestion() {
    DockerfileException e = failure("FROM alpine\n  FRM busybox\n");
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.UNKNOWN_INSTRUCTION);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dockerfile:2:3: unknown instruction: FRM (did you mean FROM?) in \"FRM busybox\"");
  }

  @Test
  void acceptsInstructionsInAnyCase() {
    List<Instruction> all = parse("from alpine\nRun echo\ncOpY a b\n");
    assertThat(all).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "COPY");
    assertThat(all.get(1).origin().keyword()).isEqualTo("Run");
  }

  @Test
  void joinsContinuationLinesSkippingCommentsAndEmptyLines() {
    Dockerfile file =
        DockerfileParser.parse(
            "Dockerfile",
            "RUN apt-get update && \\\n    # a comment inside\n\n    apt-get install -y curl\nUSER x\n");
    Instruction.Run run = (Instruction.Run) file.instructions().getFirst();
    assertThat(run.command().shellText()).isEqualTo("apt-get update &&     apt-get install -y curl");
    assertThat(run.origin().range()).isEqualTo(new SourceRange(1, 4));
    assertThat(file.instructions().get(1).origin().location()).isEqualTo(new Location(5, 1));
    assertThat(file.warnings())
        .containsExactly(
            new ParseWarning(
                "NoEmptyContinuation", new Location(3, 1),
                "Empty continuation line found in instruction starting at line 1"));
  }

  @Test
  void allowsBlanksAfterContinuationCharacter() {
    Instruction.Run run = only("RUN a \\  \n b\n", Instruction.Run.class);
    assertThat(run.command().shellText()).isEqualTo("a  b");
  }

  @Test
  void readsDirectivesOnlyAtTheTop() {
    Dockerfile file =
        DockerfileParser.parse(
            "Dockerfile",
            "# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended;error=true\n"
                + "# escape=`\nFROM alpine\n# escape=\\\n");
    assertThat(file.directives().syntax()).contains("docker/dockerfile:1.7");
    assertThat(file.directives().check()).contains("skip=JSONArgsRecommended;error=true");
    assertThat(file.directives().checkLocation()).contains(new Location(2, 1));
    assertThat(file.directives().escape()).isEqualTo('`');
  }

  @Test
  void ignoresDirectiveAfterComment() {
    Dockerfile file = DockerfileParser.parse("Dockerfile", "# hello\n# escape=`\nFROM x\n");
    assertThat(file.directives().escape()).isEqualTo('\\');
  }

  @Test
  void rejectsDirectiveWhenRepeatedOrInvalid() {
    DockerfileException repeated = failure("# escape=`\n# escape=`\nFROM x\n");
    assertThat(repeated.kind()).isEqualTo(DockerfileException.Kind.INVALID_DIRECTIVE);
    assertThat(repeated.getMessage())
        .isEqualTo(
            "Dockerfile:2:1: only one escape parser directive can be used in \"# escape=`\"");
    assertThat(failure("# escape=x\nFROM x\n").detail())
        .isEqualTo("invalid escape token 'x' does not match ` or \\");
  }

  @Test
  void continuesLinesWithBacktickWhenEscapeDirectiveSet() {
    Instruction.Run run =
        (Instruction.Run)
            parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\n")
                .get(1);
    assertThat(run.command().shellText()).isEqualTo("dir   c:\\");
  }

  @Test
  void keepsCommentsAboveInstruction() {
    List<Instruction> all = parse("# build stage\n# compiles\nFROM alpine AS build\n");
    assertThat(all.getFirst().origin().comments()).containsExactly("build stage", "compiles");
  }

  @Test
  void readsRunHeredocWhenDelimiterUnquoted() {
    Instruction.Run run =
        only("RUN <<EOF\necho $HOME\napk add curl\nEOF\n", Instruction.Run.class);
    assertThat(run.command().shellText()).isEqualTo("<<EOF");
    assertThat(run.heredocs())
        .containsExactly(new Heredoc("EOF", "echo $HOME\napk add curl\n", true, false, 0));
    assertThat(run.origin().range()).isEqualTo(new SourceRange(1, 4));
  }

  @Test
  void disablesExpansionWhenDelimiterQuoted() {
    Instruction.Run run = only("RUN <<'EOF'\necho $HOME\nEOF\n", Instruction.Run.class);
    assertThat(run.heredocs().getFirst().expand()).isFalse();
    assertThat(run.heredocs().getFirst().name()).isEqualTo("EOF");
    Instruction.Run doubled = only("RUN <<\"EOF\"\necho $HOME\nEOF\n", Instruction.Run.class);
    assertThat(doubled.heredocs().getFirst().expand()).isFalse();
  }

  @Test
  void stripsLeadingTabsWhenHeredocHasDash() {
    Instruction.Run run = only("RUN <<-EOF\n\techo a\n\t\techo b\n\tEOF\n", Instruction.Run.class);
    Heredoc heredoc = run.heredocs().getFirst();
    assertThat(heredoc.chomp()).isTrue();
    assertThat(heredoc.rawContent()).isEqualTo("\techo a\n\t\techo b\n");
    assertThat(heredoc.content()).isEqualTo("echo a\necho b\n");
  }

  @Test
  void readsSeveralHeredocsOnOneLine() {
    Instruction.Copy copy =
        only("COPY <<A <<B /dst/\nalpha\nA\nbeta\nB\n", Instruction.Copy.class);
    assertThat(copy.heredocSources())
        .containsExactly(
            new Heredoc("A", "alpha\n", true, false, 0), new Heredoc("B", "beta\n", true, false, 0));
    assertThat(copy.sources()).isEmpty();
    assertThat(copy.destination()).isEqualTo("/dst/");
  }

  @Test
  void readsHeredocWithFileDescriptorAndCommand() {
    Instruction.Run run =
        only("RUN python3 3<<PY\nprint('hi')\nPY\n", Instruction.Run.class);
    assertThat(run.heredocs()).containsExactly(new Heredoc("PY", "print('hi')\n", true, false, 3));
  }

  @Test
  void ignoresHeredocSyntaxWhenExecForm() {
    // The body line is not consumed as a heredoc, so it is read as an instruction.
    assertThat(failure("RUN [\"cat\", \"<<EOF\"]\nEOF\n").detail())
        .isEqualTo("unknown instruction: EOF (did you mean ENV?)");
    Instruction.Run run = only("RUN [\"cat\", \"<<EOF\"]\n", Instruction.Run.class);
    assertThat(run.heredocs()).isEmpty();
  }

  @Test
  void rejectsUnterminatedHeredoc() {
    DockerfileException e = failure("FROM alpine\nRUN cat <<EOF >/x\nhello\n");
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.UNTERMINATED_HEREDOC);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dockerfile:2:9: unterminated heredoc: no line \"EOF\" ends it before the end of the"
                + " file in \"<<EOF\"");
  }

  @Test
  void rejectsHeredocAsCopyDestination() {
    assertThat(failure("COPY a <<EOF\nx\nEOF\n").detail())
        .isEqualTo("COPY cannot accept a heredoc as a destination");
  }

  @Test
  void stripsByteOrderMarkAndCarriageReturns() {
    List<Instruction> all = parse("\uFEFFFROM alpine\r\nRUN echo \\\r\n  hi\r\n");
    assertThat(((Instruction.From) all.get(0)).image()).isEqualTo("alpine");
    assertThat(((Instruction.Run) all.get(1)).command().shellText()).isEqualTo("echo   hi");
  }

  @Test
  void requiresArgumentsWhenInstructionIsBare() {
    assertThat(failure("FROM alpine\nWORKDIR\n").detail())
        .isEqualTo("WORKDIR requires at least one argument");
  }
}
