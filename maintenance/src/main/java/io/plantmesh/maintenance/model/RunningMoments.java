package io.plantmesh.maintenance.model;

import io.vertx.core.json.JsonObject;

/**
 * Count, mean and variance of a stream of values in one pass (Welford's algorithm), mergeable and small enough to
 * persist ({@link #toJson()}). Commons Math's storeless statistics cannot be restored from their moments, which a
 * restart-safe model needs; {@code RunningMomentsTest} checks this class against Commons Math on known data.
 */
public final class RunningMoments {

    private long count;
    private double mean;
    private double m2;

    public RunningMoments() {
    }

    private RunningMoments(final long count, final double mean, final double m2) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }

    public void add(final double value) {
        count++;
        final double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
    }

    public long count() {
        return count;
    }

    /** The mean; 0 before the first value. */
    public double mean() {
        return mean;
    }

    /** The sample variance (n - 1); 0 for fewer than two values. */
    public double variance() {
        return count < 2 ? 0 : m2 / (count - 1);
    }

    public double standardDeviation() {
        return Math.sqrt(variance());
    }

    /** Both streams as one (Chan et al.'s parallel combination). */
    public RunningMoments merge(final RunningMoments other) {
        if (other.count == 0) {
            return new RunningMoments(count, mean, m2);
        }
        if (count == 0) {
            return new RunningMoments(other.count, other.mean, other.m2);
        }
        final long n = count + other.count;
        final double delta = other.mean - mean;
        final double mergedMean = mean + delta * other.count / n;
        final double mergedM2 = m2 + other.m2 + delta * delta * count * other.count / n;
        return new RunningMoments(n, mergedMean, mergedM2);
    }

    public JsonObject toJson() {
        return new JsonObject().put("n", count).put("mean", mean).put("m2", m2);
    }

    public static RunningMoments fromJson(final JsonObject json) {
        return new RunningMoments(json.getLong("n", 0L), json.getDouble("mean", 0.0), json.getDouble("m2", 0.0));
    }
}
