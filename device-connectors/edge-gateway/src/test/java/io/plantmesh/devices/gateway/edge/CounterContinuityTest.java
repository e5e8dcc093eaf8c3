package io.plantmesh.devices.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CounterContinuityTest {

    private static final String GOOD = "plant1:machine-1-01/counters/good";
    private static final String SCRAP = "plant1:machine-1-01/counters/scrap";

    @TempDir
    Path dir;

    @Test
    void aLowerValueIsAResetAndTheCounterContinuesFromItsLastValue() {
        final CounterContinuity counters = CounterContinuity.inMemory();
        assertThat(counters.continuous(GOOD, 10)).isEqualTo(10);
        assertThat(counters.continuous(GOOD, 12)).isEqualTo(12);
        assertThat(counters.continuous(GOOD, 12)).as("an equal value is no reset").isEqualTo(12);
        assertThat(counters.continuous(GOOD, 3)).isEqualTo(15);
        assertThat(counters.continuous(GOOD, 5)).isEqualTo(17);
        assertThat(counters.continuous(GOOD, 0)).as("a second reset adds on").isEqualTo(17);
        assertThat(counters.continuous(SCRAP, 1)).as("counters are independent").isEqualTo(1);
        assertThat(counters.resets()).isEqualTo(2);
    }

    @Test
    void offsetsSurviveAGatewayRestartSoAResetWhileItWasStoppedIsSeen() throws Exception {
        final Path file = dir.resolve("buffer").resolve("counters.json");
        final CounterContinuity first = CounterContinuity.open(file);
        first.continuous(GOOD, 100);
        first.continuous(GOOD, 4);
        first.save(0, false);
        assertThat(file).exists();
        assertThat(dir.resolve("buffer").resolve("counters.json.tmp")).doesNotExist();
        first.continuous(GOOD, 6);
        first.save(500, false);
        assertThat(CounterContinuity.open(file).continuous(GOOD, 4)).as("saved at most once a second")
                .isEqualTo(104);
        first.save(600, true);

        final CounterContinuity second = CounterContinuity.open(file);
        assertThat(second.continuous(GOOD, 7)).isEqualTo(107);
        assertThat(CounterContinuity.open(file).continuous(GOOD, 2)).as("reset while stopped").isEqualTo(108);
    }

    @Test
    void anUnreadableFileIsIgnored() throws Exception {
        final Path file = dir.resolve("counters.json");
        Files.writeString(file, "{not json");
        assertThat(CounterContinuity.open(file).continuous(GOOD, 5)).isEqualTo(5);
    }
}
