package io.plantmesh.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import io.plantmesh.maintenance.mes.MaintenanceRequester;
import io.plantmesh.maintenance.model.FailureLevels;
import io.plantmesh.maintenance.model.HealthAlarm;
import io.plantmesh.maintenance.model.HealthAssessment;
import io.plantmesh.maintenance.model.MachineHealthModel;
import io.plantmesh.maintenance.model.MachineSample;
import io.plantmesh.maintenance.store.ModelStore;
import io.plantmesh.maintenance.twin.HealthFeature;
import io.plantmesh.maintenance.twin.MachineSamples;
import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.PlantDefinitions;

/**
 * The predictive maintenance service: follows the machine twins of its namespaces through Ditto's public API (the
 * change stream of the official Ditto Java client over {@code /ws/2}, with the whole thing of every change), feeds
 * each machine's {@link MachineHealthModel}, writes its assessment to the machine's {@code features/health}, raises a
 * {@value HealthFeature#ALERT_SUBJECT} event from the machine's outbox for every new alarm, and asks the MES for a
 * maintenance window when a failure is predicted within the horizon. Models and the failure levels learned from
 * failures are kept in MongoDB and restored at start (a restored model starts in grace: no new alarms for a few
 * windows).
 *
 * <p>{@link #create} returns an unstarted service; {@link #start()} blocks until it follows the twins (call it off any
 * event loop); {@link #close()} saves the models and stops it, also after a failed start. Everything about models runs
 * on one Vert.x context; MongoDB is written off it.
 */
public final class MaintenanceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final MaintenanceConfig config;
    private final Map<String, MachineHealthModel> models = new HashMap<>();
    private final Map<String, String> fingerprints = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> requesting = new HashSet<>();
    private final Map<String, Long> requestFailedAtNanos = new HashMap<>();
    private final Map<String, HealthAssessment> latest = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private FailureLevels levels;
    private boolean levelsDirty;

    private Vertx vertx;
    private Context context;
    private MongoClient mongo;
    private ModelStore store;
    private TwinAccess twins;
    private MaintenanceRequester requester;
    private long saveTimer = -1;
    private int restoredModels;
    private boolean started;
    private volatile boolean closed;

    private MaintenanceService(final MaintenanceConfig config) {
        this.config = config;
    }

    /** An unstarted service; its caller must {@link #close()} it, also after a failed start. */
    public static MaintenanceService create(final MaintenanceConfig config) {
        return new MaintenanceService(java.util.Objects.requireNonNull(config, "config"));
    }

    public MaintenanceConfig config() {
        return config;
    }

    /**
     * Restores the models, connects to the twins and the MES, and subscribes to the machine twins.
     *
     * @throws MaintenanceException saying what failed (store, twin server) and what to check
     */
    public synchronized MaintenanceService start() {
        if (closed) {
            throw new IllegalStateException("this maintenance service was closed; create a new one");
        }
        if (started) {
            return this;
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        context = vertx.getOrCreateContext();
        final int restored;
        try {
            mongo = MongoClients.create(config.mongoUri());
            store = new ModelStore(mongo.getDatabase(config.mongoDatabase()));
            restored = restore();
            restoredModels = restored;
        } catch (final RuntimeException e) {
            close();
            throw new MaintenanceException("The maintenance service could not read its models from MongoDB "
                    + "(database " + config.mongoDatabase() + "): " + e.getMessage() + ". Check that the store runs "
                    + "and the URI is right (--mongo-uri, or the embedded store of ./plantmesh up).", e);
        }
        try {
            twins = config.tokens() != null
                    ? TwinAccess.connect(config.dittoEndpoint(), config.tokens(), CONNECT_TIMEOUT, config.trust())
                    : TwinAccess.connect(config.dittoEndpoint(), config.dittoUser(), config.dittoPassword(),
                            CONNECT_TIMEOUT, config.trust());
            final String filter = "eq(definition,\"" + PlantDefinitions.MACHINE + "\")";
            twins.subscribe(config.namespaces(), filter, change -> context.runOnContext(v -> changed(change)))
                    .toCompletableFuture().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final Exception e) {
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new MaintenanceException("The maintenance service could not follow the machine twins at "
                    + config.dittoEndpoint() + ": " + TwinAccess.describe(e) + ". Check that the twin server runs "
                    + "and that " + (config.tokens() != null ? "client '" + config.tokens().config().clientId() + "'"
                    : "user '" + config.dittoUser() + "'") + " may read the machines of " + config.namespaces()
                    + ".", e);
        }
        if (config.mesApi() != null) {
            requester = new MaintenanceRequester(vertx, config.mesApi(), config.tokens(), config.trust());
        }
        saveTimer = vertx.setPeriodic(config.saveInterval().toMillis(), id -> save());
        started = true;
        LOG.info("Maintenance service following machine twins of {} at {}; models in MongoDB database {} ({} "
                + "restored); maintenance windows {}; horizon {}", config.namespaces(), config.dittoEndpoint(),
                config.mongoDatabase(), restored, config.mesApi() == null ? "not requested (no MES API configured)"
                        : "requested from " + config.mesApi(), config.settings().horizon());
        return this;
    }

    /** Counters by name: samples, assessments, alarms.raised, requests.sent, requests.failed, writes.failed, ... */
    public Map<String, Long> counters() {
        final Map<String, Long> snapshot = new TreeMap<>();
        counters.forEach((name, value) -> snapshot.put(name, value.get()));
        return snapshot;
    }

    /** The latest assessment of a machine, if there is one. */
    public Optional<HealthAssessment> latest(final String machineId) {
        return Optional.ofNullable(latest.get(machineId));
    }

    private void count(final String name) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    private int restore() {
        levels = new FailureLevels(config.settings().defaultFailureLevels());
        levels.restore(store.loadLevels());
        final Map<String, JsonObject> saved = store.loadModels();
        int restored = 0;
        for (final Map.Entry<String, JsonObject> entry : saved.entrySet()) {
            try {
                models.put(entry.getKey(), MachineHealthModel.fromJson(entry.getValue(), config.settings()));
                restored++;
            } catch (final RuntimeException e) {
                LOG.warn("The saved model of {} could not be read ({}); it learns again from scratch", entry.getKey(),
                        e.toString());
            }
        }
        return restored;
    }

    private void changed(final TwinAccess.TwinChange change) {
        if (closed || change.deleted() || change.after() == null) {
            return;
        }
        final String id = change.thingId().toString();
        final String fingerprint = MachineSamples.fingerprint(change.after());
        if (fingerprint.equals(fingerprints.put(id, fingerprint))) {
            return; // only what the model does not look at changed (e.g. our own health write)
        }
        final Optional<MachineSample> sample = MachineSamples.of(change.after(), config.clock().instant());
        if (sample.isEmpty()) {
            return;
        }
        count("samples");
        final MachineHealthModel model = models.computeIfAbsent(id, k -> new MachineHealthModel(k,
                config.settings()));
        final Optional<HealthAssessment> assessment;
        try {
            assessment = model.accept(sample.get(), levels);
        } catch (final RuntimeException e) {
            count("samples.failed");
            LOG.warn("The health model of {} could not take a sample: {}", id, e.toString(), e);
            return;
        }
        dirty.add(id);
        assessment.ifPresent(a -> publish(model, a));
    }

    private void publish(final MachineHealthModel model, final HealthAssessment a) {
        count("assessments");
        latest.put(a.machineId(), a);
        if (a.reset() != null) {
            levelsDirty = true;
            LOG.info("{}: health model reset ({})", a.machineId(), a.reset());
        }
        for (final HealthAlarm alarm : a.raised()) {
            count("alarms.raised");
            LOG.info("{}: {} {} alarm: {}", a.machineId(), alarm.severity(), alarm.code(), alarm.message());
            twins.raiseEvent(ThingId.of(a.machineId()), HealthFeature.ALERT_SUBJECT, HealthFeature.alert(a, alarm));
        }
        maybeRequestMaintenance(model, a);
        writeHealth(a, model.maintenanceRequest());
    }

    private void writeHealth(final HealthAssessment a, final JsonObject request) {
        twins.merge(ThingId.of(a.machineId()), HealthFeature.patch(a, request)).whenComplete((v, e) -> {
            if (e != null) {
                count("writes.failed");
                LOG.warn("Could not write the health of {}: {}", a.machineId(), TwinAccess.describe(e));
            } else {
                count("writes");
            }
        });
    }

    private void maybeRequestMaintenance(final MachineHealthModel model, final HealthAssessment a) {
        final String id = a.machineId();
        final boolean wanted = requester != null && a.failurePredicted() && model.maintenanceRequest() == null
                && !requesting.contains(id);
        if (!wanted) {
            return;
        }
        final Long failedAt = requestFailedAtNanos.get(id);
        final boolean waiting = failedAt != null
                && System.nanoTime() - failedAt < config.requestRetry().toNanos();
        if (waiting) {
            return;
        }
        final HealthAlarm alarm = a.alarms().stream().filter(x -> x.code().equals(HealthAlarm.PREDICTED_FAILURE))
                .findFirst().orElseThrow();
        requesting.add(id);
        count("requests.sent");
        requester.request(id, config.maintenanceDuration(), alarm.message(), alarm.failureMode(),
                config.clock().instant()).onComplete(ar -> context.runOnContext(v -> {
                    requesting.remove(id);
                    if (ar.failed()) {
                        count("requests.failed");
                        requestFailedAtNanos.put(id, System.nanoTime());
                        LOG.warn("Could not ask the MES for a maintenance window of {}: {}; asking again in {} s", id,
                                ar.cause().getMessage(), config.requestRetry().toSeconds());
                        return;
                    }
                    requestFailedAtNanos.remove(id);
                    final boolean stillPredicted = model.suspectedMode().isPresent();
                    if (!stillPredicted) {
                        return;
                    }
                    model.maintenanceRequested(ar.result());
                    dirty.add(id);
                    LOG.info("{}: maintenance window {} from the MES ({} .. {})", id, ar.result().getString("status"),
                            ar.result().getString("start", "-"), ar.result().getString("end", "-"));
                    final HealthAssessment last = latest.get(id);
                    if (last != null) {
                        writeHealth(last, model.maintenanceRequest());
                    }
                }));
    }

    /** Saves the models that changed (and the failure levels) off the event loop. */
    private void save() {
        if (dirty.isEmpty() && !levelsDirty) {
            return;
        }
        final Map<String, JsonObject> snapshot = new LinkedHashMap<>();
        dirty.forEach(id -> snapshot.put(id, models.get(id).toJson()));
        dirty.clear();
        final JsonObject levelsJson = levelsDirty ? levels.toJson() : null;
        levelsDirty = false;
        final Instant now = config.clock().instant();
        vertx.executeBlocking(() -> {
            write(snapshot, levelsJson, now);
            return null;
        }, true).onFailure(e -> context.runOnContext(v -> {
            count("saves.failed");
            LOG.warn("Could not save {} health models: {}; trying again at the next save", snapshot.size(),
                    e.toString());
            dirty.addAll(snapshot.keySet());
            levelsDirty |= levelsJson != null;
        }));
    }

    private void write(final Map<String, JsonObject> snapshot, final JsonObject levelsJson, final Instant now) {
        snapshot.forEach((id, json) -> store.saveModel(id, json, now));
        if (levelsJson != null) {
            store.saveLevels(levelsJson, now);
        }
        count("saves");
    }

    /** Saves the models and stops; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (vertx != null && saveTimer >= 0) {
            vertx.cancelTimer(saveTimer);
        }
        if (started) {
            try {
                final CompletableFuture<Void> saved = new CompletableFuture<>();
                context.runOnContext(v -> {
                    try {
                        final Map<String, JsonObject> snapshot = new LinkedHashMap<>();
                        models.forEach((id, model) -> snapshot.put(id, model.toJson()));
                        final JsonObject levelsJson = levels.toJson();
                        vertx.executeBlocking(() -> {
                            write(snapshot, levelsJson, config.clock().instant());
                            return null;
                        }, true).onComplete(ar -> {
                            if (ar.succeeded()) {
                                saved.complete(null);
                            } else {
                                saved.completeExceptionally(ar.cause());
                            }
                        });
                    } catch (final RuntimeException e) {
                        saved.completeExceptionally(e);
                    }
                });
                saved.get(30, TimeUnit.SECONDS);
            } catch (final Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("Could not save the health models when stopping: {}", e.toString());
            }
        }
        if (requester != null) {
            requester.close();
        }
        if (twins != null) {
            twins.close();
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (final Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("Stopping the maintenance service's Vert.x did not finish cleanly: {}", e.toString());
            }
        }
        if (mongo != null) {
            mongo.close();
        }
        if (started) {
            LOG.info("Maintenance service stopped ({} machine models saved)", models.size());
        }
    }

    /** How many machine models were restored from MongoDB at start. */
    public int restoredModels() {
        return restoredModels;
    }
}
