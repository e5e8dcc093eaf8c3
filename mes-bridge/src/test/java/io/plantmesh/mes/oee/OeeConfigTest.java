package io.plantmesh.mes.oee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class OeeConfigTest {

    @Test
    void defaults() {
        final OeeConfig config = OeeConfig.defaults();

        assertThat(config.window()).isEqualTo(Duration.ofHours(1));
        assertThat(config.shifts()).isEqualTo(ShiftCalendar.defaults());
        assertThat(config.defaultIdealCycleTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.retention()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void defaultRetentionCoversALongWindow() {
        assertThat(new OeeConfig(Duration.ofHours(48), null, null, null).retention())
                .isEqualTo(Duration.ofHours(48));
    }

    @Test
    void retentionShorterThanTheWindowIsRefused() {
        assertThatThrownBy(() -> new OeeConfig(Duration.ofHours(2), null, null, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than the window");
    }

    @Test
    void retentionShorterThanAShiftIsRefused() {
        assertThatThrownBy(() -> new OeeConfig(null, null, null, Duration.ofHours(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longest shift PT8H");
    }

    @Test
    void nonPositiveDurationsAreRefused() {
        assertThatThrownBy(() -> new OeeConfig(Duration.ZERO, null, null, null))
                .hasMessageContaining("OEE window must be positive");
        assertThatThrownBy(() -> new OeeConfig(null, null, Duration.ofSeconds(-1), null))
                .hasMessageContaining("ideal cycle time must be positive");
    }
}
