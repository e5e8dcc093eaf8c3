package io.plantmesh.devices.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.plantmesh.devices.gateway.mapping.DeadbandSpec;

class DeadbandFilterTest {

    @Test
    void absoluteBandComparesWithLastReportedValue() {
        final DeadbandFilter filter = new DeadbandFilter(DeadbandSpec.absolute(0.5));
        assertThat(filter.accept(10.0)).as("first value").isTrue();
        assertThat(filter.accept(10.4)).isFalse();
        assertThat(filter.accept(10.5)).as("exactly the band does not exceed it").isFalse();
        assertThat(filter.accept(10.6)).isTrue();
        assertThat(filter.accept(10.9)).as("0.3 from 10.6").isFalse();
        assertThat(filter.accept(11.2)).as("0.6 from 10.6, not from 10.9").isTrue();
        assertThat(filter.accept(10.6)).isTrue();
    }

    @Test
    void percentBandIsRelativeToLastReportedMagnitude() {
        final DeadbandFilter filter = new DeadbandFilter(DeadbandSpec.percent(10));
        assertThat(filter.accept(100.0)).isTrue();
        assertThat(filter.accept(109.0)).isFalse();
        assertThat(filter.accept(91.0)).isFalse();
        assertThat(filter.accept(111.0)).isTrue();
        assertThat(filter.accept(100.0)).as("11.1 % band of 111 is 11.1; 11 is inside").isFalse();
        assertThat(filter.accept(99.8)).isTrue();
        final DeadbandFilter fromZero = new DeadbandFilter(DeadbandSpec.percent(10));
        assertThat(fromZero.accept(0.0)).isTrue();
        assertThat(fromZero.accept(0.001)).as("any change from zero").isTrue();
    }

    @Test
    void nonNumbersAndNoBandPassOnChangeOnly() {
        final DeadbandFilter state = new DeadbandFilter(DeadbandSpec.NONE);
        assertThat(state.accept("RUNNING")).isTrue();
        assertThat(state.accept("RUNNING")).isFalse();
        assertThat(state.accept("DOWN")).isTrue();
        assertThat(state.accept(null)).isTrue();
        assertThat(state.accept(null)).isFalse();
        final DeadbandFilter counter = new DeadbandFilter(DeadbandSpec.NONE);
        assertThat(counter.accept(17L)).isTrue();
        assertThat(counter.accept(17L)).isFalse();
        assertThat(counter.accept(18L)).isTrue();
    }

    @Test
    void resetLetsTheNextValuePass() {
        final DeadbandFilter filter = new DeadbandFilter(DeadbandSpec.absolute(5));
        filter.accept(1.0);
        assertThat(filter.accept(2.0)).isFalse();
        filter.reset();
        assertThat(filter.accept(2.0)).isTrue();
    }
}
