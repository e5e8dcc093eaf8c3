package io.plantmesh.maintenance.model;

import java.util.List;
import java.util.Optional;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Estimates when a degradation reaches its failure level, with a confidence interval.
 *
 * <p>Model: wear that grows "slowly, then faster" as {@code q(t) = k (t - t0)^2} (the progression {@code q} is the
 * relative deviation of the mode's progression signal from normal). Then {@code sqrt(q)} is a straight line in time,
 * fitted by ordinary least squares (Commons Math {@link SimpleRegression}) over the episode's points; the failure time
 * is where the line reaches {@code sqrt(failureLevel)}. Its uncertainty is the inverse-prediction (calibration)
 * interval by the delta method, {@code var(t*) = s^2 (1/n + (t* - xbar)^2 / Sxx) / b^2}, widened by a relative model
 * error (real wear is not exactly quadratic), with Student's t quantile for {@code n - 2} degrees of freedom.
 *
 * <p>Pure; times are in hours on any common axis. {@code FailureTimeEstimatorTest} checks it on exact and noisy
 * quadratic wear with known answers.
 */
public final class FailureTimeEstimator {

    /** One observation: time (hours) and progression (relative deviation from normal, 0 = normal). */
    public record Point(double hours, double progression) {
    }

    /**
     * The estimate.
     *
     * @param failureHours point estimate of the failure time
     * @param lowerHours lower bound of the interval (never before {@code now})
     * @param upperHours upper bound
     * @param probabilityWithin probability that the failure comes within the horizon asked for
     * @param slope of {@code sqrt(q)} per hour
     * @param points how many points the fit used
     */
    public record Estimate(double failureHours, double lowerHours, double upperHours, double probabilityWithin,
            double slope, int points) {
    }

    private final int minPoints;
    private final double minSlopeT;
    private final double confidence;
    private final double relativeModelError;

    /**
     * @param minPoints fewer points give no estimate (at least 3)
     * @param minSlopeT the rise must be at least this many standard errors of the slope, else there is no trend
     * @param confidence of the interval, e.g. 0.9
     * @param relativeModelError extra standard deviation as a share of the time to failure, e.g. 0.15
     */
    public FailureTimeEstimator(final int minPoints, final double minSlopeT, final double confidence,
            final double relativeModelError) {
        final boolean valid = minPoints >= 3 && minSlopeT >= 0 && confidence > 0 && confidence < 1
                && relativeModelError >= 0;
        if (!valid) {
            throw new IllegalArgumentException("minPoints >= 3, minSlopeT >= 0, 0 < confidence < 1 and "
                    + "relativeModelError >= 0 expected, got " + minPoints + ", " + minSlopeT + ", " + confidence
                    + ", " + relativeModelError);
        }
        this.minPoints = minPoints;
        this.minSlopeT = minSlopeT;
        this.confidence = confidence;
        this.relativeModelError = relativeModelError;
    }

    public double confidence() {
        return confidence;
    }

    /**
     * The failure time of the trend in {@code points}, or empty if there are too few points or no significant rise.
     *
     * @param failureLevel progression at which the machine fails (> 0)
     * @param nowHours the present; an estimate before it is moved to it
     * @param horizonHours for {@link Estimate#probabilityWithin()}: the failure before {@code now + horizon}
     */
    public Optional<Estimate> estimate(final List<Point> points, final double failureLevel, final double nowHours,
            final double horizonHours) {
        if (points.size() < minPoints || !(failureLevel > 0)) {
            return Optional.empty();
        }
        final SimpleRegression fit = new SimpleRegression(true);
        double sumX = 0;
        for (final Point p : points) {
            fit.addData(p.hours(), signedRoot(p.progression()));
            sumX += p.hours();
        }
        final int n = points.size();
        final double slope = fit.getSlope();
        final double slopeError = fit.getSlopeStdErr();
        final boolean rising = slope > 0 && (Double.isNaN(slopeError) || slopeError == 0
                || slope / slopeError >= minSlopeT);
        if (!rising) {
            return Optional.empty();
        }
        final double meanX = sumX / n;
        final double meanY = fit.getIntercept() + slope * meanX;
        final double target = Math.sqrt(failureLevel);
        final double crossing = meanX + (target - meanY) / slope;
        final double mse = Double.isNaN(fit.getMeanSquareError()) ? 0 : fit.getMeanSquareError();
        final double sxx = fit.getXSumSquares();
        final double fitVariance = sxx > 0
                ? mse * (1.0 / n + (crossing - meanX) * (crossing - meanX) / sxx) / (slope * slope) : 0;
        final double ahead = Math.max(0, crossing - nowHours);
        final double modelVariance = Math.pow(relativeModelError * ahead, 2);
        final double sd = Math.sqrt(fitVariance + modelVariance);
        final double quantile = new TDistribution(Math.max(1, n - 2)).inverseCumulativeProbability(
                0.5 + confidence / 2);
        final double failure = Math.max(nowHours, crossing);
        final double lower = Math.max(nowHours, crossing - quantile * sd);
        final double upper = Math.max(lower, crossing + quantile * sd);
        final double within = sd > 0
                ? new NormalDistribution(crossing, sd).cumulativeProbability(nowHours + horizonHours)
                : crossing <= nowHours + horizonHours ? 1 : 0;
        return Optional.of(new Estimate(failure, lower, upper, within, slope, n));
    }

    /**
     * The progression the fitted trend reaches at {@code hours} (e.g. the moment a machine failed), or empty if the
     * points show no rise.
     */
    public Optional<Double> levelAt(final List<Point> points, final double hours) {
        if (points.size() < minPoints) {
            return Optional.empty();
        }
        final SimpleRegression fit = new SimpleRegression(true);
        points.forEach(p -> fit.addData(p.hours(), signedRoot(p.progression())));
        final double root = fit.predict(hours);
        return fit.getSlope() > 0 && root > 0 ? Optional.of(root * root) : Optional.empty();
    }

    /** {@code sign(q) sqrt(|q|)}: keeps the noise of a progression near zero symmetric. */
    static double signedRoot(final double q) {
        return Math.signum(q) * Math.sqrt(Math.abs(q));
    }
}
