package io.plantmesh.twin.server.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayInternalErrorException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayServiceUnavailableException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.PolicyTooLargeException;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyConflictException;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyIdNotExplicitlySettableException;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyModificationInvalidException;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.Features;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingTooLargeException;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.exceptions.PolicyIdNotAllowedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConditionFailedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConflictException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingIdNotExplicitlySettableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingMergeInvalidException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotCreatableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.server.audit.AuditHook;
import io.plantmesh.twin.server.events.ThingEvent;
import io.plantmesh.twin.server.events.TwinEventBus;
import io.plantmesh.twin.server.policies.PolicyCommand;
import io.plantmesh.twin.server.policies.PolicyPath;
import io.plantmesh.twin.server.policies.PolicyResult;
import io.plantmesh.twin.server.policies.PolicyState;
import io.plantmesh.twin.server.store.EntityWrite;
import io.plantmesh.twin.server.store.EventRecord;
import io.plantmesh.twin.server.store.StoredEntity;
import io.plantmesh.twin.server.store.TwinStore;
import io.plantmesh.twin.server.store.WriteSet;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingPath;
import io.plantmesh.twin.server.things.ThingResult;
import io.plantmesh.twin.server.things.ThingState;

/**
 * The twin server's core: executes thing and policy commands with Ditto's semantics (enforcement by policy,
 * revisions, conditional headers, RQL conditions, merge patches, model validation), persists each change through the
 * {@link TwinStore} and publishes it on the {@link TwinEventBus} once durable.
 *
 * <p>Concurrency: every modifying command runs on one engine thread against the <em>head</em> state, which may be
 * ahead of the store by the writes in flight; reads run on the caller's thread against the <em>committed</em> state,
 * which only ever holds what is durable. A command's future completes after its write is durable. If a write fails,
 * the head of the entities it touched is reset to the committed state, and later writes computed on top of it fail
 * their compare-and-set too; nothing unacknowledged becomes visible.
 */
public final class TwinEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TwinEngine.class);
    private static final Permissions READ = Permissions.newInstance("READ");
    private static final Permissions WRITE = Permissions.newInstance("WRITE");
    private static final Permissions READ_WRITE = Permissions.newInstance("READ", "WRITE");
    private static final JsonKey FEATURES = JsonKey.of("features");

    private final TwinStore store;
    private final TwinEventBus bus;
    private final ModelCheck modelCheck;
    private final Limits limits;
    private final ExecutorService engineThread;
    private volatile AuditHook audit = AuditHook.NONE;

    // head: engine thread only
    private final Map<ThingId, ThingState> headThings = new HashMap<>();
    private final Map<PolicyId, PolicyState> headPolicies = new HashMap<>();
    // committed: read from any thread
    private final ConcurrentHashMap<ThingId, ThingState> things = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PolicyId, PolicyState> policies = new ConcurrentHashMap<>();

    /** Ditto's default size limits. */
    public record Limits(long maxThingBytes, long maxPolicyBytes) {
        public static Limits dittoDefaults() {
            return new Limits(100 * 1024, 100 * 1024);
        }
    }

    private TwinEngine(TwinStore store, TwinEventBus bus, ModelCheck modelCheck, Limits limits) {
        this.store = store;
        this.bus = bus;
        this.modelCheck = modelCheck;
        this.limits = limits;
        this.engineThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "twin-engine");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads every thing and policy from the store and returns a ready engine; close it to stop its thread. */
    public static TwinEngine start(TwinStore store, TwinEventBus bus, ModelCheck modelCheck, Limits limits) {
        TwinEngine engine = new TwinEngine(store, bus, modelCheck, limits);
        engine.load();
        return engine;
    }

    private void load() {
        for (StoredEntity e : store.loadPolicies()) {
            PolicyId id = PolicyId.of(e.id());
            Policy policy = e.deleted() ? null : PoliciesModelFactory.newPolicy(JsonFactory.newObject(e.json()))
                    .toBuilder().setRevision(e.revision()).build();   // its ETag and If-(None-)Match need the revision
            PolicyState s = new PolicyState(id, policy, policy == null ? null : PolicyEnforcers.defaultEvaluator(policy),
                    e.revision(), e.created(), e.modified());
            policies.put(id, s);
            headPolicies.put(id, s);
        }
        for (StoredEntity e : store.loadThings()) {
            ThingId id = ThingId.of(e.id());
            Thing thing = e.deleted() ? null : withMeta(
                    ThingsModelFactory.newThing(JsonFactory.newObject(e.json())), e.revision(), e.created(), e.modified());
            ThingState s = new ThingState(id, thing, e.revision(), e.created(), e.modified());
            things.put(id, s);
            headThings.put(id, s);
        }
        LOG.info("Twin engine loaded {} things and {} policies", things.size(), policies.size());
    }

    // ------------------------------------------------------------------ reads (committed state, caller's thread)

    /** All existing things, committed state; for search. */
    public Collection<ThingState> committedThings() {
        return things.values();
    }

    public Optional<ThingState> committedThing(ThingId id) {
        return Optional.ofNullable(things.get(id)).filter(ThingState::exists);
    }

    /** The enforcer of a policy as committed; empty if the policy does not exist (then nobody may access). */
    public Optional<Enforcer> enforcer(PolicyId policyId) {
        if (policyId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(policies.get(policyId)).filter(PolicyState::exists).map(PolicyState::enforcer);
    }

    public Optional<PolicyState> committedPolicy(PolicyId id) {
        return Optional.ofNullable(policies.get(id)).filter(PolicyState::exists);
    }

    /** Who is told how each command ended (see {@link AuditHook}); nobody by default. */
    public void auditWith(AuditHook hook) {
        this.audit = hook == null ? AuditHook.NONE : hook;
    }

    /** Executes a thing command; the future fails with a {@link DittoRuntimeException} for every refusal. */
    public CompletableFuture<ThingResult> execute(ThingCommand command) {
        CompletableFuture<ThingResult> result = command.action() == ThingAction.RETRIEVE
                ? attempt(() -> CompletableFuture.completedFuture(retrieve(command)))
                : onEngine(() -> modify(command));
        AuditHook hook = audit;
        if (hook != AuditHook.NONE) {
            // writes complete on the store's thread once durable, in commit order
            result.whenComplete((r, e) -> hook.thingCommand(command, r, e == null ? null : unwrap(e)));
        }
        return result;
    }

    /** Executes a policy command. */
    public CompletableFuture<PolicyResult> execute(PolicyCommand command) {
        CompletableFuture<PolicyResult> result = command.action() == ThingAction.RETRIEVE
                ? attempt(() -> CompletableFuture.completedFuture(retrievePolicy(command)))
                : onEngine(() -> modifyPolicy(command));
        AuditHook hook = audit;
        if (hook != AuditHook.NONE) {
            result.whenComplete((r, e) -> hook.policyCommand(command, r, e == null ? null : unwrap(e)));
        }
        return result;
    }

    /**
     * Retrieves several things at once ({@code GET /things?ids=}); things that do not exist or that the requester may
     * not read are left out, as in Ditto.
     */
    public List<JsonObject> retrieveThings(List<ThingId> ids, JsonFieldSelector fields, AuthorizationContext auth) {
        List<JsonObject> result = new ArrayList<>();
        for (ThingId id : ids) {
            ThingState s = things.get(id);
            if (s == null || !s.exists()) {
                continue;
            }
            Optional<Enforcer> enforcer = enforcer(s.policyId());
            if (enforcer.isEmpty()
                    || !enforcer.get().hasPartialPermissions(PoliciesResourceType.thingResource("/"), auth, READ)) {
                continue;
            }
            result.add(viewOfThing(s.thing(), enforcer.get(), fields, auth));
        }
        return result;
    }

    /** The requester's view of a whole thing, with an optional field selector; also used by search. */
    public JsonObject viewOfThing(Thing thing, Enforcer enforcer, JsonFieldSelector fields, AuthorizationContext auth) {
        JsonObject json = fields == null ? ThingViews.regularJson(thing) : ThingViews.select(ThingViews.fullJson(thing), fields);
        JsonObject view = ThingViews.rootView(enforcer, json, auth);
        if (fields != null && fields.getPointers().stream().anyMatch(p -> p.toString().equals("/_policy"))) {
            Optional<PolicyState> policy = thing.getPolicyEntityId().flatMap(this::committedPolicy);
            if (policy.isPresent() && enforcer.hasPartialPermissions(PoliciesResourceType.policyResource("/"), auth, READ)) {
                JsonObject policyJson = policy.get().policy().toJson();
                view = view.setValue("_policy", policy.get().enforcer().buildJsonView(
                        PoliciesResourceType.policyResource("/"), policyJson, auth, READ));
            }
        }
        return view;
    }

    private ThingResult retrieve(ThingCommand c) {
        DittoHeaders h = c.headers();
        ThingPath path = ThingPath.of(c.path(), h);
        ThingState s = things.get(c.thingId());
        if (s == null || !s.exists()) {
            throw ThingNotAccessibleException.newBuilder(c.thingId()).dittoHeaders(h).build();
        }
        Enforcer enforcer = enforcer(s.policyId())
                .orElseThrow(() -> ThingNotAccessibleException.newBuilder(c.thingId()).dittoHeaders(h).build());
        AuthorizationContext auth = c.authorization();
        if (!enforcer.hasPartialPermissions(PoliciesResourceType.thingResource("/"), auth, READ)) {
            throw ThingNotAccessibleException.newBuilder(c.thingId()).dittoHeaders(h).build();
        }
        checkCondition(h, s, enforcer, auth);
        if (path.kind() == ThingPath.Kind.THING) {
            Optional<EntityTag> tag = EntityTag.fromEntity(s.thing());
            Preconditions.check(h, tag, true, false);
            JsonObject view = viewOfThing(s.thing(), enforcer, c.fields(), auth);
            return new ThingResult(HttpStatus.OK, c.thingId(), c.path(), Optional.of(view), s.revision(), tag);
        }
        if (!enforcer.hasPartialPermissions(PoliciesResourceType.thingResource(c.path()), auth, READ)) {
            // permission first, existence second (as Ditto's enforcement does), so a requester cannot probe for
            // parts of a thing it may not read
            throw path.notAccessible(c.thingId(), h);
        }
        JsonObject json = s.json();
        Optional<JsonValue> value = valueAt(json, path);
        if (value.isEmpty()) {
            Preconditions.check(h, Optional.empty(), true, false);
            throw missing(path, json, c.thingId(), h);
        }
        Optional<EntityTag> tag = EntityTag.fromEntity(value.get());
        Preconditions.check(h, tag, true, false);
        JsonValue selected = value.get();
        if (c.fields() != null && selected.isObject()) {
            selected = selected.asObject().get(c.fields());
        }
        JsonValue view = ThingViews.view(enforcer, c.path(), selected, auth)
                .orElseThrow(() -> path.notAccessible(c.thingId(), h));
        return new ThingResult(HttpStatus.OK, c.thingId(), c.path(), Optional.of(view), s.revision(), tag);
    }

    /** Ditto reports a resource inside a missing feature as the missing feature ({@code things:feature.notfound}). */
    private static DittoRuntimeException missing(ThingPath path, JsonObject thingJson, ThingId thingId, DittoHeaders h) {
        boolean featureMissing = path.isInsideFeature() && thingJson.getValue(path.featurePointer()).isEmpty();
        return featureMissing
                ? ThingPath.of(path.featurePointer(), h).notAccessible(thingId, h)
                : path.notAccessible(thingId, h);
    }

    private static Optional<JsonValue> valueAt(JsonObject thingJson, ThingPath path) {
        if (path.kind() == ThingPath.Kind.THING) {
            return Optional.of(thingJson);
        }
        if (path.isInsideFeature() && thingJson.getValue(path.featurePointer()).isEmpty()) {
            return Optional.empty();
        }
        return thingJson.getValue(path.pointer());
    }

    // ------------------------------------------------------------------ writes (engine thread)

    private CompletableFuture<ThingResult> modify(ThingCommand c) {
        DittoHeaders h = c.headers();
        ThingPath path = ThingPath.of(c.path(), h);
        ThingState head = headThings.get(c.thingId());
        boolean exists = head != null && head.exists();
        if (path.kind() == ThingPath.Kind.THING && !exists
                && (c.action() == ThingAction.MODIFY || c.action() == ThingAction.CREATE)) {
            return create(c, head);
        }
        if (path.kind() == ThingPath.Kind.THING && c.action() == ThingAction.CREATE) {
            throw ThingConflictException.newBuilder(c.thingId()).dittoHeaders(h).build();
        }
        if (!exists) {
            throw ThingNotAccessibleException.newBuilder(c.thingId()).dittoHeaders(h).build();
        }
        Enforcer enforcer = headEnforcer(head.policyId())
                .orElseThrow(() -> ThingNotAccessibleException.newBuilder(c.thingId()).dittoHeaders(h).build());
        AuthorizationContext auth = c.authorization();
        authorizeWrite(c, path, enforcer);
        checkCondition(h, head, enforcer, auth);

        JsonObject current = head.json();
        Optional<JsonValue> before = valueAt(current, path);
        Optional<EntityTag> tagBefore = path.kind() == ThingPath.Kind.THING
                ? EntityTag.fromEntity(head.thing()) : before.flatMap(EntityTag::fromEntity);
        Preconditions.check(h, tagBefore, false, false);

        JsonObject next;
        HttpStatus status;
        String eventAction;
        Optional<JsonValue> eventValue;
        switch (c.action()) {
            case MODIFY -> {
                JsonValue value = requireValue(c);
                if (path.isInsideFeature() && current.getValue(path.featurePointer()).isEmpty()) {
                    throw missing(path, current, c.thingId(), h);
                }
                if (path.kind() == ThingPath.Kind.THING) {
                    next = replacementThing(c, head.thing(), value);
                } else if (path.kind() == ThingPath.Kind.THING_ID) {
                    throw ThingIdNotExplicitlySettableException.forPutOrPatchMethod().dittoHeaders(h).build();
                } else {
                    next = current.setValue(c.path(), value);
                }
                status = before.isPresent() ? HttpStatus.NO_CONTENT : HttpStatus.CREATED;
                eventAction = before.isPresent() ? "modified" : "created";
                eventValue = Optional.of(path.kind() == ThingPath.Kind.THING ? next : value);
            }
            case MERGE -> {
                JsonValue patch = requireValue(c);
                if (path.kind() == ThingPath.Kind.THING && !patch.isObject()) {
                    throw ThingMergeInvalidException.newBuilder()
                            .message("A merge patch for a whole thing must be a JSON object.")
                            .dittoHeaders(h).build();
                }
                if (path.isInsideFeature() && current.getValue(path.featurePointer()).isEmpty()
                        && !patch.isNull()) {
                    // merging into a missing feature creates it, as a merge patch would
                    current = current.setValue(path.featurePointer(), JsonFactory.newObject());
                }
                JsonValue base = before.orElse(JsonFactory.nullLiteral());
                JsonValue merged = JsonMergePatch.of(patch).applyOn(base);
                if (path.kind() == ThingPath.Kind.THING) {
                    JsonObject mergedThing = merged.asObject();
                    if (!mergedThing.getValue("thingId").map(JsonValue::asString).orElse(c.thingId().toString())
                            .equals(c.thingId().toString())) {
                        throw ThingIdNotExplicitlySettableException.forPutOrPatchMethod().dittoHeaders(h).build();
                    }
                    next = mergedThing.setValue("thingId", c.thingId().toString());
                } else if (merged.isNull()) {
                    next = current.remove(c.path());
                } else {
                    next = current.setValue(c.path(), merged);
                }
                status = HttpStatus.NO_CONTENT;
                eventAction = "merged";
                eventValue = Optional.of(patch);
            }
            case DELETE -> {
                if (before.isEmpty()) {
                    throw missing(path, current, c.thingId(), h);
                }
                if (path.kind() == ThingPath.Kind.THING) {
                    return deleteThing(c, head);
                }
                if (path.kind() == ThingPath.Kind.THING_ID || path.kind() == ThingPath.Kind.POLICY_ID) {
                    throw ThingIdNotExplicitlySettableException.forPutOrPatchMethod()
                            .message("The " + path.pointer() + " of a thing cannot be deleted.")
                            .dittoHeaders(h).build();
                }
                next = current.remove(c.path());
                status = HttpStatus.NO_CONTENT;
                eventAction = "deleted";
                eventValue = Optional.empty();
            }
            default -> throw new IllegalStateException("unexpected " + c.action());
        }
        Thing nextThing = parseChanged(head.thing(), current, next, h);
        PolicyId nextPolicyId = nextThing.getPolicyEntityId().orElse(null);
        if (nextPolicyId == null) {
            throw PolicyIdNotAllowedException.newBuilder(c.thingId())
                    .message("A thing must keep a policyId.").dittoHeaders(h).build();
        }
        if (!nextPolicyId.equals(head.policyId())) {
            // moving a thing to another policy needs WRITE on the thing under the new policy too
            Enforcer newEnforcer = headEnforcer(nextPolicyId).orElseThrow(() ->
                    ThingNotCreatableException.newBuilderForPolicyMissing(c.thingId(), nextPolicyId)
                            .dittoHeaders(h).build());
            if (!newEnforcer.hasUnrestrictedPermissions(PoliciesResourceType.thingResource("/"), auth, WRITE)) {
                throw path.notModifiable(c.thingId(), h);
            }
        }
        checkSizeAndModel(nextThing, next, h);
        Optional<EntityTag> tagAfter = path.kind() == ThingPath.Kind.THING ? Optional.empty()
                : valueAt(next, path).flatMap(EntityTag::fromEntity);
        Optional<JsonValue> responseValue = status == HttpStatus.CREATED ? eventValue : Optional.empty();
        return persistThing(c, head, nextThing, head.created(), eventAction, c.path(), eventValue, status,
                responseValue, tagAfter, List.of(), headEnforcer(nextPolicyId).orElse(enforcer));
    }

    private void authorizeWrite(ThingCommand c, ThingPath path, Enforcer enforcer) {
        DittoHeaders h = c.headers();
        AuthorizationContext auth = c.authorization();
        var resource = PoliciesResourceType.thingResource(c.path());
        boolean allowed = enforcer.hasUnrestrictedPermissions(resource, auth, WRITE);
        if (!allowed && c.action() == ThingAction.MERGE && c.value() != null
                && enforcer.hasPartialPermissions(resource, auth, WRITE)) {
            allowed = mergeLeaves(c.path(), c.value()).stream()
                    .allMatch(leaf -> enforcer.hasUnrestrictedPermissions(PoliciesResourceType.thingResource(leaf),
                            auth, WRITE));
        }
        if (!allowed) {
            boolean mayRead = enforcer.hasPartialPermissions(PoliciesResourceType.thingResource("/"), auth, READ);
            // a requester who cannot see the thing at all is not told that it exists
            throw mayRead ? path.notModifiable(c.thingId(), h)
                    : ThingNotAccessibleException.newBuilder(c.thingId()).dittoHeaders(h).build();
        }
    }

    private static List<JsonPointer> mergeLeaves(JsonPointer base, JsonValue patch) {
        List<JsonPointer> leaves = new ArrayList<>();
        if (patch.isObject() && !patch.asObject().isEmpty()) {
            patch.asObject().forEach(f -> leaves.addAll(mergeLeaves(base.append(JsonPointer.of(f.getKey())), f.getValue())));
        } else {
            leaves.add(base);
        }
        return leaves;
    }

    private CompletableFuture<ThingResult> create(ThingCommand c, ThingState tombstone) {
        DittoHeaders h = c.headers();
        JsonValue value = requireValue(c);
        if (!value.isObject()) {
            throw invalidJson("A thing must be a JSON object.", h);
        }
        JsonObject body = value.asObject();
        String idInBody = body.getValue("thingId").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
        if (idInBody != null && !idInBody.equals(c.thingId().toString())) {
            throw ThingIdNotExplicitlySettableException.forPostMethod().dittoHeaders(h).build();
        }
        AuthorizationContext auth = c.authorization();
        Optional<JsonObject> inlinePolicy = body.getValue("_policy").filter(JsonValue::isObject).map(JsonValue::asObject);
        Optional<PolicyId> givenPolicyId = body.getValue("policyId").filter(JsonValue::isString)
                .map(v -> PolicyId.of(v.asString()));
        List<EntityWrite> policyWrites = new ArrayList<>();
        PolicyId policyId;
        Enforcer enforcer;
        if (inlinePolicy.isPresent() || givenPolicyId.isEmpty()) {
            policyId = givenPolicyId.orElseGet(() -> PolicyId.of(c.thingId()));
            PolicyState existing = headPolicies.get(policyId);
            if (existing != null && existing.exists()) {
                throw ThingNotCreatableException.newBuilderForPolicyExisting(c.thingId(), policyId)
                        .dittoHeaders(h).build();
            }
            JsonObject policyJson = inlinePolicy.map(p -> p.setValue("policyId", policyId.toString()))
                    .orElseGet(() -> DefaultPolicies.forCreator(policyId, auth));
            Policy policy = parsePolicy(policyJson, h);
            enforcer = PolicyEnforcers.defaultEvaluator(policy);
            Instant now = Instant.now();
            long revision = existing == null ? 1 : existing.revision() + 1;
            PolicyState state = new PolicyState(policyId, policy.toBuilder().setRevision(revision).build(), enforcer,
                    revision, now, now);
            policyWrites.add(new EntityWrite(new StoredEntity(policyId.toString(), revision, false,
                    policy.toJson().toString(), now, now), existing == null ? 0 : existing.revision()));
            headPolicies.put(policyId, state);
        } else {
            policyId = givenPolicyId.get();
            enforcer = headEnforcer(policyId).orElseThrow(() ->
                    ThingNotCreatableException.newBuilderForPolicyMissing(c.thingId(), policyId).dittoHeaders(h).build());
        }
        if (!enforcer.hasUnrestrictedPermissions(PoliciesResourceType.thingResource("/"), auth, WRITE)) {
            policyWrites.forEach(w -> rollbackPolicy(PolicyId.of(w.entity().id())));
            throw ThingNotCreatableException.newBuilderForPolicyMissing(c.thingId(), policyId)
                    .message("The thing '" + c.thingId() + "' could not be created: the policy '" + policyId
                            + "' does not grant the requester WRITE on thing:/.")
                    .dittoHeaders(h).build();
        }
        JsonObject json = body.remove("_policy").remove("_copyPolicyFrom")
                .setValue("thingId", c.thingId().toString())
                .setValue("policyId", policyId.toString());
        Thing thing;
        try {
            thing = parseThing(json, h);
            checkSizeAndModel(thing, json, h);
        } catch (RuntimeException e) {
            policyWrites.forEach(w -> rollbackPolicy(PolicyId.of(w.entity().id())));
            throw e;
        }
        Instant now = Instant.now();
        Optional<JsonValue> created = Optional.of(ThingViews.regularJson(thing));
        return persistThing(c, tombstone, thing, now, "created", JsonPointer.empty(), created, HttpStatus.CREATED,
                created, Optional.empty(), policyWrites, enforcer);
    }

    private JsonValue requireValue(ThingCommand c) {
        if (c.value() == null) {
            throw invalidJson("The request has no JSON body; send the new value as JSON.", c.headers());
        }
        return c.value();
    }

    private JsonObject replacementThing(ThingCommand c, Thing current, JsonValue value) {
        DittoHeaders h = c.headers();
        if (!value.isObject()) {
            throw invalidJson("A thing must be a JSON object.", h);
        }
        JsonObject body = value.asObject();
        String idInBody = body.getValue("thingId").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
        if (idInBody != null && !idInBody.equals(c.thingId().toString())) {
            throw ThingIdNotExplicitlySettableException.forPutOrPatchMethod().dittoHeaders(h).build();
        }
        if (body.contains("_policy")) {
            throw PolicyIdNotAllowedException.newBuilder(c.thingId())
                    .message("An inline _policy is only allowed when a thing is created.")
                    .description("Change the policy through /api/2/policies/{policyId} instead.")
                    .dittoHeaders(h).build();
        }
        JsonObject next = body.setValue("thingId", c.thingId().toString());
        if (!next.contains("policyId")) {
            next = next.setValue("policyId", current.getPolicyEntityId().map(PolicyId::toString).orElse(c.thingId().toString()));
        }
        return next;
    }

    private CompletableFuture<ThingResult> deleteThing(ThingCommand c, ThingState head) {
        Enforcer enforcer = headEnforcer(head.policyId()).orElseThrow();
        Instant now = Instant.now();
        long revision = head.revision() + 1;
        ThingState tombstone = new ThingState(c.thingId(), null, revision, head.created(), now);
        ThingEvent event = ThingEvent.governedBy(enforcer, c.thingId(), "deleted", JsonPointer.empty(),
                Optional.empty(), revision, now, eventHeaders(c.headers()), Optional.empty());
        StoredEntity stored = new StoredEntity(c.thingId().toString(), revision, true, null, head.created(), now);
        WriteSet ws = WriteSet.of(List.of(), List.of(new EntityWrite(stored, storeRevision(head))),
                List.of(eventRecord(event)));
        headThings.put(c.thingId(), tombstone);
        ThingResult result = new ThingResult(HttpStatus.NO_CONTENT, c.thingId(), c.path(), Optional.empty(), revision,
                Optional.empty());
        return commit(ws, () -> {
            things.put(c.thingId(), tombstone);
            bus.publish(event);
        }, () -> rollbackThing(c.thingId()), result);
    }

    private Thing parseThing(JsonObject json, DittoHeaders h) {
        try {
            return ThingsModelFactory.newThing(json);
        } catch (DittoRuntimeException e) {
            throw e.setDittoHeaders(h);
        } catch (JsonRuntimeException | IllegalArgumentException | NullPointerException e) {
            throw invalidJson("The resulting thing is not valid: " + e.getMessage(), h);
        }
    }

    /**
     * The thing for {@code next}, which a write derived from {@code current}, the JSON of {@code head}. Most writes
     * change a few features only (telemetry): then only those features are parsed, by the same parser as a whole
     * thing's, and everything else is kept from {@code head}, which holds exactly those values already parsed. Any
     * other change parses the whole thing.
     */
    private Thing parseChanged(Thing head, JsonObject current, JsonObject next, DittoHeaders h) {
        JsonObject changed = changedFeatures(current, next);
        if (changed == null || head.getFeatures().isEmpty()) {
            return parseThing(next, h);
        }
        try {
            Features parsed = ThingsModelFactory.newFeatures(changed);
            Features kept = head.getFeatures().get();
            List<Feature> features = new ArrayList<>();
            for (JsonField field : next.getValue(FEATURES).orElseThrow().asObject()) {
                Features from = changed.contains(field.getKey()) ? parsed : kept;
                features.add(from.getFeature(field.getKeyName()).orElseThrow());
            }
            return head.setFeatures(ThingsModelFactory.newFeatures(features));
        } catch (DittoRuntimeException e) {
            throw e.setDittoHeaders(h);
        } catch (JsonRuntimeException | IllegalArgumentException | NullPointerException e) {
            throw invalidJson("The resulting thing is not valid: " + e.getMessage(), h);
        }
    }

    /**
     * The features of {@code next} whose values are not the very values of {@code current} (a write replaces what it
     * changes and keeps the rest), or null if anything but features differs (besides values set again, such as the
     * thing id) or the features are not a plain object.
     */
    private static JsonObject changedFeatures(JsonObject current, JsonObject next) {
        if (current.getSize() != next.getSize()) {
            return null;
        }
        JsonObject currentFeatures = null;
        JsonObject nextFeatures = null;
        // the parsed thing does not depend on the order of the top-level fields (a merge puts the patched ones first)
        for (JsonField after : next) {
            JsonValue was = current.getValue(after.getKey()).orElse(null);
            if (was == null) {
                return null;
            }
            if (FEATURES.equals(after.getKey())) {
                boolean plainObjects = was.isObject() && !was.isNull()
                        && after.getValue().isObject() && !after.getValue().isNull();
                if (!plainObjects) {
                    return null;
                }
                currentFeatures = was.asObject();
                nextFeatures = after.getValue().asObject();
            } else if (was != after.getValue() && !was.equals(after.getValue())) {
                return null;
            }
        }
        if (nextFeatures == null) {
            return null;
        }
        JsonObjectBuilder changed = JsonFactory.newObjectBuilder();
        for (JsonField feature : nextFeatures) {
            if (currentFeatures.getValue(feature.getKey()).orElse(null) != feature.getValue()) {
                changed.set(feature);
            }
        }
        return changed.build();
    }

    private Policy parsePolicy(JsonObject json, DittoHeaders h) {
        try {
            return PoliciesModelFactory.newPolicy(json);
        } catch (DittoRuntimeException e) {
            throw e.setDittoHeaders(h);
        } catch (JsonRuntimeException | IllegalArgumentException | NullPointerException e) {
            throw invalidJson("The policy is not valid: " + e.getMessage(), h);
        }
    }

    private static DittoRuntimeException invalidJson(String message, DittoHeaders h) {
        return JsonInvalidException.of(message, h);
    }

    private void checkSizeAndModel(Thing thing, JsonObject json, DittoHeaders h) {
        long size = json.toString().length();
        if (size > limits.maxThingBytes()) {
            throw ThingTooLargeException.newBuilder(size, limits.maxThingBytes()).dittoHeaders(h).build();
        }
        List<String> violations = modelCheck.violations(thing);
        if (!violations.isEmpty()) {
            String definition = thing.getDefinition().map(Object::toString).orElse("?");
            throw ModelViolationException.of(definition, violations, h);
        }
    }

    private CompletableFuture<ThingResult> persistThing(ThingCommand c, ThingState head, Thing next, Instant created,
            String eventAction, JsonPointer eventPath, Optional<JsonValue> eventValue, HttpStatus status,
            Optional<JsonValue> responseValue, Optional<EntityTag> tag, List<EntityWrite> policyWrites,
            Enforcer enforcer) {
        Instant now = Instant.now();
        long revision = head == null ? 1 : head.revision() + 1;
        Instant createdAt = created == null ? now : created;
        Thing stamped = withMeta(next, revision, createdAt, now);
        // the same JSON as next's: the regular render leaves out revision and timestamps (stored beside it)
        JsonObject stampedJson = ThingViews.regularJson(stamped);
        ThingState state = new ThingState(c.thingId(), stamped, stampedJson, revision, createdAt, now);
        Optional<EntityTag> resultTag = tag.isPresent() ? tag : EntityTag.fromEntity(stamped);
        ThingEvent event = ThingEvent.governedBy(enforcer, c.thingId(), eventAction, eventPath, eventValue, revision,
                now, eventHeaders(c.headers()), Optional.of(stamped));
        StoredEntity stored = new StoredEntity(c.thingId().toString(), revision, false, stampedJson.toString(),
                createdAt, now);
        WriteSet ws = WriteSet.of(policyWrites, List.of(new EntityWrite(stored, storeRevision(head))),
                List.of(eventRecord(event)));
        headThings.put(c.thingId(), state);
        Optional<JsonValue> visibleResponse = responseValue.flatMap(v -> eventPath.isEmpty() && v.isObject()
                ? Optional.of(ThingViews.rootView(enforcer, v.asObject(), c.authorization()))
                : ThingViews.view(enforcer, eventPath, v, c.authorization()));
        ThingResult result = new ThingResult(status, c.thingId(), c.path(), visibleResponse, revision, resultTag);
        List<PolicyState> newPolicies = policyWrites.stream().map(w -> headPolicies.get(PolicyId.of(w.entity().id())))
                .toList();
        return commit(ws, () -> {
            newPolicies.forEach(p -> policies.put(p.id(), p));
            things.put(c.thingId(), state);
            bus.publish(event);
        }, () -> {
            newPolicies.forEach(p -> rollbackPolicy(p.id()));
            rollbackThing(c.thingId());
        }, result);
    }

    /** Persists, then makes the change visible and published (on the store's thread, in order). */
    private <T> CompletableFuture<T> commit(WriteSet ws, Runnable onDurable, Runnable onFailure, T result) {
        return store.write(ws).handle((ok, error) -> {
            if (error == null) {
                onDurable.run();
                return result;
            }
            engineThread.execute(onFailure);
            Throwable cause = unwrap(error);
            LOG.warn("A twin write was not persisted: {}", cause.toString());
            throw GatewayServiceUnavailableException.newBuilder()
                    .message("The change could not be persisted and was not applied: " + cause.getMessage())
                    .description("Retry the request; if it keeps failing, check the twin server's MongoDB.")
                    .build();
        });
    }

    private void rollbackThing(ThingId id) {
        ThingState committed = things.get(id);
        if (committed == null) headThings.remove(id); else headThings.put(id, committed);
    }

    private void rollbackPolicy(PolicyId id) {
        PolicyState committed = policies.get(id);
        if (committed == null) headPolicies.remove(id); else headPolicies.put(id, committed);
    }

    private static long storeRevision(ThingState head) {
        return head == null ? 0 : head.revision();
    }

    private static EventRecord eventRecord(ThingEvent event) {
        return new EventRecord(event.thingId().toString(), event.revision(), event.timestamp(),
                event.toProtocolJson(event.headers(), null).toString());
    }

    /** Headers an event carries to its subscribers: the requester's correlation id and requested acknowledgements. */
    private static DittoHeaders eventHeaders(DittoHeaders commandHeaders) {
        var b = DittoHeaders.newBuilder();
        commandHeaders.getCorrelationId().ifPresent(b::correlationId);
        if (!commandHeaders.getAcknowledgementRequests().isEmpty()) {
            b.acknowledgementRequests(commandHeaders.getAcknowledgementRequests());
        }
        return b.build();
    }

    private Optional<Enforcer> headEnforcer(PolicyId id) {
        return Optional.ofNullable(id == null ? null : headPolicies.get(id)).filter(PolicyState::exists)
                .map(PolicyState::enforcer);
    }

    /**
     * Ditto's {@code condition} header: an RQL filter the thing must match, else 412. The requester needs READ on
     * every field the condition names.
     */
    private static void checkCondition(DittoHeaders h, ThingState state, Enforcer enforcer,
            AuthorizationContext auth) {
        Optional<String> condition = h.getCondition();
        if (condition.isEmpty()) {
            return;
        }
        ParsedCondition parsed = ParsedCondition.of(condition.get(), h);
        for (String field : parsed.fieldNames()) {
            if (!enforcer.hasUnrestrictedPermissions(PoliciesResourceType.thingResource(field), auth, READ)) {
                throw ThingConditionFailedException.newBuilderForInsufficientPermission(h).build();
            }
        }
        // a condition on regular fields reads the JSON this revision keeps anyway instead of rendering the thing
        Thing thing = parsed.readsHiddenFields() || state.json() == null ? JsonOnceThing.of(state.thing())
                : JsonOnceThing.of(state.thing(), state.json());
        if (!parsed.predicate().test(thing)) {
            throw ThingConditionFailedException.newBuilder(h).build();
        }
    }

    // ------------------------------------------------------------------ policies

    private PolicyResult retrievePolicy(PolicyCommand c) {
        DittoHeaders h = c.headers();
        PolicyState s = policies.get(c.policyId());
        if (s == null || !s.exists()) {
            throw c.path().notAccessible(c.policyId(), h);
        }
        PolicyPath path = c.path();
        var resource = PoliciesResourceType.policyResource(path.resourcePath());
        if (!s.enforcer().hasPartialPermissions(PoliciesResourceType.policyResource("/"), c.authorization(), READ)) {
            throw PolicyPath.ROOT.notAccessible(c.policyId(), h);
        }
        JsonObject json = s.policy().toJson();
        Optional<JsonValue> value = path.kind() == PolicyPath.Kind.POLICY ? Optional.of(json) : json.getValue(path.pointer());
        Optional<EntityTag> tag = path.kind() == PolicyPath.Kind.POLICY ? EntityTag.fromEntity(s.policy())
                : value.flatMap(EntityTag::fromEntity);
        Preconditions.check(h, tag, true, true);
        if (value.isEmpty()) {
            throw path.notAccessible(c.policyId(), h);
        }
        JsonValue view;
        if (value.get().isObject()) {
            if (!s.enforcer().hasPartialPermissions(resource, c.authorization(), READ)) {
                throw path.notAccessible(c.policyId(), h);
            }
            view = s.enforcer().buildJsonView(resource, value.get().asObject(), c.authorization(), READ);
            if (path.kind() == PolicyPath.Kind.POLICY) {
                view = view.asObject().setValue("policyId", c.policyId().toString());
            }
        } else if (s.enforcer().hasUnrestrictedPermissions(resource, c.authorization(), READ)) {
            view = value.get();
        } else {
            throw path.notAccessible(c.policyId(), h);
        }
        return new PolicyResult(HttpStatus.OK, c.policyId(), path, Optional.of(view), s.revision(), tag);
    }

    private CompletableFuture<PolicyResult> modifyPolicy(PolicyCommand c) {
        DittoHeaders h = c.headers();
        PolicyPath path = c.path();
        PolicyState head = headPolicies.get(c.policyId());
        boolean exists = head != null && head.exists();
        AuthorizationContext auth = c.authorization();
        Instant now = Instant.now();
        if (!exists) {
            if (path.kind() != PolicyPath.Kind.POLICY || c.action() == ThingAction.DELETE) {
                throw path.notAccessible(c.policyId(), h);
            }
            JsonObject body = requirePolicyObject(c);
            checkPolicyIdInBody(c, body);
            Policy policy = parsePolicy(body.setValue("policyId", c.policyId().toString()), h);
            return persistPolicy(c, head, policy, now, HttpStatus.CREATED, auth, true);
        }
        if (c.action() == ThingAction.CREATE) {
            throw PolicyConflictException.newBuilder(c.policyId()).dittoHeaders(h).build();
        }
        var resource = PoliciesResourceType.policyResource(path.resourcePath());
        if (!head.enforcer().hasUnrestrictedPermissions(resource, auth, WRITE)) {
            boolean mayRead = head.enforcer().hasPartialPermissions(PoliciesResourceType.policyResource("/"), auth, READ);
            throw mayRead ? path.notModifiable(c.policyId(), h) : PolicyPath.ROOT.notAccessible(c.policyId(), h);
        }
        JsonObject current = head.policy().toJson();
        Optional<JsonValue> before = path.kind() == PolicyPath.Kind.POLICY ? Optional.of(current)
                : current.getValue(path.pointer());
        Optional<EntityTag> tagBefore = path.kind() == PolicyPath.Kind.POLICY ? EntityTag.fromEntity(head.policy())
                : before.flatMap(EntityTag::fromEntity);
        Preconditions.check(h, tagBefore, false, true);
        if (c.action() == ThingAction.DELETE) {
            if (path.kind() == PolicyPath.Kind.POLICY) {
                long revision = head.revision() + 1;
                PolicyState tombstone = new PolicyState(c.policyId(), null, null, revision, head.created(), now);
                StoredEntity stored = new StoredEntity(c.policyId().toString(), revision, true, null, head.created(), now);
                headPolicies.put(c.policyId(), tombstone);
                PolicyResult result = new PolicyResult(HttpStatus.NO_CONTENT, c.policyId(), path, Optional.empty(),
                        revision, Optional.empty());
                return commit(WriteSet.of(List.of(new EntityWrite(stored, head.revision())), List.of(), List.of()),
                        () -> policies.put(c.policyId(), tombstone), () -> rollbackPolicy(c.policyId()), result);
            }
            if (before.isEmpty()) {
                throw path.notAccessible(c.policyId(), h);
            }
            Policy next = parsePolicy(current.remove(path.pointer()), h);
            return persistPolicy(c, head, next, now, HttpStatus.NO_CONTENT, auth, false);
        }
        JsonValue value = c.value();
        if (value == null) {
            throw invalidJson("The request has no JSON body; send the new value as JSON.", h);
        }
        JsonObject next;
        if (path.kind() == PolicyPath.Kind.POLICY) {
            JsonObject body = requirePolicyObject(c);
            checkPolicyIdInBody(c, body);
            next = body.setValue("policyId", c.policyId().toString());
        } else if (path.kind() == PolicyPath.Kind.POLICY_ID) {
            throw PolicyIdNotExplicitlySettableException.newBuilder().dittoHeaders(h).build();
        } else {
            boolean entryMissing = path.label() != null && path.kind() != PolicyPath.Kind.ENTRY
                    && current.getValue(org.eclipse.ditto.json.JsonFactory.newPointer(
                    org.eclipse.ditto.json.JsonKey.of("entries"), org.eclipse.ditto.json.JsonKey.of(path.label()))).isEmpty();
            if (entryMissing) {
                throw PolicyPath.parse("/entries/" + path.label(), h).notAccessible(c.policyId(), h);
            }
            next = current.setValue(path.pointer(), value);
        }
        Policy policy = parsePolicy(next, h);
        HttpStatus status = before.isPresent() ? HttpStatus.NO_CONTENT : HttpStatus.CREATED;
        return persistPolicy(c, head, policy, now, status, auth, false);
    }

    private JsonObject requirePolicyObject(PolicyCommand c) {
        if (c.value() == null || !c.value().isObject()) {
            throw invalidJson("A policy must be a JSON object with 'entries'.", c.headers());
        }
        return c.value().asObject();
    }

    private static void checkPolicyIdInBody(PolicyCommand c, JsonObject body) {
        String idInBody = body.getValue("policyId").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
        if (idInBody != null && !idInBody.equals(c.policyId().toString())) {
            throw PolicyIdNotExplicitlySettableException.newBuilder().dittoHeaders(c.headers()).build();
        }
    }

    private CompletableFuture<PolicyResult> persistPolicy(PolicyCommand c, PolicyState head, Policy policy,
            Instant now, HttpStatus status, AuthorizationContext auth, boolean created) {
        DittoHeaders h = c.headers();
        long size = policy.toJson().toString().length();
        if (size > limits.maxPolicyBytes()) {
            throw PolicyTooLargeException.newBuilder(size, limits.maxPolicyBytes()).dittoHeaders(h).build();
        }
        Enforcer enforcer = PolicyEnforcers.defaultEvaluator(policy);
        boolean allowLockout = Boolean.parseBoolean(h.getOrDefault("allow-policy-lockout", "false"));
        if (!allowLockout && !enforcer.hasUnrestrictedPermissions(PoliciesResourceType.policyResource("/"), auth, WRITE)) {
            throw PolicyModificationInvalidException.newBuilder(c.policyId())
                    .message("The policy '" + c.policyId() + "' would no longer grant the requester WRITE on policy:/.")
                    .description("Keep an entry that grants you WRITE on 'policy:/' (Ditto's lock-out protection), "
                            + "or send the header allow-policy-lockout: true.")
                    .dittoHeaders(h).build();
        }
        long revision = head == null ? 1 : head.revision() + 1;
        Instant createdAt = head == null || !head.exists() || head.created() == null ? now : head.created();
        Policy stamped = policy.toBuilder().setRevision(revision).build();
        PolicyState state = new PolicyState(c.policyId(), stamped, enforcer, revision, createdAt, now);
        StoredEntity stored = new StoredEntity(c.policyId().toString(), revision, false, policy.toJson().toString(),
                createdAt, now);
        headPolicies.put(c.policyId(), state);
        Optional<JsonValue> body = status == HttpStatus.CREATED
                ? (c.path().kind() == PolicyPath.Kind.POLICY ? Optional.of(policy.toJson()) : Optional.ofNullable(c.value()))
                : Optional.empty();
        PolicyResult result = new PolicyResult(status, c.policyId(), c.path(), body, revision,
                EntityTag.fromEntity(stamped));
        return commit(WriteSet.of(List.of(new EntityWrite(stored, head == null ? 0 : head.revision())), List.of(),
                List.of()), () -> policies.put(c.policyId(), state), () -> rollbackPolicy(c.policyId()), result);
    }

    private static Thing withMeta(Thing thing, long revision, Instant created, Instant modified) {
        var b = thing.toBuilder().setRevision(revision);
        if (created != null) b.setCreated(created);
        if (modified != null) b.setModified(modified);
        return b.build();
    }

    private <T> CompletableFuture<T> onEngine(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            engineThread.execute(() -> {
                try {
                    work.get().whenComplete((v, e) -> {
                        if (e != null) result.completeExceptionally(unwrap(e)); else result.complete(v);
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(toDitto(e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(GatewayServiceUnavailableException.newBuilder()
                    .message("The twin server is shutting down.").build());
        }
        return result;
    }

    private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(toDitto(e));
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    static RuntimeException toDitto(RuntimeException e) {
        if (e instanceof DittoRuntimeException) {
            return e;
        }
        if (e instanceof JsonRuntimeException jre) {
            return new DittoJsonException(jre);
        }
        LOG.error("Unexpected error in the twin engine", e);
        return GatewayInternalErrorException.newBuilder().message("Internal error: " + e).build();
    }

    @Override
    public void close() {
        engineThread.shutdown();
        try {
            engineThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
