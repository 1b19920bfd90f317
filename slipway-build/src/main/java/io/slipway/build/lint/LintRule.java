package io.slipway.build.lint;

import java.util.Locale;
import java.util.Optional;

/**
 * The lint rules, named as the reference builder names them so that existing
 * {@code # check=skip=…} directives keep working. Immutable.
 */
public enum LintRule {
  CONSISTENT_INSTRUCTION_CASING("ConsistentInstructionCasing",
      "All commands within the Dockerfile should use the same casing (either upper or lower)"),
  FROM_AS_CASING("FromAsCasing", "The 'as' keyword should match the case of the 'from' keyword"),
  STAGE_NAME_CASING("StageNameCasing", "Stage names should be lowercase"),
  DUPLICATE_STAGE_NAME("DuplicateStageName", "Stage names should be unique"),
  RESERVED_STAGE_NAME("ReservedStageName", "Reserved words should not be used as stage names"),
  JSON_ARGS_RECOMMENDED("JSONArgsRecommended",
      "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS"
          + " signals"),
  MAINTAINER_DEPRECATED("MaintainerDeprecated",
      "The MAINTAINER instruction is deprecated, use a label instead to define an image author"),
  UNDEFINED_VAR("UndefinedVar", "Variables should be defined before their use"),
  UNDEFINED_ARG_IN_FROM("UndefinedArgInFrom", "FROM command must use declared ARGs"),
  WORKDIR_RELATIVE_PATH("WorkdirRelativePath",
      "Relative workdir without an absolute workdir declared within the build can have unexpected"
          + " results if the base image changes"),
  SECRETS_USED_IN_ARG_OR_ENV("SecretsUsedInArgOrEnv",
      "Sensitive data should not be used in the ARG or ENV commands"),
  MULTIPLE_INSTRUCTIONS_DISALLOWED("MultipleInstructionsDisallowed",
      "Multiple instructions of the same type should not be used in the same stage"),
  INVALID_DEFAULT_ARG_IN_FROM("InvalidDefaultArgInFrom",
      "Default value for global ARG results in an empty or invalid base image name"),
  LEGACY_KEY_VALUE_FORMAT("LegacyKeyValueFormat",
      "Legacy key/value format with whitespace separator should not be used"),
  NO_EMPTY_CONTINUATION("NoEmptyContinuation",
      "Empty continuation lines will become errors in a future release"),
  REDUNDANT_TARGET_PLATFORM("RedundantTargetPlatform",
      "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default"
          + " behavior"),
  FROM_PLATFORM_FLAG_CONST_DISALLOWED("FromPlatformFlagConstDisallowed",
      "FROM --platform flag should not use a constant value"),
  EXPOSE_PROTO_CASING("ExposeProtoCasing", "Protocol in EXPOSE instruction should be lowercase"),
  COPY_IGNORED_FILE("CopyIgnoredFile",
      "Attempting to Copy file that is excluded by .dockerignore");

  private final String ruleName;
  private final String description;

  LintRule(String ruleName, String description) {
    this.ruleName = ruleName;
    this.description = description;
  }

  /** The rule's name as used in {@code # check=skip=}, such as {@code JSONArgsRecommended}. */
  public String ruleName() {
    return ruleName;
  }

  /** What the rule checks. */
  public String description() {
    return description;
  }

  /** The reference documentation page of the rule. */
  public String url() {
    String kebab =
        ruleName
            .replaceAll("([A-Z]+)([A-Z][a-z])", "$1-$2")
            .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT);
    return "https://docs.docker.com/go/dockerfile/rule/" + kebab + "/";
  }

  /** The rule called {@code name}, compared case-insensitively. */
  public static Optional<LintRule> byName(String name) {
    for (LintRule rule : values()) {
      if (rule.ruleName.equalsIgnoreCase(name)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }
}
