package io.plantmesh.maintenance.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.plantmesh.maintenance.model.FailureTimeEstimator.Point;
import io.plantmesh.maintenance.model.HealthAssessment.FailurePrediction;
import io.plantmesh.maintenance.model.HealthAssessment.SignalReading;
import io.plantmesh.twin.model.machine.MachineState;

/**
 * The health model of one machine: learns its normal behaviour per operating regime and judges each window against
 * it. Pure and deterministic (no clock, no I/O): the caller feeds {@link MachineSample}s in time order and gets a
 * {@link HealthAssessment} whenever a window closes, or when the machine fails or goes into maintenance (the model
 * then resets its evidence). {@link #toJson()} / {@link #fromJson} persist everything but the open window; a restored
 * model raises no new alarm for {@link ModelSettings#graceWindows()} windows.
 *
 * <p>Per window (default 10 min of plant time), per signal, the median of the samples taken while the machine has
 * been RUNNING for {@link ModelSettings#steadyAfter()} (so warm-up after a cold start, setups and thermal settling do
 * not count, and a single sensor glitch does not move the median). Per regime (the machine's program) and signal the
 * mean and standard deviation of those medians are learned over the first windows, then frozen; a window is scored
 * by the z score of each signal. Per {@link WearMode}, the evidence is the weighted mean of the z scores in the
 * mode's direction, smoothed over windows (EWMA); a mode whose smoothed evidence stays above the detection threshold
 * is suspected. Its progression signal's relative deviation from normal is tracked as a trend, and
 * {@link FailureTimeEstimator} extrapolates the trend to the mode's failure level ({@link FailureLevels}). A failure
 * predicted within the horizon raises the PREDICTED_FAILURE alarm. Not thread-safe: one owner at a time.
 */
public final class MachineHealthModel {

    /** Regime of a machine that reports no program. */
    public static final String DEFAULT_REGIME = "default";
    private static final double MAX_Z = 50;
    private static final double NANOS_PER_HOUR = 3_600e9;

    private final String machineId;
    private final ModelSettings settings;
    private final FailureTimeEstimator estimator;
    private String machineClass;

    private final Map<String, EnumMap<Signal, RunningMoments>> baselines = new HashMap<>();

    private Instant windowStart;
    private String windowRegime;
    private final EnumMap<Signal, List<Double>> windowValues = new EnumMap<>(Signal.class);
    private int windowSamples;
    private long windowParts;
    private long windowScrap;
    private Long lastGood;
    private Long lastScrap;
    private double scrapEw;
    private double partsEw;

    private final EnumMap<WearMode, Double> evidence = new EnumMap<>(WearMode.class);
    private final EnumMap<WearMode, Integer> above = new EnumMap<>(WearMode.class);
    private final EnumMap<WearMode, Instant> risingSince = new EnumMap<>(WearMode.class);
    private final EnumMap<WearMode, Deque<Point>> trends = new EnumMap<>(WearMode.class);
    private final EnumMap<WearMode, Double> lastProgress = new EnumMap<>(WearMode.class);
    private final EnumMap<WearMode, Signal> progressSignal = new EnumMap<>(WearMode.class);
    private WearMode suspected;
    private Instant suspectedSince;
    private int quiet;
    private final List<HealthAlarm> alarms = new ArrayList<>();
    private int anomalous;
    private int graceLeft;
    private MachineState lastState;
    private JsonObject maintenanceRequest;

    public MachineHealthModel(final String machineId, final ModelSettings settings) {
        this.machineId = Objects.requireNonNull(machineId, "machineId");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.estimator = settings.estimator();
        for (final WearMode mode : WearMode.values()) {
            evidence.put(mode, 0.0);
            above.put(mode, 0);
            trends.put(mode, new ArrayDeque<>());
        }
    }

    public String machineId() {
        return machineId;
    }

    /** The active alarms. */
    public List<HealthAlarm> alarms() {
        return List.copyOf(alarms);
    }

    /** The suspected wear mode, if any. */
    public Optional<WearMode> suspectedMode() {
        return Optional.ofNullable(suspected);
    }

    /** What the service asked the MES for in the current episode (opaque to the model), or null. */
    public JsonObject maintenanceRequest() {
        return maintenanceRequest == null ? null : maintenanceRequest.copy();
    }

    /** Remembers the service's maintenance request until the episode ends (failure, maintenance, all clear). */
    public void maintenanceRequested(final JsonObject request) {
        maintenanceRequest = request == null ? null : request.copy();
    }

    /** How many windows of {@code regime} have been learned for {@code signal}. */
    public long learnedWindows(final String regime, final Signal signal) {
        final EnumMap<Signal, RunningMoments> base = baselines.get(regime);
        final RunningMoments moments = base == null ? null : base.get(signal);
        return moments == null ? 0 : moments.count();
    }

    /**
     * Takes the next sample (samples must come in time order).
     *
     * @param levels the failure levels shared by the service's models (learns from this machine's failures)
     * @return an assessment if a window closed with enough steady samples, or if the machine just failed or went into
     * maintenance (a reset)
     */
    public Optional<HealthAssessment> accept(final MachineSample sample, final FailureLevels levels) {
        if (sample.machineClass() != null) {
            machineClass = sample.machineClass();
        }
        final MachineState previous = lastState;
        lastState = sample.state();
        final boolean failed = sample.state() == MachineState.DOWN && previous != null
                && previous != MachineState.DOWN;
        final boolean maintained = sample.state() == MachineState.MAINTENANCE && previous != null
                && previous != MachineState.DOWN && previous != MachineState.MAINTENANCE;
        if (failed || maintained) {
            if (failed) {
                learnFailureLevel(levels, sample.at());
            }
            final String why = (failed ? "machine DOWN" : "maintenance") + (sample.stateReason() == null ? ""
                    : ": " + sample.stateReason());
            return Optional.of(reset(sample.at(), why));
        }
        final String regime = sample.program() == null || sample.program().isBlank() ? DEFAULT_REGIME
                : sample.program();
        final Instant slot = slotOf(sample.at());
        Optional<HealthAssessment> result = Optional.empty();
        if (windowStart != null && (!slot.equals(windowStart) || !regime.equals(windowRegime))) {
            final Instant slotEnd = windowStart.plus(settings.window());
            result = closeWindow(sample.at().isBefore(slotEnd) ? sample.at() : slotEnd, levels);
            windowStart = null;
        }
        if (windowStart == null) {
            windowStart = slot;
            windowRegime = regime;
            windowValues.clear();
            windowSamples = 0;
            windowParts = 0;
            windowScrap = 0;
        }
        final boolean steady = sample.state() == MachineState.RUNNING
                && Duration.between(sample.stateSince(), sample.at()).compareTo(settings.steadyAfter()) >= 0;
        if (sample.good() != null && sample.scrap() != null) {
            final boolean counted = lastGood != null && steady && sample.good() >= lastGood
                    && sample.scrap() >= lastScrap;
            if (counted) {
                windowParts += sample.good() - lastGood + sample.scrap() - lastScrap;
                windowScrap += sample.scrap() - lastScrap;
            }
            lastGood = sample.good();
            lastScrap = sample.scrap();
        }
        if (steady) {
            windowSamples++;
            sample.values().forEach((signal, value) ->
                    windowValues.computeIfAbsent(signal, s -> new ArrayList<>()).add(value));
        }
        return result;
    }

    private Instant slotOf(final Instant at) {
        final long size = settings.window().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), size) * size);
    }

    private Optional<HealthAssessment> closeWindow(final Instant end, final FailureLevels levels) {
        if (windowSamples < settings.minSamples()) {
            return Optional.empty();
        }
        scrapEw = settings.scrapDecay() * scrapEw + windowScrap;
        partsEw = settings.scrapDecay() * partsEw + windowParts;
        final Map<Signal, Double> medians = new EnumMap<>(Signal.class);
        windowValues.forEach((signal, values) -> {
            if (values.size() >= settings.minSamples()) {
                medians.put(signal, median(values));
            }
        });
        final boolean enoughParts = partsEw >= 20;
        if (enoughParts) {
            medians.put(Signal.SCRAP_RATE, scrapEw / partsEw);
        }
        final EnumMap<Signal, RunningMoments> base = baselines.computeIfAbsent(windowRegime,
                r -> new EnumMap<>(Signal.class));
        final List<SignalReading> readings = new ArrayList<>();
        medians.forEach((signal, value) -> {
            final RunningMoments moments = base.computeIfAbsent(signal, s -> new RunningMoments());
            final boolean ready = moments.count() >= settings.minLearnWindows();
            double z = 0;
            if (ready) {
                final double sigma = sigma(signal, moments);
                z = Math.max(-MAX_Z, Math.min(MAX_Z, (value - moments.mean()) / sigma));
                readings.add(new SignalReading(signal, value, moments.mean(), sigma, z));
            }
            // learn until frozen; once judged, only windows that look normal
            final boolean learn = moments.count() < settings.learnWindows() && (!ready || Math.abs(z) < 3);
            if (learn) {
                moments.add(value);
            }
        });
        if (readings.isEmpty()) {
            return Optional.of(assessment(end, HealthAssessment.LEARNING, null, null, null, List.of(), readings,
                    null));
        }
        final String state = graceLeft > 0 ? HealthAssessment.GRACE : HealthAssessment.ACTIVE;
        final Map<Signal, SignalReading> bySignal = new EnumMap<>(Signal.class);
        readings.forEach(r -> bySignal.put(r.signal(), r));
        final double hours = hoursOf(end);
        for (final WearMode mode : WearMode.values()) {
            updateEvidence(mode, bySignal, hours);
        }
        updateSuspicion(end);
        final double score = anomalyScore(readings);
        final List<HealthAlarm> raised = new ArrayList<>();
        FailurePrediction prediction = null;
        Double progression = null;
        if (suspected != null) {
            progression = lastProgress.get(suspected);
            prediction = predict(end, levels).orElse(null);
        }
        alarmOnPrediction(end, prediction, bySignal, levels, raised);
        alarmOnAnomaly(end, score, readings, raised);
        if (graceLeft > 0) {
            graceLeft--;
        }
        return Optional.of(assessment(end, state, score, progression, prediction, raised, readings, null));
    }

    private double sigma(final Signal signal, final RunningMoments moments) {
        double sigma = Math.max(moments.standardDeviation(), settings.relativeSigmaFloor() * Math.abs(moments.mean()));
        if (signal == Signal.SCRAP_RATE) {
            // a scrap share from few parts is noisy whatever the history says: at least the binomial spread
            final double p = Math.max(moments.mean(), 0.005);
            sigma = Math.max(sigma, Math.sqrt(p * (1 - p) / Math.max(1, partsEw)));
        }
        return sigma > 0 ? sigma : 1e-9;
    }

    private void updateEvidence(final WearMode mode, final Map<Signal, SignalReading> bySignal, final double hours) {
        double weighted = 0;
        double weights = 0;
        for (final Map.Entry<Signal, Double> entry : mode.signature().entrySet()) {
            final SignalReading reading = bySignal.get(entry.getKey());
            if (reading != null) {
                final double weight = Math.abs(entry.getValue());
                weighted += weight * Math.max(0, Math.signum(entry.getValue()) * reading.z());
                weights += weight;
            }
        }
        if (weights == 0) {
            return;
        }
        final double smoothed = settings.ewmaWeight() * (weighted / weights)
                + (1 - settings.ewmaWeight()) * evidence.get(mode);
        evidence.put(mode, smoothed);
        above.put(mode, smoothed >= settings.detectThreshold() ? above.get(mode) + 1 : 0);
        if (smoothed >= settings.trendThreshold() && risingSince.get(mode) == null) {
            risingSince.put(mode, windowStart);
        } else if (smoothed < settings.clearThreshold()) {
            risingSince.remove(mode);
        }
        for (final Signal signal : mode.progressionSignals()) {
            final SignalReading reading = bySignal.get(signal);
            if (reading != null) {
                final double q = mode.direction(signal) * reading.relative();
                if (progressSignal.get(mode) != signal) {
                    // another signal than before (e.g. the load stopped reporting): its trend starts over
                    trends.get(mode).clear();
                    progressSignal.put(mode, signal);
                }
                lastProgress.put(mode, q);
                final Deque<Point> trend = trends.get(mode);
                trend.addLast(new Point(hours, q));
                while (trend.size() > settings.maxTrendPoints()) {
                    trend.removeFirst();
                }
                break;
            }
        }
    }

    private void updateSuspicion(final Instant end) {
        WearMode best = null;
        for (final WearMode mode : WearMode.values()) {
            final boolean detected = above.get(mode) >= 2;
            if (detected && (best == null || evidence.get(mode) > evidence.get(best))) {
                best = mode;
            }
        }
        if (suspected == null) {
            if (best != null) {
                suspected = best;
                suspectedSince = end;
                quiet = 0;
            }
            return;
        }
        if (best != null && best != suspected && evidence.get(best) > 2 * evidence.get(suspected)) {
            suspected = best;
            suspectedSince = end;
            alarms.removeIf(a -> a.code().equals(HealthAlarm.PREDICTED_FAILURE));
        }
        quiet = evidence.get(suspected) < settings.clearThreshold() ? quiet + 1 : 0;
        if (quiet >= settings.clearWindows()) {
            suspected = null;
            suspectedSince = null;
            quiet = 0;
            maintenanceRequest = null;
            alarms.removeIf(a -> a.code().equals(HealthAlarm.PREDICTED_FAILURE));
        }
    }

    private Optional<FailurePrediction> predict(final Instant end, final FailureLevels levels) {
        final Signal signal = progressSignal.get(suspected);
        final Double q = lastProgress.get(suspected);
        if (signal == null || q == null) {
            return Optional.empty();
        }
        final double level = levels.level(suspected, signal, machineClass);
        final double now = hoursOf(end);
        final double horizon = settings.horizon().toNanos() / NANOS_PER_HOUR;
        final Instant since = risingSince.getOrDefault(suspected, suspectedSince);
        final double from = since == null ? now : hoursOf(since) - settings.window().toNanos() / NANOS_PER_HOUR;
        // the recent part of the trend: a local fit follows wear that grows faster or slower than quadratic
        final double recent = Math.max(from, now - settings.fitSpan().toNanos() / NANOS_PER_HOUR);
        final List<Point> points = trends.get(suspected).stream().filter(p -> p.hours() >= recent).toList();
        Optional<FailureTimeEstimator.Estimate> estimate = estimator.estimate(points, level, now, horizon);
        final boolean imminent = q >= settings.imminentShare() * level;
        if (imminent && (estimate.isEmpty() || estimate.get().failureHours() - now > horizon / 4)) {
            // close to the failure level: the trend cannot promise more time than a quarter of the horizon
            estimate = Optional.of(new FailureTimeEstimator.Estimate(now + Math.min(horizon / 8,
                    estimate.map(e -> e.failureHours() - now).orElse(horizon / 8)), now, now + horizon / 4, 1.0, 0,
                    points.size()));
        }
        return estimate.map(e -> new FailurePrediction(suspected, instantOf(e.failureHours()),
                instantOf(e.lowerHours()), instantOf(e.upperHours()), estimator.confidence(),
                e.probabilityWithin()));
    }

    private void alarmOnPrediction(final Instant end, final FailurePrediction prediction,
            final Map<Signal, SignalReading> bySignal, final FailureLevels levels, final List<HealthAlarm> raised) {
        final int index = indexOf(HealthAlarm.PREDICTED_FAILURE);
        // "within the horizon" with the configured probability, so that a point estimate near the horizon's end
        // does not raise an alarm that is more likely early than not
        final boolean within = prediction != null
                && prediction.probabilityWithinHorizon() >= settings.alarmProbability();
        if (!within) {
            return; // an alarm once raised stays until the episode ends (failure, maintenance, all clear)
        }
        final Duration left = Duration.between(end, prediction.at());
        final String severity = left.compareTo(settings.horizon().dividedBy(4)) <= 0 ? "CRITICAL" : "WARNING";
        final String message = String.format(Locale.ROOT, "%s predicted to end in a failure around %s (in %s; %.0f %% "
                + "interval %s .. %s)", suspected, prediction.at(), human(left), 100 * prediction.confidence(),
                prediction.earliest(), prediction.latest());
        final List<String> reasons = reasons(suspected, bySignal, levels);
        if (index >= 0) {
            final HealthAlarm old = alarms.get(index);
            alarms.set(index, new HealthAlarm(old.code(), severity, message, old.since(), suspected.name(), reasons));
        } else if (graceLeft == 0) {
            final HealthAlarm alarm = new HealthAlarm(HealthAlarm.PREDICTED_FAILURE, severity, message, end,
                    suspected.name(), reasons);
            alarms.add(alarm);
            raised.add(alarm);
        }
    }

    private void alarmOnAnomaly(final Instant end, final double score, final List<SignalReading> readings,
            final List<HealthAlarm> raised) {
        // an anomaly a wear mode is already rising to explain is not reported as unexplained
        final boolean explained = evidence.values().stream().anyMatch(e -> e >= settings.trendThreshold());
        final boolean odd = suspected == null && !explained && score >= settings.anomalyScore();
        anomalous = odd ? anomalous + 1 : 0;
        final int index = indexOf(HealthAlarm.ANOMALY);
        if (anomalous == 0 && index >= 0) {
            alarms.remove(index);
            return;
        }
        if (anomalous >= settings.anomalyWindows() && index < 0 && graceLeft == 0) {
            final List<String> reasons = readings.stream()
                    .filter(r -> Math.abs(r.z()) >= 3)
                    .map(r -> describe(r))
                    .toList();
            final HealthAlarm alarm = new HealthAlarm(HealthAlarm.ANOMALY, "INFO", String.format(Locale.ROOT,
                    "behaves unlike its normal behaviour in program %s for %d windows (anomaly score %.4f), no known "
                    + "wear pattern", windowRegime, anomalous, score), end, null, reasons);
            alarms.add(alarm);
            raised.add(alarm);
        }
    }

    private List<String> reasons(final WearMode mode, final Map<Signal, SignalReading> bySignal,
            final FailureLevels levels) {
        final List<String> reasons = new ArrayList<>();
        for (final Signal signal : mode.signature().keySet().stream().sorted().toList()) {
            final SignalReading r = bySignal.get(signal);
            if (r != null) {
                reasons.add(describe(r));
            }
        }
        final Signal progression = progressSignal.get(mode);
        if (progression != null) {
            reasons.add(String.format(Locale.ROOT, "trend of %s extrapolated to its failure level of %+.0f %% of "
                    + "normal (%s)", progression.label(), 100 * mode.direction(progression)
                    * levels.level(mode, progression, machineClass), levels.observations(mode, progression,
                    machineClass) >= FailureLevels.MIN_OBSERVATIONS ? "learned from failures of " + machineClass
                    : "default"));
        }
        return reasons;
    }

    private String describe(final SignalReading r) {
        return String.format(Locale.ROOT, "%s %.4g %s is %.0f %% %s normal (%.4g %s in program %s, z %.1f)",
                r.signal().label(), r.value(), r.signal().unit(), Math.abs(100 * r.relative()),
                r.relative() >= 0 ? "above" : "below", r.normalMean(), r.signal().unit(), windowRegime, r.z());
    }

    private double anomalyScore(final List<SignalReading> readings) {
        double chi = 0;
        for (final SignalReading r : readings) {
            chi += Math.min(r.z() * r.z(), 100);
        }
        return new ChiSquaredDistribution(readings.size()).cumulativeProbability(chi);
    }

    private void learnFailureLevel(final FailureLevels levels, final Instant failedAt) {
        if (suspected == null) {
            return;
        }
        final Signal signal = progressSignal.get(suspected);
        final Instant since = risingSince.getOrDefault(suspected, suspectedSince);
        final double from = since == null ? Double.NEGATIVE_INFINITY : hoursOf(since);
        final List<Point> points = trends.get(suspected).stream().filter(p -> p.hours() >= from).toList();
        // where the trend had got to when the machine failed; the last window's value if there is no trend
        final Double q = estimator.levelAt(points, hoursOf(failedAt)).orElse(lastProgress.get(suspected));
        // only a failure that looks like the end of the suspected wear teaches its level
        final boolean plausible = signal != null && q != null
                && q >= 0.5 * levels.level(suspected, signal, machineClass);
        if (plausible) {
            levels.observe(suspected, signal, machineClass, q);
        }
    }

    private HealthAssessment reset(final Instant at, final String why) {
        for (final WearMode mode : WearMode.values()) {
            evidence.put(mode, 0.0);
            above.put(mode, 0);
            trends.get(mode).clear();
        }
        risingSince.clear();
        lastProgress.clear();
        suspected = null;
        suspectedSince = null;
        quiet = 0;
        alarms.clear();
        anomalous = 0;
        maintenanceRequest = null;
        windowStart = null;
        return assessment(at, baselines.isEmpty() ? HealthAssessment.LEARNING : HealthAssessment.ACTIVE, null, null,
                null, List.of(), List.of(), why);
    }

    private HealthAssessment assessment(final Instant at, final String state, final Double score,
            final Double progression, final FailurePrediction prediction, final List<HealthAlarm> raised,
            final List<SignalReading> readings, final String reset) {
        return new HealthAssessment(machineId, at, reset == null ? windowRegime : null, state, score,
                new EnumMap<>(evidence), suspected, progression, prediction, alarms, raised, readings, reset);
    }

    private int indexOf(final String code) {
        for (int i = 0; i < alarms.size(); i++) {
            if (alarms.get(i).code().equals(code)) {
                return i;
            }
        }
        return -1;
    }

    private static double median(final List<Double> values) {
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double hoursOf(final Instant at) {
        return at.getEpochSecond() / 3600.0 + at.getNano() / NANOS_PER_HOUR;
    }

    private static Instant instantOf(final double hours) {
        return Instant.ofEpochMilli(Math.round(hours * 3_600_000));
    }

    static String human(final Duration d) {
        final long minutes = d.toMinutes();
        return minutes >= 120 ? String.format(Locale.ROOT, "%.1f h", minutes / 60.0) : minutes + " min";
    }

    // ----- persistence -----

    /** Everything but the open window, for restoring after a restart. */
    public JsonObject toJson() {
        final JsonObject base = new JsonObject();
        baselines.forEach((regime, signals) -> {
            final JsonObject bySignal = new JsonObject();
            signals.forEach((signal, moments) -> bySignal.put(signal.name(), moments.toJson()));
            base.put(regime, bySignal);
        });
        final JsonObject modes = new JsonObject();
        for (final WearMode mode : WearMode.values()) {
            final JsonArray trend = new JsonArray();
            trends.get(mode).forEach(p -> trend.add(new JsonArray().add(p.hours()).add(p.progression())));
            final JsonObject m = new JsonObject().put("evidence", evidence.get(mode)).put("above", above.get(mode))
                    .put("trend", trend);
            putInstant(m, "risingSince", risingSince.get(mode));
            if (lastProgress.containsKey(mode)) {
                m.put("lastProgress", lastProgress.get(mode));
            }
            if (progressSignal.containsKey(mode)) {
                m.put("progressSignal", progressSignal.get(mode).name());
            }
            modes.put(mode.name(), m);
        }
        final JsonObject json = new JsonObject()
                .put("machineId", machineId)
                .put("baselines", base)
                .put("modes", modes)
                .put("scrapEw", scrapEw)
                .put("partsEw", partsEw)
                .put("quiet", quiet)
                .put("anomalous", anomalous)
                .put("alarms", new JsonArray(alarms.stream().map(HealthAlarm::toJson).toList()));
        putText(json, "machineClass", machineClass);
        putText(json, "suspected", suspected == null ? null : suspected.name());
        putInstant(json, "suspectedSince", suspectedSince);
        putText(json, "lastState", lastState == null ? null : lastState.name());
        if (lastGood != null) {
            json.put("lastGood", lastGood).put("lastScrap", lastScrap);
        }
        if (maintenanceRequest != null) {
            json.put("maintenanceRequest", maintenanceRequest);
        }
        return json;
    }

    /** A model restored from {@link #toJson()}: it starts in grace (no new alarms for a few windows). */
    public static MachineHealthModel fromJson(final JsonObject json, final ModelSettings settings) {
        final MachineHealthModel model = new MachineHealthModel(json.getString("machineId"), settings);
        json.getJsonObject("baselines", new JsonObject()).forEach(regime -> {
            final EnumMap<Signal, RunningMoments> signals = new EnumMap<>(Signal.class);
            ((JsonObject) regime.getValue()).forEach(s -> signals.put(Signal.valueOf(s.getKey()),
                    RunningMoments.fromJson((JsonObject) s.getValue())));
            model.baselines.put(regime.getKey(), signals);
        });
        final JsonObject modes = json.getJsonObject("modes", new JsonObject());
        for (final WearMode mode : WearMode.values()) {
            final JsonObject m = modes.getJsonObject(mode.name());
            if (m == null) {
                continue;
            }
            model.evidence.put(mode, m.getDouble("evidence", 0.0));
            model.above.put(mode, m.getInteger("above", 0));
            m.getJsonArray("trend", new JsonArray()).forEach(p -> {
                final JsonArray point = (JsonArray) p;
                model.trends.get(mode).addLast(new Point(point.getDouble(0), point.getDouble(1)));
            });
            final Instant rising = instant(m, "risingSince");
            if (rising != null) {
                model.risingSince.put(mode, rising);
            }
            if (m.containsKey("lastProgress")) {
                model.lastProgress.put(mode, m.getDouble("lastProgress"));
            }
            if (m.containsKey("progressSignal")) {
                model.progressSignal.put(mode, Signal.valueOf(m.getString("progressSignal")));
            }
        }
        model.scrapEw = json.getDouble("scrapEw", 0.0);
        model.partsEw = json.getDouble("partsEw", 0.0);
        model.quiet = json.getInteger("quiet", 0);
        model.anomalous = json.getInteger("anomalous", 0);
        json.getJsonArray("alarms", new JsonArray()).forEach(a -> model.alarms.add(HealthAlarm.fromJson(
                (JsonObject) a)));
        model.machineClass = json.getString("machineClass");
        final String suspected = json.getString("suspected");
        model.suspected = suspected == null ? null : WearMode.valueOf(suspected);
        model.suspectedSince = instant(json, "suspectedSince");
        final String lastState = json.getString("lastState");
        model.lastState = lastState == null ? null : MachineState.valueOf(lastState);
        if (json.containsKey("lastGood")) {
            model.lastGood = json.getLong("lastGood");
            model.lastScrap = json.getLong("lastScrap");
        }
        model.maintenanceRequest = json.getJsonObject("maintenanceRequest");
        model.graceLeft = settings.graceWindows();
        return model;
    }

    private static void putInstant(final JsonObject json, final String key, final Instant value) {
        if (value != null) {
            json.put(key, value.toString());
        }
    }

    private static void putText(final JsonObject json, final String key, final String value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    private static Instant instant(final JsonObject json, final String key) {
        final String text = json.getString(key);
        return text == null ? null : Instant.parse(text);
    }
}
