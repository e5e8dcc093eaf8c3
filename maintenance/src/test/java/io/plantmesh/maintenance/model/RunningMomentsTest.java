package io.plantmesh.maintenance.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

    @Test
    void meanAndSampleVarianceOfAKnownSeries() {
        final RunningMoments m = new RunningMoments();
        for (final double v : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
            m.add(v);
        }
        assertThat(m.count()).isEqualTo(8);
        assertThat(m.mean()).isEqualTo(5.0);
        // sum of squared deviations 32, n - 1 = 7
        assertThat(m.variance()).isCloseTo(32.0 / 7, within(1e-12));
        assertThat(new RunningMoments().variance()).isZero();
    }

    @Test
    void agreesWithCommonsMathOnLargeOffsetData() {
        final Random random = new Random(5);
        final RunningMoments m = new RunningMoments();
        final DescriptiveStatistics reference = new DescriptiveStatistics();
        for (int i = 0; i < 10_000; i++) {
            // a large mean and a small spread: the case where the naive sum-of-squares formula loses precision
            final double v = 1e6 + random.nextGaussian() * 0.01;
            m.add(v);
            reference.addValue(v);
        }
        // both agree to the last digits a double has at this magnitude
        assertThat(m.mean()).isCloseTo(reference.getMean(), within(1e-7));
        assertThat(m.variance()).isCloseTo(reference.getVariance(), org.assertj.core.data.Percentage.withPercentage(
                1e-4));
        assertThat(m.standardDeviation()).isCloseTo(0.01, org.assertj.core.data.Percentage.withPercentage(2));
    }

    @Test
    void mergeEqualsOnePassAndSurvivesJson() {
        final Random random = new Random(9);
        final RunningMoments all = new RunningMoments();
        final RunningMoments left = new RunningMoments();
        final RunningMoments right = new RunningMoments();
        for (int i = 0; i < 1000; i++) {
            final double v = random.nextGaussian() * 3 + 10;
            all.add(v);
            (i < 300 ? left : right).add(v);
        }
        final RunningMoments merged = left.merge(right);
        assertThat(merged.count()).isEqualTo(all.count());
        assertThat(merged.mean()).isCloseTo(all.mean(), within(1e-12));
        assertThat(merged.variance()).isCloseTo(all.variance(), within(1e-9));
        final RunningMoments restored = RunningMoments.fromJson(all.toJson());
        assertThat(restored.toJson()).isEqualTo(all.toJson());
    }
}
