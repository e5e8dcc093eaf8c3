package io.plantmesh.devices.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.plantmesh.devices.gateway.edge.WindowAggregator.WindowResult;
import io.plantmesh.devices.gateway.mapping.AggregationSpec.Function;

class WindowAggregatorTest {

    @Test
    void averagesTumblingWindowsAlignedToTheEpoch() {
        final WindowAggregator avg = new WindowAggregator(Function.AVG, 1000);
        assertThat(avg.add(10_100, 1.0)).isEmpty();
        assertThat(avg.add(10_500, 2.0)).isEmpty();
        assertThat(avg.add(10_999, 6.0)).isEmpty();
        final Optional<WindowResult> closed = avg.add(11_000, 100.0);
        assertThat(closed).contains(new WindowResult(10_000, 11_000, 3.0, 3));
        assertThat(avg.closeIfDue(11_999)).isEmpty();
        assertThat(avg.closeIfDue(12_000)).contains(new WindowResult(11_000, 12_000, 100.0, 1));
        assertThat(avg.closeIfDue(13_000)).as("an empty window yields nothing").isEmpty();
    }

    @Test
    void minAndMax() {
        final WindowAggregator min = new WindowAggregator(Function.MIN, 500);
        final WindowAggregator max = new WindowAggregator(Function.MAX, 500);
        for (final double v : new double[] {4, -2, 7, 3}) {
            min.add(1_000, v);
            max.add(1_000, v);
        }
        assertThat(min.closeIfDue(1_500).orElseThrow().value()).isEqualTo(-2.0);
        assertThat(max.closeIfDue(1_500).orElseThrow().value()).isEqualTo(7.0);
    }

    @Test
    void lateSamplesFoldIntoTheOpenWindowAndGapsSkipWindows() {
        final WindowAggregator max = new WindowAggregator(Function.MAX, 1000);
        max.add(5_200, 1.0);
        assertThat(max.add(4_900, 9.0)).as("late sample does not reopen the previous window").isEmpty();
        assertThat(max.add(8_100, 2.0)).contains(new WindowResult(5_000, 6_000, 9.0, 2));
    }

    @Test
    void rejectsNoneAndZeroWidth() {
        assertThatThrownBy(() -> new WindowAggregator(Function.NONE, 1000)).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowAggregator(Function.AVG, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
