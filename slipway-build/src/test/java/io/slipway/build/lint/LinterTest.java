package io.slipway.build.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.dockerfile.Location;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinterTest {

  private static LintReport lint(String text) {
    return Linter.check(
        DockerfileParser.parse("Dockerfile", text),
        BuildOptions.defaults().withTargetPlatform(Platform.parse("linux/amd64")),
        ImageResolver.offline());
  }

  private static List<String> messages(String text) {
    return lint(text).findings().stream().map(f -> f.format("Dockerfile")).toList();
  }

  @Test
  void reportsNothingWhenDockerfileIsClean() {
    assertThat(messages("FROM alpine AS build\nRUN make\nFROM scratch\nCOPY --from=build /a /a\n"
        + "ENTRYPOINT [\"/a\"]\n")).isEmpty();
  }

  @Test
  void flagsInstructionsThatBreakCasingMajority() {
    assertThat(messages("FROM alpine\nRUN a\nrun b\nCopy a /b\n"))
        .containsExactly(
            "Dockerfile:3:1: ConsistentInstructionCasing: Command 'run' should match the case of"
                + " the command majority (uppercase)",
            "Dockerfile:4:1: ConsistentInstructionCasing: Command 'Copy' should match the case of"
                + " the command majority (uppercase)");
  }

  @Test
  void flagsFromAsCasingMismatch() {
    assertThat(messages("FROM alpine as build\n"))
        .containsExactly(
            "Dockerfile:1:1: FromAsCasing: 'as' and 'FROM' keywords' casing do not match");
  }

  @Test
  void flagsStageNameCasingDuplicatesAndReservedNames() {
    assertThat(messages("FROM alpine AS Build\nFROM alpine AS build\nFROM alpine AS scratch\n"))
        .containsExactly(
            "Dockerfile:1:1: StageNameCasing: Stage name 'Build' should be lowercase",
            "Dockerfile:2:1: DuplicateStageName: Duplicate stage name \"build\", stage names should"
                + " be unique",
            "Dockerfile:3:1: ReservedStageName: Stage name should not use the same name as reserved"
                + " stage \"scratch\"");
  }

  @Test
  void recommendsJsonForCmdAndEntrypoint() {
    assertThat(messages("FROM alpine\nENTRYPOINT /app serve\n"))
        .containsExactly(
            "Dockerfile:2:1: JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to"
                + " prevent unintended behavior related to OS signals");
  }

  @Test
  void flagsMaintainer() {
    assertThat(messages("FROM alpine\nMAINTAINER me\n"))
        .containsExactly(
            "Dockerfile:2:1: MaintainerDeprecated: Maintainer instruction is deprecated in favor"
                + " of using label");
  }

  @Test
  void flagsUndefinedVariableWhenBaseIsKnown() {
    assertThat(messages("FROM scratch\nARG VERSION=1\nCOPY app-$VERSON /app\nLABEL x=$OTHER\n"))
        .containsExactly(
            "Dockerfile:3:1: UndefinedVar: Usage of undefined variable '$VERSON' (did you mean"
                + " $VERSION?)",
            "Dockerfile:4:1: UndefinedVar: Usage of undefined variable '$OTHER'");
  }

  @Test
  void flagsOnlyNearMissesWhenBaseEnvIsUnknown() {
    assertThat(messages("FROM eclipse-temurin\nARG APP_HOME=/app\nWORKDIR $APP_HOEM\n"
        + "COPY a $JAVA_HOME/lib/\n"))
        .containsExactly(
            "Dockerfile:3:1: UndefinedVar: Usage of undefined variable '$APP_HOEM' (did you mean"
                + " $APP_HOME?)");
  }

  @Test
  void ignoresVariablesWithDefaultsAndArgsOfParentStage() {
    assertThat(messages("FROM scratch AS base\nENV A=1\nARG B=2\nFROM base\nLABEL a=$A"
        + " c=${C:-none}\nUSER $B\n"))
        .containsExactly("Dockerfile:6:1: UndefinedVar: Usage of undefined variable '$B'");
  }

  @Test
  void flagsUndeclaredArgInFrom() {
    assertThat(messages("ARG VERSION=3\nFROM alpine:$VERSON\nFROM --platform=$BUILDPLATFORM x\n"))
        .containsExactly(
            "Dockerfile:2:1: UndefinedArgInFrom: FROM argument 'VERSON' is not declared (did you"
                + " mean VERSION?)");
  }

  @Test
  void flagsInvalidDefaultArgInFrom() {
    assertThat(messages("ARG TAG\nFROM alpine:${TAG}\n"))
        .containsExactly(
            "Dockerfile:2:1: InvalidDefaultArgInFrom: Default value for ARG alpine:${TAG} results"
                + " in empty or invalid base image name");
    assertThat(messages("ARG TAG=3.20\nFROM alpine:${TAG}\n")).isEmpty();
  }

  @Test
  void flagsRelativeWorkdirWithoutAbsoluteOne() {
    assertThat(messages("FROM alpine\nWORKDIR app\nWORKDIR /srv\nWORKDIR sub\n"))
        .containsExactly(
            "Dockerfile:2:1: WorkdirRelativePath: Relative workdir \"app\" can have unexpected"
                + " results if the base image changes");
  }

  @Test
  void flagsSecretLookingArgAndEnvNames() {
    assertThat(messages("FROM alpine\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x PUBLIC_KEY=y"
        + " TOKENIZER=z\n"))
        .containsExactly(
            "Dockerfile:2:1: SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for"
                + " sensitive data (ARG \"GITHUB_TOKEN\")",
            "Dockerfile:3:1: SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for"
                + " sensitive data (ENV \"DB_PASSWORD\")");
  }

  @Test
  void flagsRepeatedCmdEntrypointHealthcheck() {
    assertThat(messages("FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\nHEALTHCHECK NONE\n"
        + "HEALTHCHECK CMD [\"x\"]\n"))
        .containsExactly(
            "Dockerfile:2:1: MultipleInstructionsDisallowed: Multiple CMD instructions should not"
                + " be used in the same stage because only the last one will be used",
            "Dockerfile:4:1: MultipleInstructionsDisallowed: Multiple HEALTHCHECK instructions"
                + " should not be used in the same stage because only the last one will be used");
  }

  @Test
  void flagsLegacyKeyValueFormat() {
    assertThat(messages("FROM alpine\nENV A 1\nLABEL b 2\n"))
        .containsExactly(
            "Dockerfile:2:1: LegacyKeyValueFormat: \"ENV key=value\" should be used instead of"
                + " legacy \"ENV key value\" format",
            "Dockerfile:3:1: LegacyKeyValueFormat: \"LABEL key=value\" should be used instead of"
                + " legacy \"LABEL key value\" format");
  }

  @Test
  void flagsEmptyContinuationLines() {
    assertThat(messages("FROM alpine\nRUN a \\\n\n  b\n"))
        .containsExactly(
            "Dockerfile:3:1: NoEmptyContinuation: Empty continuation line found in instruction"
                + " starting at line 2");
  }

  @Test
  void flagsRedundantAndConstantPlatforms() {
    assertThat(messages("FROM --platform=$TARGETPLATFORM alpine\nFROM --platform=linux/amd64 b\n"))
        .containsExactly(
            "Dockerfile:1:1: RedundantTargetPlatform: Setting platform to predefined"
                + " $TARGETPLATFORM in FROM is redundant as this is the default behavior",
            "Dockerfile:2:1: FromPlatformFlagConstDisallowed: FROM --platform flag should not use"
                + " constant value \"linux/amd64\"");
  }

  @Test
  void flagsUppercaseExposeProtocol() {
    assertThat(messages("FROM alpine\nEXPOSE 80/TCP 53/udp\n"))
        .containsExactly(
            "Dockerfile:2:1: ExposeProtoCasing: Defined protocol '80/TCP' in EXPOSE instruction"
                + " should be lowercase");
  }

  @Test
  void flagsCopyOfIgnoredFile() {
    LintReport report =
        Linter.check(
            DockerfileParser.parse("Dockerfile",
                "FROM alpine\nCOPY secrets/key.pem /k\nCOPY src /src\nCOPY --from=b secrets /s\n"),
            BuildOptions.defaults().withIgnorePatterns(List.of("secrets")),
            ImageResolver.offline());
    assertThat(report.findings()).extracting(f -> f.format("Dockerfile"))
        .containsExactly(
            "Dockerfile:2:1: CopyIgnoredFile: Attempting to Copy file \"secrets/key.pem\" that is"
                + " excluded by .dockerignore");
  }

  @Test
  void skipsRulesNamedInCheckDirective() {
    LintReport report =
        lint("# check=skip=JSONArgsRecommended,maintainerdeprecated\nFROM alpine\nCMD run\n"
            + "MAINTAINER me\nENV A 1\n");
    assertThat(report.findings()).extracting(LintFinding::rule)
        .containsExactly(LintRule.LEGACY_KEY_VALUE_FORMAT);
    assertThat(report.failing()).isFalse();
  }

  @Test
  void skipsEverythingWhenSkipAll() {
    assertThat(lint("# check=skip=all;error=true\nfrom alpine\nCMD x\n").findings()).isEmpty();
  }

  @Test
  void failsWhenErrorTrueAndFindingsRemain() {
    LintReport report = lint("# check=error=true\nFROM alpine\nCMD x\n");
    assertThat(report.failing()).isTrue();
    assertThat(report.findings().getFirst().location()).isEqualTo(new Location(3, 1));
  }

  @Test
  void namesRuleDocumentationPages() {
    assertThat(LintRule.JSON_ARGS_RECOMMENDED.url())
        .isEqualTo("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/");
    assertThat(LintRule.UNDEFINED_ARG_IN_FROM.url())
        .isEqualTo("https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/");
    assertThat(LintRule.byName("fromascasing")).contains(LintRule.FROM_AS_CASING);
  }
}
