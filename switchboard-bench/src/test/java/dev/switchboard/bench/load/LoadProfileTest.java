package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadProfileTest {

  @Test
  void araHasSevenProfilesAndTheyAreFoundByName() {
    assertThat(LoadProfile.all())
        .extracting(LoadProfile::name)
        .containsExactly("smoke", "baseline", "medium", "high", "stress", "soak", "spike");
    assertThat(LoadProfile.named("soak").duration()).isEqualTo(Duration.ofMinutes(30));
    assertThatThrownBy(() -> LoadProfile.named("heavy"))
        .hasMessageContaining("unknown profile 'heavy'")
        .hasMessageContaining("smoke, baseline, medium, high, stress, soak, spike");
  }

  @Test
  void stagesRampLinearlyFromWhereTheLastOneEnded() {
    LoadProfile medium = LoadProfile.named("medium");
    assertThat(medium.at(Duration.ZERO)).isEqualTo(new LoadProfile.Point(0, 0));
    assertThat(medium.at(Duration.ofSeconds(15))).isEqualTo(new LoadProfile.Point(250, 50));
    assertThat(medium.at(Duration.ofSeconds(60))).isEqualTo(new LoadProfile.Point(500, 100));
    assertThat(medium.at(Duration.ofHours(1)))
        .as("after the end: the last stage's values")
        .isEqualTo(new LoadProfile.Point(500, 100));
  }

  @Test
  void aStageOfNoLengthJumps() {
    LoadProfile smoke = LoadProfile.named("smoke");
    assertThat(smoke.at(Duration.ZERO)).isEqualTo(new LoadProfile.Point(10, 5));
    LoadProfile spike = LoadProfile.named("spike");
    assertThat(spike.at(Duration.ofSeconds(1)).devices()).isEqualTo(100);
    assertThat(spike.at(Duration.ofSeconds(40)).devices()).isEqualTo(3000);
    assertThat(spike.at(Duration.ofSeconds(105)).devices()).as("halfway down").isEqualTo(1550);
    assertThat(spike.at(Duration.ofSeconds(115)).devices()).isEqualTo(100);
  }

  @Test
  void aProfileStretchesToAnyLengthAndScalesToAnyPeak() {
    LoadProfile stress = LoadProfile.named("stress");
    LoadProfile short_ = stress.lasting(Duration.ofSeconds(33));
    assertThat(short_.duration()).isEqualTo(Duration.ofSeconds(33));
    assertThat(short_.peakDevices()).isEqualTo(6000);
    LoadProfile small = stress.peakingAt(60);
    assertThat(small.peakDevices()).isEqualTo(60);
    assertThat(small.stages().get(0).devices()).isEqualTo(10);
    assertThat(small.stages().get(0).sendsPerSecond())
        .as("the rate is the profile's")
        .isEqualTo(200);
  }
}
