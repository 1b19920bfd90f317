package io.slipway.build.lint;

import java.util.List;

/**
 * The result of linting a Dockerfile: findings in file order, and whether they fail the check
 * ({@code # check=error=true} with at least one finding). Immutable.
 */
public record LintReport(String file, List<LintFinding> findings, boolean failing) {

  public LintReport {
    findings = List.copyOf(findings);
  }
}
