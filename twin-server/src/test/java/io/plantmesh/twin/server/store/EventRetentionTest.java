package io.plantmesh.twin.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class EventRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void theNewestAreKeptWhateverTheirAge() {
        EventRetention r = new EventRetention(3, Duration.ofMinutes(10), 5);
        assertThat(r.expiresOldest(3, NOW.minus(Duration.ofDays(30)), NOW)).isFalse();
    }

    @Test
    void beyondTheNewestAnEventIsKeptWhileYoungerThanTheAge() {
        EventRetention r = new EventRetention(3, Duration.ofMinutes(10), 5);
        assertThat(r.expiresOldest(4, NOW.minus(Duration.ofMinutes(9)), NOW)).isFalse();
        assertThat(r.expiresOldest(4, NOW.minus(Duration.ofMinutes(10)), NOW)).isFalse();
        assertThat(r.expiresOldest(4, NOW.minus(Duration.ofMinutes(11)), NOW)).isTrue();
    }

    @Test
    void theMaximumBoundsEvenYoungEvents() {
        EventRetention r = new EventRetention(3, Duration.ofMinutes(10), 5);
        assertThat(r.expiresOldest(5, NOW.minusSeconds(1), NOW)).isFalse();
        assertThat(r.expiresOldest(6, NOW.minusSeconds(1), NOW)).isTrue();
    }

    @Test
    void withoutAnAgeOnlyTheNewestAreKept() {
        EventRetention r = EventRetention.newest(3);
        assertThat(r.expiresOldest(3, NOW.minus(Duration.ofDays(1)), NOW)).isFalse();
        assertThat(r.expiresOldest(4, NOW, NOW)).isTrue();
        assertThat(r.describe()).isEqualTo("the newest 3 events of each thing (eventRetention)");
    }

    @Test
    void theDefaultsKeepAnHourAndSayHow() {
        EventRetention r = EventRetention.defaults();
        assertThat(r.age()).isEqualTo(Duration.ofHours(1));
        assertThat(r.describe()).isEqualTo("the events of the last hour (eventRetentionAge PT1H), at most 10000 "
                + "(eventRetentionMax) and at least the newest 1000 (eventRetention) of each thing");
    }

    @Test
    void nonsenseIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new EventRetention(0, Duration.ZERO, 0)).hasMessageStartingWith("eventRetention ");
        assertThatThrownBy(() -> new EventRetention(1, Duration.ofMinutes(-1), 1))
                .hasMessageStartingWith("eventRetentionAge ");
        assertThatThrownBy(() -> new EventRetention(10, Duration.ZERO, 5)).hasMessageStartingWith(
                "eventRetentionMax (5) must be at least eventRetention (10)");
    }
}
