package io.plantmesh.twin.model.workorder;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.json.TwinJson;
import io.plantmesh.twin.model.json.TwinJson.Node;

/**
 * Typed view of a work order twin (definition {@code io.plantmesh:work-order:1.0.0}). Round-trips every value it
 * models. Status changes go through {@link WorkOrderStatus}'s state machine.
 *
 * @param material material number of the product
 * @param quantity target quantity in pieces
 * @param priority 1 (most urgent) .. 9
 * @param operation the routing operation the line runs, e.g. {@code 10}; {@link #DEFAULT_OPERATION} if not given
 * @param requiredCapability what a machine must be able to do to run the order (see
 * {@link io.plantmesh.twin.model.machine.MachineTwin#canRun}); null: any machine of the line
 */
public record WorkOrderTwin(ThingId id, String material, double quantity, Instant dueDate, ThingId line, int priority,
        String operation, String requiredCapability, List<BomItem> billOfMaterials, StatusEntry status, Progress progress, ErpPostings erp,
        OrderCost cost) {

    public static final String STATUS = "status";
    public static final String PROGRESS = "progress";
    public static final String ERP = "erp";
    public static final String COST = "cost";

    /** Priority given by {@link #initial} when the ERP sends none. */
    public static final int DEFAULT_PRIORITY = 5;
    /** Operation sent to the machine when the order names none. */
    public static final String DEFAULT_OPERATION = "10";

    public WorkOrderTwin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(material, "material");
        Objects.requireNonNull(dueDate, "dueDate");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(status, "status");
        final boolean validPriority = priority >= 1 && priority <= 9;
        if (!validPriority) {
            throw new IllegalArgumentException("priority " + priority + " must be in 1..9");
        }
        operation = operation == null || operation.isBlank() ? DEFAULT_OPERATION : operation;
        billOfMaterials = billOfMaterials == null ? List.of() : List.copyOf(billOfMaterials);
        progress = progress == null ? Progress.NONE : progress;
        erp = erp == null ? ErpPostings.NONE : erp;
    }

    /** A work order without a cost feature. */
    public WorkOrderTwin(final ThingId id, final String material, final double quantity, final Instant dueDate,
            final ThingId line, final int priority, final String operation, final String requiredCapability,
            final List<BomItem> billOfMaterials, final StatusEntry status, final Progress progress,
            final ErpPostings erp) {
        this(id, material, quantity, dueDate, line, priority, operation, requiredCapability, billOfMaterials, status,
                progress, erp, null);
    }

    /**
     * A freshly released work order: RELEASED at {@code releasedAt}, no machine, no progress, nothing posted.
     *
     * @throws io.plantmesh.twin.model.InvalidPlantThingIdException if {@code id} is not a work order id or
     * {@code line} not a line id
     */
    public static WorkOrderTwin initial(final ThingId id, final String material, final double quantity,
            final Instant dueDate, final ThingId line, final int priority, final List<BomItem> billOfMaterials,
            final Instant releasedAt) {
        PlantThingIds.parse(id, TwinKind.WORK_ORDER);
        PlantThingIds.parse(line, TwinKind.LINE);
        final StatusEntry released = StatusEntry.of(WorkOrderStatus.RELEASED, null, null,
                Map.of(WorkOrderStatus.RELEASED, releasedAt));
        return new WorkOrderTwin(id, material, quantity, dueDate, line, priority, DEFAULT_OPERATION, null,
                billOfMaterials, released,
                Progress.NONE, ErpPostings.NONE);
    }

    /** Reads a work order twin. @throws io.plantmesh.twin.model.TwinFormatException naming the offending path */
    public static WorkOrderTwin fromThing(final Thing thing) {
        final ThingId id = TwinJson.requireKind(thing, TwinKind.WORK_ORDER);
        final Node attributes = TwinJson.attributes(thing);
        return new WorkOrderTwin(id,
                attributes.text("material"),
                attributes.number("quantity"),
                attributes.instant("dueDate"),
                attributes.thingId("line"),
                (int) attributes.integer("priority"),
                attributes.optText("operation").orElse(null),
                attributes.optText("requiredCapability").orElse(null),
                attributes.objects("billOfMaterials").stream().map(BomItem::fromJson).toList(),
                StatusEntry.fromJson(TwinJson.properties(thing, STATUS)),
                Progress.fromJson(TwinJson.properties(thing, PROGRESS)),
                ErpPostings.fromJson(TwinJson.properties(thing, ERP)),
                thing.getFeatures().flatMap(f -> f.getFeature(COST)).isPresent()
                        ? OrderCost.fromJson(TwinJson.properties(thing, COST)) : null);
    }

    public Thing toThing() {
        final JsonObject attributes = TwinJson.object()
                .put("material", material)
                .put("quantity", quantity)
                .put("dueDate", dueDate)
                .put("line", line)
                .put("priority", (long) priority)
                .put("operation", operation)
                .put("requiredCapability", requiredCapability)
                .putArray("billOfMaterials", billOfMaterials, BomItem::toJson)
                .build();
        final List<org.eclipse.ditto.things.model.Feature> features = new java.util.ArrayList<>(List.of(
                TwinJson.feature(STATUS, status.toJson(), null),
                TwinJson.feature(PROGRESS, progress.toJson(), null),
                TwinJson.feature(ERP, erp.toJson(), null)));
        if (cost != null) {
            features.add(TwinJson.feature(COST, cost.toJson(), null));
        }
        return TwinJson.thing(id, TwinKind.WORK_ORDER, attributes, features);
    }

    /**
     * Moves the order to {@code next} at {@code at}, keeping the assigned machine, except that RELEASED clears it.
     *
     * @throws io.plantmesh.twin.model.IllegalTransitionException if the lifecycle forbids the move
     */
    public WorkOrderTwin withStatus(final WorkOrderStatus next, final Instant at, final String reason) {
        final ThingId machine = next == WorkOrderStatus.RELEASED ? null : status.machine();
        return withStatusEntry(status.transitionTo(next, machine, at, reason));
    }

    /**
     * DISPATCHED to {@code machine} at {@code at}.
     *
     * @throws io.plantmesh.twin.model.IllegalTransitionException unless the order is RELEASED
     */
    public WorkOrderTwin dispatchTo(final ThingId machine, final Instant at) {
        PlantThingIds.parse(machine, TwinKind.MACHINE);
        return withStatusEntry(status.transitionTo(WorkOrderStatus.DISPATCHED, machine, at, null));
    }

    /** The same order with another operation and required capability (null: any machine of the line). */
    public WorkOrderTwin withRouting(final String newOperation, final String newRequiredCapability) {
        return new WorkOrderTwin(id, material, quantity, dueDate, line, priority, newOperation, newRequiredCapability,
                billOfMaterials, status, progress, erp, cost);
    }

    public WorkOrderTwin withStatusEntry(final StatusEntry newStatus) {
        return new WorkOrderTwin(id, material, quantity, dueDate, line, priority, operation, requiredCapability,
                billOfMaterials, newStatus,
                progress, erp, cost);
    }

    public WorkOrderTwin withProgress(final Progress newProgress) {
        return new WorkOrderTwin(id, material, quantity, dueDate, line, priority, operation, requiredCapability,
                billOfMaterials, status,
                newProgress, erp, cost);
    }

    public WorkOrderTwin withErp(final ErpPostings newErp) {
        return new WorkOrderTwin(id, material, quantity, dueDate, line, priority, operation, requiredCapability,
                billOfMaterials, status, progress,
                newErp, cost);
    }

    public WorkOrderTwin withCost(final OrderCost newCost) {
        return new WorkOrderTwin(id, material, quantity, dueDate, line, priority, operation, requiredCapability,
                billOfMaterials, status, progress, erp, newCost);
    }

    /**
     * {@code features/cost}: the order's costs as the ERP's finance books them (restricted to finance roles).
     * @param postedAt when the bridge read them from the ERP
     * @param postings how many finance postings the totals sum up (0 if unknown)
     * @param confirmations how many of the order's confirmations were recorded when the totals were read
     * @param complete true when the order was completed and all its postings recorded: the order's final costs
     */
    public record OrderCost(double materialCost, double machineCost, double total, String currency,
            Instant postedAt, long postings, int confirmations, boolean complete) {

        public OrderCost {
            Objects.requireNonNull(currency, "currency");
        }

        /** Final costs read at completion, without the number of postings and confirmations. */
        public OrderCost(final double materialCost, final double machineCost, final double total,
                final String currency, final Instant postedAt) {
            this(materialCost, machineCost, total, currency, postedAt, 0, 0, true);
        }

        public JsonObject toJson() {
            return TwinJson.object().put("materialCost", materialCost).put("machineCost", machineCost)
                    .put("total", total).put("currency", currency).put("postedAt", postedAt)
                    .put("postings", postings > 0 ? postings : null)
                    .put("confirmations", confirmations > 0 ? (long) confirmations : null)
                    .put("complete", complete).build();
        }

        static OrderCost fromJson(final Node node) {
            // costs written before "complete" existed were read at completion only
            return new OrderCost(node.number("materialCost"), node.number("machineCost"), node.number("total"),
                    node.text("currency"), node.optInstant("postedAt").orElse(null),
                    node.optInteger("postings").orElse(0L), node.optInteger("confirmations").orElse(0L).intValue(),
                    node.optBoolean("complete").orElse(true));
        }
    }

    /** One component of the bill of materials. */
    public record BomItem(String material, double quantity, String unit) {

        public BomItem {
            Objects.requireNonNull(material, "material");
            Objects.requireNonNull(unit, "unit");
        }

        JsonObject toJson() {
            return TwinJson.object().put("material", material).put("quantity", quantity).put("unit", unit).build();
        }

        static BomItem fromJson(final Node node) {
            return new BomItem(node.text("material"), node.number("quantity"), node.text("unit"));
        }
    }

    /**
     * {@code features/status}.
     *
     * @param machine assigned machine, null if none
     * @param reason human-readable reason of the last change, null if none
     * @param reasonCode machine-readable reason (e.g. the MES's hold reasons {@code MATERIAL_SHORTAGE},
     * {@code QUALITY}, {@code NO_MACHINE}, {@code MANUAL}), null if none
     * @param plannedStart when the assigned machine is planned to start the order, null if not planned
     * @param plannedEnd when it is planned to finish, null if not planned
     * @param times when the order last entered each status
     */
    public record StatusEntry(WorkOrderStatus status, ThingId machine, String reason, String reasonCode,
            Instant plannedStart, Instant plannedEnd, Map<WorkOrderStatus, Instant> times) {

        public StatusEntry {
            Objects.requireNonNull(status, "status");
            times = times == null ? Map.of() : Map.copyOf(times);
        }

        /** A status without reason code and plan. */
        public static StatusEntry of(final WorkOrderStatus status, final ThingId machine, final String reason,
                final Map<WorkOrderStatus, Instant> times) {
            return new StatusEntry(status, machine, reason, null, null, null, times);
        }

        /**
         * Moves to {@code next} at {@code at}; the reason code and plan are cleared.
         *
         * @throws io.plantmesh.twin.model.IllegalTransitionException if the move is not allowed
         */
        public StatusEntry transitionTo(final WorkOrderStatus next, final ThingId newMachine, final Instant at,
                final String why) {
            final WorkOrderStatus target = status.transitionTo(next);
            final Map<WorkOrderStatus, Instant> newTimes = new EnumMap<>(WorkOrderStatus.class);
            newTimes.putAll(times);
            newTimes.put(target, at);
            return new StatusEntry(target, newMachine, why, null, null, null, newTimes);
        }

        /** The same status with a reason code. */
        public StatusEntry withReasonCode(final String code) {
            return new StatusEntry(status, machine, reason, code, plannedStart, plannedEnd, times);
        }

        /** The same status with another machine and plan (no transition: used to move a queued order). */
        public StatusEntry withPlan(final ThingId newMachine, final Instant start, final Instant end) {
            return new StatusEntry(status, newMachine, reason, reasonCode, start, end, times);
        }

        public JsonObject toJson() {
            final TwinJson.ObjectWriter timesJson = TwinJson.object();
            for (final WorkOrderStatus s : WorkOrderStatus.values()) {
                timesJson.put(s.name(), times.get(s));
            }
            return TwinJson.object()
                    .put("status", status)
                    .put("machine", machine)
                    .put("reason", reason)
                    .put("reasonCode", reasonCode)
                    .put("plannedStart", plannedStart)
                    .put("plannedEnd", plannedEnd)
                    .put("times", timesJson.build())
                    .build();
        }

        static StatusEntry fromJson(final Node node) {
            final Map<WorkOrderStatus, Instant> times = new EnumMap<>(WorkOrderStatus.class);
            node.optObject("times").ifPresent(t -> {
                for (final WorkOrderStatus s : WorkOrderStatus.values()) {
                    t.optInstant(s.name()).ifPresent(at -> times.put(s, at));
                }
            });
            return new StatusEntry(node.enumValue("status", WorkOrderStatus.class),
                    node.optThingId("machine").orElse(null), node.optText("reason").orElse(null),
                    node.optText("reasonCode").orElse(null), node.optInstant("plannedStart").orElse(null),
                    node.optInstant("plannedEnd").orElse(null), times);
        }
    }

    /**
     * {@code features/progress}: good and scrap pieces attributed to the order so far, and the machine counter
     * readings they were last counted up to ({@code base}), so that counting is incremental and a repeated reading
     * adds nothing.
     *
     * @param base null until the order runs on a machine
     * @param updatedAt null if never updated
     */
    public record Progress(long good, long scrap, CounterBase base, Instant updatedAt) {

        public static final Progress NONE = new Progress(0, 0, null, null);

        public Progress {
            final boolean nonNegative = good >= 0 && scrap >= 0;
            if (!nonNegative) {
                throw new IllegalArgumentException("progress must not be negative: good=" + good + ", scrap="
                        + scrap);
            }
        }

        public Progress(final long good, final long scrap) {
            this(good, scrap, null, null);
        }

        public JsonObject toJson() {
            return TwinJson.object().put("good", good).put("scrap", scrap)
                    .put("base", base == null ? null : base.toJson()).put("updatedAt", updatedAt).build();
        }

        static Progress fromJson(final Node node) {
            return new Progress(node.integer("good"), node.integer("scrap"),
                    node.optObject("base").map(CounterBase::fromJson).orElse(null),
                    node.optInstant("updatedAt").orElse(null));
        }
    }

    /** The good and scrap counter readings of {@code machine} up to which the order's progress is counted. */
    public record CounterBase(ThingId machine, long good, long scrap) {

        public CounterBase {
            Objects.requireNonNull(machine, "machine");
        }

        JsonObject toJson() {
            return TwinJson.object().put("machine", machine).put("good", good).put("scrap", scrap).build();
        }

        static CounterBase fromJson(final Node node) {
            return new CounterBase(node.thingId("machine"), node.integer("good"), node.integer("scrap"));
        }
    }

    /**
     * A production confirmation posted to the ERP. @param postedAt null if unknown; @param key the posting's
     * idempotency key, null if unknown; @param machineMinutes machine time booked with it (activity 1), 0 if none
     */
    public record Confirmation(String document, long good, long scrap, boolean finalConfirmation, Instant postedAt,
            String key, double machineMinutes) {

        public Confirmation {
            Objects.requireNonNull(document, "document");
        }

        /** A confirmation recorded without machine time. */
        public Confirmation(final String document, final long good, final long scrap,
                final boolean finalConfirmation, final Instant postedAt, final String key) {
            this(document, good, scrap, finalConfirmation, postedAt, key, 0);
        }

        /** A confirmation recorded without its key. */
        public Confirmation(final String document, final long good, final long scrap,
                final boolean finalConfirmation, final Instant postedAt) {
            this(document, good, scrap, finalConfirmation, postedAt, null, 0);
        }

        JsonObject toJson() {
            return TwinJson.object().put("document", document).put("good", good).put("scrap", scrap)
                    .put("final", finalConfirmation).put("postedAt", postedAt).put("key", key)
                    .put("machineMinutes", machineMinutes > 0 ? machineMinutes : null).build();
        }

        static Confirmation fromJson(final Node node) {
            return new Confirmation(node.text("document"), node.integer("good"), node.integer("scrap"),
                    node.optBoolean("final").orElse(false), node.optInstant("postedAt").orElse(null),
                    node.optText("key").orElse(null), node.optNumber("machineMinutes").orElse(0.0));
        }
    }

    /**
     * A goods movement posted to the ERP, e.g. 101 (goods receipt of the product) or 261 (goods issue of a
     * component). @param unit null if the material's base unit; @param postedAt null if unknown
     */
    public record GoodsMovement(String document, String movementType, String material, double quantity, String unit,
            Instant postedAt, String key) {

        public GoodsMovement {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(movementType, "movementType");
            Objects.requireNonNull(material, "material");
        }

        /** A movement recorded without its key. */
        public GoodsMovement(final String document, final String movementType, final String material,
                final double quantity, final String unit, final Instant postedAt) {
            this(document, movementType, material, quantity, unit, postedAt, null);
        }

        JsonObject toJson() {
            return TwinJson.object().put("document", document).put("movementType", movementType)
                    .put("material", material).put("quantity", quantity).put("unit", unit).put("postedAt", postedAt)
                    .put("key", key).build();
        }

        static GoodsMovement fromJson(final Node node) {
            return new GoodsMovement(node.text("document"), node.text("movementType"), node.text("material"),
                    node.number("quantity"), node.optText("unit").orElse(null),
                    node.optInstant("postedAt").orElse(null), node.optText("key").orElse(null));
        }
    }

    /**
     * A posting the ERP refused for business reasons (e.g. a stock deficit), kept until it posts.
     *
     * @param key the posting's idempotency key
     * @param kind {@code conf}, {@code 261}, {@code 101}
     * @param message the ERP's message
     * @param at when it was last refused
     * @param attempts how often it was refused
     */
    public record Rejection(String key, String kind, String message, Instant at, int attempts) {

        public Rejection {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        JsonObject toJson() {
            return TwinJson.object().put("key", key).put("kind", kind).put("message", message).put("at", at)
                    .put("attempts", (long) attempts).build();
        }

        static Rejection fromJson(final Node node) {
            return new Rejection(node.text("key"), node.text("kind"), node.text("message"),
                    node.optInstant("at").orElse(null), (int) node.integer("attempts"));
        }
    }

    /** {@code features/erp}: what has been posted, with document numbers, and what the ERP refused. */
    public record ErpPostings(List<Confirmation> confirmations, List<GoodsMovement> goodsMovements,
            List<Rejection> rejections) {

        public static final ErpPostings NONE = new ErpPostings(List.of(), List.of(), List.of());

        public ErpPostings {
            confirmations = confirmations == null ? List.of() : List.copyOf(confirmations);
            goodsMovements = goodsMovements == null ? List.of() : List.copyOf(goodsMovements);
            rejections = rejections == null ? List.of() : List.copyOf(rejections);
        }

        /** Postings without rejections. */
        public ErpPostings(final List<Confirmation> confirmations, final List<GoodsMovement> goodsMovements) {
            this(confirmations, goodsMovements, List.of());
        }

        /** The rejection recorded for {@code key}, if any. */
        public java.util.Optional<Rejection> rejection(final String key) {
            return rejections.stream().filter(r -> r.key().equals(key)).findFirst();
        }

        /** The same postings with {@code rejection} replacing any earlier one of its key. */
        public ErpPostings withRejection(final Rejection rejection) {
            final List<Rejection> next = new java.util.ArrayList<>(rejections.stream()
                    .filter(r -> !r.key().equals(rejection.key())).toList());
            next.add(rejection);
            return new ErpPostings(confirmations, goodsMovements, next);
        }

        /** The same postings plus {@code confirmation}, without a rejection of its key. */
        public ErpPostings withConfirmation(final Confirmation confirmation) {
            final List<Confirmation> next = new java.util.ArrayList<>(confirmations);
            next.add(confirmation);
            return new ErpPostings(next, goodsMovements, withoutKey(confirmation.key()));
        }

        /** The same postings plus {@code movement}, without a rejection of its key. */
        public ErpPostings withGoodsMovement(final GoodsMovement movement) {
            final List<GoodsMovement> next = new java.util.ArrayList<>(goodsMovements);
            next.add(movement);
            return new ErpPostings(confirmations, next, withoutKey(movement.key()));
        }

        private List<Rejection> withoutKey(final String key) {
            return rejections.stream().filter(r -> !r.key().equals(key)).toList();
        }

        public JsonObject toJson() {
            return TwinJson.object()
                    .putArray("confirmations", confirmations, Confirmation::toJson)
                    .putArray("goodsMovements", goodsMovements, GoodsMovement::toJson)
                    .putArray("rejections", rejections, Rejection::toJson)
                    .build();
        }

        static ErpPostings fromJson(final Node node) {
            return new ErpPostings(node.objects("confirmations").stream().map(Confirmation::fromJson).toList(),
                    node.objects("goodsMovements").stream().map(GoodsMovement::fromJson).toList(),
                    node.objects("rejections").stream().map(Rejection::fromJson).toList());
        }
    }
}
