package io.plantmesh.devices.ingress.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.plantmesh.devices.ingress.AuthThrottling;

class AuthFailureThrottleTest {

    private final AtomicLong clock = new AtomicLong(Duration.ofDays(10).toNanos());
    private final AuthFailureThrottle throttle = new AuthFailureThrottle(new AuthThrottling(3, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofMinutes(1), 100), clock::get);

    private void advance(final Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void freeFailuresThenADoublingLockoutUpToTheMaximum() {
        assertThat(throttle.failed("dev@plant1")).isZero();
        assertThat(throttle.failed("dev@plant1")).isZero();
        assertThat(throttle.failed("dev@plant1")).isZero();
        assertThat(throttle.lockedFor("dev@plant1")).isZero();

        assertThat(throttle.failed("dev@plant1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("dev@plant1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.failed("dev@plant1")).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.failed("dev@plant1")).isEqualTo(Duration.ofSeconds(4));
        assertThat(throttle.failed("dev@plant1")).isEqualTo(Duration.ofSeconds(8));
        assertThat(throttle.failed("dev@plant1")).isEqualTo(Duration.ofSeconds(8));
        for (int i = 0; i < 100; i++) {
            throttle.failed("dev@plant1");
        }
        assertThat(throttle.lockedFor("dev@plant1")).isEqualTo(Duration.ofSeconds(8));

        // other auth-ids are not affected
        assertThat(throttle.lockedFor("other@plant1")).isZero();
    }

    @Test
    void theLockoutEndsAndASuccessClearsTheRecord() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("dev@plant1");
        }
        assertThat(throttle.lockedFor("dev@plant1")).isPositive();

        advance(Duration.ofMillis(1001));
        assertThat(throttle.lockedFor("dev@plant1")).isZero();
        throttle.succeeded("dev@plant1");
        assertThat(throttle.tracked()).isZero();
        assertThat(throttle.failed("dev@plant1")).as("counting starts again").isZero();
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("dev@plant1");
        }
        advance(Duration.ofMinutes(2));

        assertThat(throttle.lockedFor("dev@plant1")).isZero();
        assertThat(throttle.failed("dev@plant1")).isZero();
    }

    @Test
    void memoryIsBoundedByTheNumberOfTrackedAuthIds() {
        for (int i = 0; i < 10_000; i++) {
            throttle.failed("made-up-" + i + "@plant1");
        }

        assertThat(throttle.tracked()).isEqualTo(100);
    }
}
