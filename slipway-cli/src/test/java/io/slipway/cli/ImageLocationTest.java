package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ImageLocationTest {
  private final CommandLine commandLine = SlipwayCommand.newCommandLine();

  @Test
  void doesSplitNameWhenLayoutHasOne() {
    assertThat(ImageLocation.parse(commandLine, "oci-layout:/tmp/img:v1"))
        .isEqualTo(new ImageLocation.Layout(Path.of("/tmp/img"), "v1"));
    assertThat(ImageLocation.parse(commandLine, "oci-layout:out"))
        .isEqualTo(new ImageLocation.Layout(Path.of("out"), null));
    assertThat(ImageLocation.parse(commandLine, "tar:/tmp/image.tar"))
        .isEqualTo(new ImageLocation.Tar(Path.of("/tmp/image.tar"), null));
  }

  @Test
  void doesRejectWhenKindIsUnknown() {
    assertThatThrownBy(() -> ImageLocation.parse(commandLine, "docker-daemon:busybox"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("is not oci-layout:DIR[:NAME] or tar:FILE[:NAME]");
  }
}
