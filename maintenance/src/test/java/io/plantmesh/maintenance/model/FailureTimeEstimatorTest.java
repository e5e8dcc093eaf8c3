package io.plantmesh.maintenance.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.plantmesh.maintenance.model.FailureTimeEstimator.Estimate;
import io.plantmesh.maintenance.model.FailureTimeEstimator.Point;

class FailureTimeEstimatorTest {

    /** q(t) = k (t - t0)^2 at the given hours. */
    private static List<Point> quadratic(final double k, final double t0, final double... hours) {
        final List<Point> points = new ArrayList<>();
        for (final double h : hours) {
            points.add(new Point(h, k * (h - t0) * (h - t0)));
        }
        return points;
    }

    @Test
    void exactQuadraticWearGivesTheExactCrossingAndAZeroWidthInterval() {
        // q = 0.25 (t - 2)^2 reaches 4 at t = 6
        final FailureTimeEstimator estimator = new FailureTimeEstimator(4, 2, 0.9, 0);
        final Estimate e = estimator.estimate(quadratic(0.25, 2, 3, 3.5, 4, 4.5, 5), 4, 5, 3).orElseThrow();
        assertThat(e.failureHours()).isCloseTo(6, within(1e-9));
        assertThat(e.lowerHours()).isCloseTo(6, within(1e-9));
        assertThat(e.upperHours()).isCloseTo(6, within(1e-9));
        assertThat(e.slope()).isCloseTo(0.5, within(1e-12));
        assertThat(e.points()).isEqualTo(5);
        // failure at 6: within a 3 h horizon from 5, not within 0.5 h
        assertThat(e.probabilityWithin()).isEqualTo(1.0);
        assertThat(estimator.estimate(quadratic(0.25, 2, 3, 3.5, 4, 4.5, 5), 4, 5, 0.5).orElseThrow()
                .probabilityWithin()).isEqualTo(0.0);
    }

    @Test
    void theModelErrorWidensTheIntervalInProportionToTheTimeLeft() {
        final FailureTimeEstimator estimator = new FailureTimeEstimator(4, 2, 0.9, 0.25);
        final Estimate e = estimator.estimate(quadratic(0.25, 2, 3, 3.5, 4, 4.5, 5), 4, 5, 1).orElseThrow();
        // sd = 0.25 * (6 - 5) = 0.25 h; Student t(3) 95 % quantile = 2.353363
        assertThat(e.failureHours()).isCloseTo(6, within(1e-9));
        assertThat(e.upperHours() - e.failureHours()).isCloseTo(2.353363 * 0.25, within(1e-5));
        assertThat(e.lowerHours()).isCloseTo(6 - 2.353363 * 0.25, within(1e-5));
        // P(T <= 6) for a normal around 6
        assertThat(e.probabilityWithin()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void noEstimateWithoutARisingTrendOrWithTooFewPoints() {
        final FailureTimeEstimator estimator = new FailureTimeEstimator(4, 2, 0.9, 0.15);
        final List<Point> flat = List.of(new Point(1, 0.01), new Point(2, -0.01), new Point(3, 0.012),
                new Point(4, -0.008), new Point(5, 0.009));
        assertThat(estimator.estimate(flat, 1, 5, 8)).isEmpty();
        assertThat(estimator.estimate(quadratic(0.25, 2, 3, 4, 5), 4, 5, 8)).isEmpty();
        assertThat(estimator.estimate(quadratic(0.25, 2, 3, 4, 5, 6), 0, 6, 8)).isEmpty();
    }

    @Test
    void theLevelAtTheFailureIsWhereTheTrendGotTo() {
        final FailureTimeEstimator estimator = new FailureTimeEstimator(4, 2, 0.9, 0.15);
        final Optional<Double> level = estimator.levelAt(quadratic(0.25, 2, 3, 4, 5, 6), 8);
        assertThat(level).hasValueSatisfying(q -> assertThat(q).isCloseTo(9.0, within(1e-9)));
    }

    @Test
    void theNinetyPercentIntervalCoversTheTruthOnNoisyWear() {
        final FailureTimeEstimator estimator = new FailureTimeEstimator(4, 2, 0.9, 0);
        final Random random = new Random(17);
        int covered = 0;
        final int trials = 400;
        for (int trial = 0; trial < trials; trial++) {
            // q = 0.04 (t - 1)^2 fails at 2.0 -> t = 1 + sqrt(50) = 8.071; observed every 10 min from t = 2 to 5
            final List<Point> points = new ArrayList<>();
            for (double h = 2; h <= 5.0001; h += 1.0 / 6) {
                final double root = 0.2 * (h - 1) + 0.01 * random.nextGaussian();
                points.add(new Point(h, root * root));
            }
            final Estimate e = estimator.estimate(points, 2.0, 5, 8).orElseThrow();
            final double truth = 1 + Math.sqrt(50);
            covered += e.lowerHours() <= truth && truth <= e.upperHours() ? 1 : 0;
        }
        assertThat((double) covered / trials).isBetween(0.85, 0.95);
    }
}
