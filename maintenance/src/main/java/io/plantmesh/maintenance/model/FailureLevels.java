package io.plantmesh.maintenance.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The progression at which machines fail, per wear mode, progression signal and machine class: starts at the
 * configured defaults and learns from the failures the service sees (the progression of a suspected mode just before
 * the machine went DOWN, where its trend had got to at that moment). With at least {@value #MIN_OBSERVATIONS}
 * observations the level is their median (parts of one class fail at somewhat different wear; the time-to-failure
 * interval carries that spread); the newest {@value #MAX_OBSERVATIONS} are kept. Shared by all machine models of a
 * service; thread-confined like them.
 */
public final class FailureLevels {

    static final int MIN_OBSERVATIONS = 4;
    static final int MAX_OBSERVATIONS = 30;

    private final Map<Signal, Double> defaults;
    private final Map<String, List<Double>> observed = new HashMap<>();

    public FailureLevels(final Map<Signal, Double> defaults) {
        this.defaults = Map.copyOf(defaults);
    }

    /** The failure level of {@code mode} measured by {@code signal} on machines of {@code machineClass}. */
    public double level(final WearMode mode, final Signal signal, final String machineClass) {
        final List<Double> seen = observed.get(key(mode, signal, machineClass));
        if (seen != null && seen.size() >= MIN_OBSERVATIONS) {
            final double[] sorted = seen.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            final int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
        return defaults.getOrDefault(signal, 1.0);
    }

    /** A machine of {@code machineClass} failed with {@code mode} at {@code progression}. */
    public void observe(final WearMode mode, final Signal signal, final String machineClass,
            final double progression) {
        final List<Double> seen = observed.computeIfAbsent(key(mode, signal, machineClass), k -> new ArrayList<>());
        seen.add(progression);
        if (seen.size() > MAX_OBSERVATIONS) {
            seen.remove(0);
        }
    }

    /** How many failures were learned for the key. */
    public int observations(final WearMode mode, final Signal signal, final String machineClass) {
        return observed.getOrDefault(key(mode, signal, machineClass), List.of()).size();
    }

    private static String key(final WearMode mode, final Signal signal, final String machineClass) {
        return mode + "/" + signal + "/" + (machineClass == null ? "" : machineClass);
    }

    public JsonObject toJson() {
        final JsonObject json = new JsonObject();
        observed.forEach((key, values) -> json.put(key, new JsonArray(new ArrayList<>(values))));
        return json;
    }

    /** Restores learned levels saved with {@link #toJson()} (on top of the defaults). */
    public void restore(final JsonObject json) {
        observed.clear();
        json.forEach(entry -> {
            final List<Double> values = new ArrayList<>();
            ((JsonArray) entry.getValue()).forEach(v -> values.add(((Number) v).doubleValue()));
            observed.put(entry.getKey(), values);
        });
    }

    @Override
    public String toString() {
        return "FailureLevels" + Arrays.toString(observed.entrySet().toArray());
    }
}
