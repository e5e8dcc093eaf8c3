package io.plantmesh.devices.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.plantmesh.devices.gateway.edge.AlarmEvent.Severity;
import io.plantmesh.devices.gateway.mapping.AlarmRule;
import io.plantmesh.devices.gateway.mapping.AlarmRule.Direction;

class ThresholdAlarmTest {

    private static final String PATH = "features/telemetry/properties/temperature";

    @Test
    void raisesEscalatesStepsDownAndClearsWithHysteresis() {
        final ThresholdAlarm alarm = new ThresholdAlarm(new AlarmRule("TEMP_HIGH", Direction.ABOVE, 80.0, 95.0, 2.0),
                PATH, "temperature", "°C");
        assertThat(alarm.evaluate(80.0, 1)).as("at the threshold is not above it").isEmpty();
        final AlarmEvent warning = alarm.evaluate(81.3, 2).orElseThrow();
        assertThat(warning).isEqualTo(new AlarmEvent(2, "TEMP_HIGH", Severity.WARNING, true, PATH, 81.3, 80.0,
                "temperature 81.3 °C above warning threshold 80.0 °C"));
        assertThat(alarm.evaluate(85, 3)).isEmpty();
        assertThat(alarm.evaluate(96, 4).orElseThrow()).extracting(AlarmEvent::severity, AlarmEvent::active,
                AlarmEvent::threshold).containsExactly(Severity.CRITICAL, true, 95.0);
        assertThat(alarm.evaluate(94, 5)).as("within the hysteresis of critical").isEmpty();
        assertThat(alarm.evaluate(93, 6)).as("exactly critical - hysteresis still holds").isEmpty();
        assertThat(alarm.evaluate(92.9, 7).orElseThrow()).extracting(AlarmEvent::severity, AlarmEvent::active)
                .containsExactly(Severity.WARNING, true);
        assertThat(alarm.evaluate(78.5, 8)).as("within the hysteresis of warning").isEmpty();
        final AlarmEvent cleared = alarm.evaluate(77.9, 9).orElseThrow();
        assertThat(cleared.active()).isFalse();
        assertThat(cleared.severity()).isEqualTo(Severity.WARNING);
        assertThat(cleared.message()).isEqualTo("temperature 77.9 °C back below 80.0 °C: warning cleared");
        assertThat(alarm.active()).isFalse();
        assertThat(alarm.evaluate(79, 10)).isEmpty();
    }

    @Test
    void criticalStraightFromNormalAndClearedStraightToNormal() {
        final ThresholdAlarm alarm = new ThresholdAlarm(new AlarmRule("TEMP_HIGH", Direction.ABOVE, 80.0, 95.0, 2.0),
                PATH, "temperature", "°C");
        assertThat(alarm.evaluate(99, 1).orElseThrow().severity()).isEqualTo(Severity.CRITICAL);
        final AlarmEvent cleared = alarm.evaluate(20, 2).orElseThrow();
        assertThat(cleared.active()).isFalse();
        assertThat(cleared.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void belowDirectionMirrorsThresholds() {
        final ThresholdAlarm alarm = new ThresholdAlarm(new AlarmRule("SPEED_LOW", Direction.BELOW, 100.0, null, 5.0),
                "features/telemetry/properties/spindleSpeed", "spindleSpeed", "rpm");
        assertThat(alarm.evaluate(120, 1)).isEmpty();
        assertThat(alarm.evaluate(99, 2).orElseThrow().message())
                .isEqualTo("spindleSpeed 99.0 rpm below warning threshold 100.0 rpm");
        assertThat(alarm.evaluate(104, 3)).isEmpty();
        assertThat(alarm.evaluate(105.5, 4).orElseThrow().active()).isFalse();
    }

    @Test
    void jsonFollowsTheAlarmPayloadContract() {
        final AlarmEvent event = new AlarmEvent(1764144000000L, "TEMP_HIGH", Severity.CRITICAL, true, PATH, 96.0,
                95.0, "m");
        assertThat(event.toJson().encode()).isEqualTo("{\"ts\":1764144000000,\"alarm\":{\"code\":\"TEMP_HIGH\","
                + "\"severity\":\"critical\",\"path\":\"" + PATH + "\",\"value\":96.0,\"threshold\":95.0,"
                + "\"message\":\"m\",\"active\":true}}");
    }
}
