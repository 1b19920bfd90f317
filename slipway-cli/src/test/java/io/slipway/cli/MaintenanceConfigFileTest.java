package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.registry.gc.MaintenanceConfig;
import io.slipway.registry.gc.RetentionRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceConfigFileTest {
  @TempDir Path dir;

  private MaintenanceConfig read(String yaml) throws IOException {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, yaml);
    return MaintenanceConfigFile.read(file, MaintenanceConfig.defaults());
  }

  @Test
  void doesReadGcScheduleGraceAndRetentionWhenPresent() throws IOException {
    MaintenanceConfig config = read("""
        gc:
          every: 24h
          linkgrace: 2h
          unlinkedgrace: 30m
          untagged:
            - repositories: "ci/**"
              keeprecent: 10
              keepyounger: 168h
            - repositories: "*"
              keeprecent: 3
        shutdown:
          timeout: 45s
        """);

    assertThat(config.gc().every()).isEqualTo(Duration.ofHours(24));
    assertThat(config.gc().linkGrace()).isEqualTo(Duration.ofHours(2));
    assertThat(config.gc().unlinkedGrace()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.gc().untagged())
        .containsExactly(
            new RetentionRule("ci/**", 10, Duration.ofDays(7)),
            new RetentionRule("*", 3, Duration.ZERO));
    assertThat(config.gc().ruleFor("ci/app/cache")).map(RetentionRule::keepRecent).contains(10);
    assertThat(config.gc().ruleFor("app")).map(RetentionRule::keepRecent).contains(3);
    assertThat(config.gc().ruleFor("team/app")).isEmpty();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void doesKeepDefaultsWhenSectionsAreAbsent() throws IOException {
    assertThat(read("version: 0.1\n")).isEqualTo(MaintenanceConfig.defaults());
  }

  @Test
  void doesRejectNegativeKeepRecentWhenParsing() {
    assertThatThrownBy(() -> read("""
        gc:
          untagged:
            - repositories: "ci/**"
              keeprecent: -1
        """))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gc.untagged[0].keeprecent must be a count of at least 0");
  }
}
