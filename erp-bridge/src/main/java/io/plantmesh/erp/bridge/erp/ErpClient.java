package io.plantmesh.erp.bridge.erp;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientException;
import io.plantmesh.tls.ClientTrust;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The ERP bridge's client for the SAP S/4HANA OData V2 subset of {@code docs/erp-api.md}: Basic authentication or an
 * access token ({@link #bearer}), a CSRF token fetched once per service and fetched again when the ERP answers {@code 403 x-csrf-token: Required},
 * cookies kept (a real S/4HANA binds the token to its session), JSON, and on every POST the posting's idempotency key
 * as {@code Repeatability-Request-ID} (plus {@code Repeatability-First-Sent}) and in a searchable field. Every method
 * blocks the calling thread for at most the request timeout (twice when a token is refreshed) and never throws for
 * an ERP or network failure: it returns an {@link ErpAnswer}.
 */
public final class ErpClient {

    private static final Logger LOG = LoggerFactory.getLogger(ErpClient.class);

    static final String DOCUMENTS = "API_MATERIAL_DOCUMENT_SRV";
    static final String STOCK = "API_MATERIAL_STOCK_SRV";
    static final String CONFIRMATIONS = "API_PROD_ORDER_CONFIRMATION_2_SRV";
    static final String REQUISITIONS = "API_PURCHASEREQ_PROCESS_SRV";
    static final String COSTS = "ZPLANTMESH_ORDER_COST_SRV";

    /** IMF-fixdate (RFC 7231), as {@code Repeatability-First-Sent} requires. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private final URI base;
    private final Supplier<String> authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final ConcurrentMap<String, String> tokens = new ConcurrentHashMap<>();

    private ErpClient(final URI base, final Supplier<String> authorization, final Duration timeout,
            final ClientTrust trust) {
        final String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.authorization = authorization;
        this.timeout = timeout;
        final HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        if (trust != null) {
            builder.sslContext(trust.sslContext());
        }
        this.http = builder.build();
    }

    /**
     * A client for the OData services under {@code base} (e.g. {@code http://127.0.0.1:8081/sap/opu/odata/sap/}).
     *
     * @param timeout connect and request timeout; a request without an answer in time is {@link ErpAnswer.Unavailable}
     */
    public static ErpClient create(final URI base, final String user, final String password, final Duration timeout) {
        return create(base, user, password, timeout, null);
    }

    /**
     * A client for the OData services under {@code base}; an {@code https} base is verified against {@code trust}
     * (chain and host name).
     *
     * @param trust the CAs the ERP's certificate must chain to; null for the JVM's default trust store
     */
    public static ErpClient create(final URI base, final String user, final String password, final Duration timeout,
            final ClientTrust trust) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(timeout, "timeout");
        final String basic = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new ErpClient(base, () -> basic, timeout, trust);
    }

    /**
     * A client for the OData services under {@code base} that sends {@code Authorization: <authorization.get()>} with
     * every request, e.g. {@link #bearer} of the bridge's token client; an {@code https} base is verified against
     * {@code trust}.
     *
     * @param authorization called for every request (may block briefly while a token is renewed)
     */
    public static ErpClient create(final URI base, final Supplier<String> authorization, final Duration timeout,
            final ClientTrust trust) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(timeout, "timeout");
        return new ErpClient(base, authorization, timeout, trust);
    }

    /**
     * {@code Bearer <access token>} from a token client, renewed by it before the token expires. If no token can be
     * obtained, the request goes without one: the ERP answers 401, which the bridge treats as "unavailable, try
     * again later", and the token client's failure is logged.
     */
    public static Supplier<String> bearer(final TokenClient tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return () -> {
            try {
                return tokens.token().authorization();
            } catch (final TokenClientException e) {
                LOG.warn("No access token for the ERP: {}", e.getMessage());
                return "Bearer";
            }
        };
    }

    public URI base() {
        return base;
    }

    // ---------------------------------------------------------------- postings

    /**
     * Posts a yield confirmation of an order (order level, no goods movements: the bridge posts those itself).
     * {@code ExternalSystemConfirmation} carries a name-based UUID of {@code key}.
     */
    public ErpAnswer<ConfirmationDocument> postConfirmation(final String key, final String order, final String plant,
            final String material, final long yield, final long scrap, final String unit,
            final boolean finalConfirmation) {
        return postConfirmation(key, order, plant, material, yield, scrap, unit, finalConfirmation, null, 0);
    }

    /**
     * Like {@link #postConfirmation(String, String, String, String, long, long, String, boolean)}, with machine time
     * as activity 1 ({@code OpConfirmedWorkQuantity1} in {@code MIN}), which finance costs at the work centre's
     * machine-hour rate.
     *
     * @param workCenter null if unknown (the ERP's default rate applies)
     * @param machineMinutes 0 for none
     */
    public ErpAnswer<ConfirmationDocument> postConfirmation(final String key, final String order, final String plant,
            final String material, final long yield, final long scrap, final String unit,
            final boolean finalConfirmation, final String workCenter, final double machineMinutes) {
        final JsonObject body = new JsonObject()
                .put("OrderID", order)
                .put("Plant", plant)
                .put("Material", material)
                .put("ConfirmationYieldQuantity", Long.toString(yield))
                .put("ConfirmationScrapQuantity", Long.toString(scrap))
                .put("ConfirmationUnit", unit)
                .put("FinalConfirmationType", finalConfirmation ? "X" : "")
                .put("ExternalSystemConfirmation",
                        UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
                .put("APIConfHasNoGoodsMovements", true);
        if (workCenter != null) {
            body.put("WorkCenter", workCenter);
        }
        if (machineMinutes > 0) {
            body.put("OpConfirmedWorkQuantity1", quantityText(machineMinutes)).put("OpWorkQuantityUnit1", "MIN");
        }
        return post(CONFIRMATIONS, "ProdnOrdConf2", key, body).map(d -> new ConfirmationDocument(
                d.getString("ConfirmationGroup") + "/" + d.getString("ConfirmationCount"),
                (long) decimal(d, "ConfirmationYieldQuantity"), (long) decimal(d, "ConfirmationScrapQuantity"),
                "X".equals(d.getString("FinalConfirmationType")) || Boolean.TRUE.equals(d.getValue(
                        "IsFinalConfirmation"))));
    }

    /**
     * Posts a goods movement for an order: {@code 101} receipt of the product (code 02) or {@code 261} issue of a
     * component (code 03). {@code MaterialDocumentHeaderText} carries a 25-character hash of {@code key}.
     *
     * @param unit the entry unit, null for the material's base unit
     * @param storageLocation null for the material's default
     */
    public ErpAnswer<MaterialDocument> postGoodsMovement(final String key, final String order,
            final String movementType, final String material, final String plant, final String storageLocation,
            final double quantity, final String unit) {
        final String code = movementType.startsWith("10") ? "02" : "03";
        final JsonObject item = new JsonObject()
                .put("Material", material)
                .put("Plant", plant)
                .put("GoodsMovementType", movementType)
                .put("QuantityInEntryUnit", quantityText(quantity))
                .put("ManufacturingOrder", order);
        if (storageLocation != null) {
            item.put("StorageLocation", storageLocation);
        }
        if (unit != null) {
            item.put("EntryUnit", unit);
        }
        final JsonObject body = new JsonObject()
                .put("GoodsMovementCode", code)
                .put("MaterialDocumentHeaderText", hash(key, 25))
                .put("to_MaterialDocumentItem", new JsonArray().add(item));
        return post(DOCUMENTS, "A_MaterialDocumentHeader", key, body).map(ErpClient::materialDocument);
    }

    /**
     * Creates a purchase requisition of one item for stock; {@code PurReqnExternalReference} carries {@code key}
     * (hashed if longer than 35 characters).
     *
     * @param unit null for the material's base unit; @param storageLocation null for the material's default
     */
    public ErpAnswer<RequisitionState> createRequisition(final String key, final String material, final double quantity,
            final String unit, final String plant, final String storageLocation) {
        final JsonObject item = new JsonObject()
                .put("Material", material)
                .put("Plant", plant)
                .put("RequestedQuantity", quantityText(quantity))
                .put("PurReqnExternalReference", key.length() <= 35 ? key : hash(key, 35));
        if (unit != null) {
            item.put("BaseUnit", unit);
        }
        if (storageLocation != null) {
            item.put("StorageLocation", storageLocation);
        }
        final JsonObject body = new JsonObject()
                .put("PurchaseRequisitionType", "NB")
                .put("PurReqnDescription", "PlantMesh reorder " + material)
                .put("to_PurchaseReqnItem", new JsonArray().add(item));
        return post(REQUISITIONS, "A_PurchaseRequisitionHeader", key, body).map(ErpClient::requisition);
    }

    // ---------------------------------------------------------------- reads

    /** Unrestricted-use stock of {@code material} in {@code plant} (all storage locations; none booked: zero). */
    public ErpAnswer<StockLevel> readStock(final String material, final String plant) {
        return get(STOCK + "/A_MatlStkInAcctMod", "$filter", "Material eq " + literal(material) + " and Plant eq "
                + literal(plant)).map(d -> {
                    double unrestricted = 0;
                    for (final JsonObject e : results(d)) {
                        final String type = e.getString("InventoryStockType", "01");
                        if ("01".equals(type) || type.isEmpty()) {
                            unrestricted += decimal(e, "MatlWrhsStkQtyInMatlBaseUnit");
                        }
                    }
                    return new StockLevel(material, plant, unrestricted);
                });
    }

    /** A purchase requisition and whether it is received. */
    public ErpAnswer<RequisitionState> readRequisition(final String number) {
        return get(REQUISITIONS + "/A_PurchaseRequisitionHeader(" + literal(number) + ")", "$expand",
                "to_PurchaseReqnItem").map(ErpClient::requisition);
    }

    /** The requisition items of a material in a plant (open and received), one entry per item. */
    public ErpAnswer<List<RequisitionState>> readRequisitionItems(final String material, final String plant) {
        return get(REQUISITIONS + "/A_PurchaseRequisitionItem", "$filter", "Material eq " + literal(material)
                + " and Plant eq " + literal(plant)).map(d -> {
                    final List<RequisitionState> out = new ArrayList<>();
                    for (final JsonObject e : results(d)) {
                        final String po = e.getString("PurchasingDocument", "");
                        out.add(new RequisitionState(e.getString("PurchaseRequisition"), e.getString("Material"),
                                decimal(e, "RequestedQuantity"),
                                Boolean.TRUE.equals(e.getValue("IsClosed")) || !po.isEmpty(), po));
                    }
                    return out;
                });
    }

    /** The order's cost totals over all cost centres (the embedded ERP's {@code ZPLANTMESH_ORDER_COST_SRV}). */
    public ErpAnswer<OrderCostTotals> readOrderCost(final String order) {
        return get(COSTS + "/OrderCostTotal", "$filter", "OrderID eq " + literal(order)).map(d -> {
            double material = 0;
            double machine = 0;
            double scrap = 0;
            double credit = 0;
            double total = 0;
            String currency = "";
            for (final JsonObject e : results(d)) {
                material += decimal(e, "MaterialCost");
                machine += decimal(e, "MachineCost");
                scrap += decimal(e, "ScrapCost");
                credit += decimal(e, "OutputCredit");
                total += decimal(e, "TotalCost");
                currency = e.getString("CompanyCodeCurrency", currency);
            }
            return new OrderCostTotals(order, round2(material), round2(machine), round2(scrap), round2(credit),
                    round2(total), currency);
        });
    }

    /** The confirmations posted for {@code order}. */
    public ErpAnswer<List<ConfirmationDocument>> readConfirmations(final String order) {
        return get(CONFIRMATIONS + "/ProdnOrdConf2", "$filter", "OrderID eq " + literal(order)).map(d -> {
            final List<ConfirmationDocument> out = new ArrayList<>();
            for (final JsonObject e : results(d)) {
                out.add(new ConfirmationDocument(e.getString("ConfirmationGroup") + "/"
                        + e.getString("ConfirmationCount"), (long) decimal(e, "ConfirmationYieldQuantity"),
                        (long) decimal(e, "ConfirmationScrapQuantity"),
                        "X".equals(e.getString("FinalConfirmationType"))));
            }
            return out;
        });
    }

    /** The material document items posted for {@code order} (all movement types). */
    public ErpAnswer<List<MaterialDocument>> readOrderMovements(final String order) {
        return get(DOCUMENTS + "/A_MaterialDocumentItem", "$filter", "ManufacturingOrder eq " + literal(order))
                .map(d -> {
                    final List<MaterialDocument> out = new ArrayList<>();
                    for (final JsonObject e : results(d)) {
                        out.add(new MaterialDocument(e.getString("MaterialDocumentYear"),
                                e.getString("MaterialDocument"), e.getString("GoodsMovementType"),
                                e.getString("Material"), decimal(e, "QuantityInEntryUnit"),
                                e.getString("EntryUnit")));
                    }
                    return out;
                });
    }

    // ---------------------------------------------------------------- values

    /** A confirmation: {@code document} is {@code <ConfirmationGroup>/<ConfirmationCount>}. */
    public record ConfirmationDocument(String document, long yield, long scrap, boolean finalConfirmation) {
    }

    /** A material document of one item, as posted (for a repeated key: as originally posted). */
    public record MaterialDocument(String year, String number, String movementType, String material, double quantity,
            String unit) {
    }

    /** Unrestricted-use stock (the embedded ERP keeps no reservations: available = unrestricted). */
    public record StockLevel(String material, String plant, double unrestricted) {
    }

    /**
     * A purchase requisition. @param received true once it is turned into a purchase order and received (all items
     * closed or with a purchasing document)
     */
    public record RequisitionState(String number, String material, double quantity, boolean received,
            String purchaseOrder) {
    }

    /** An order's costs over all its cost centres, in company code currency. */
    public record OrderCostTotals(String order, double materialCost, double machineCost, double scrapCost,
            double outputCredit, double total, String currency) {
    }

    // ---------------------------------------------------------------- protocol

    private ErpAnswer<JsonObject> get(final String path, final String... query) {
        final HttpRequest request = request(uri(path, query)).GET().build();
        final Exchange exchange = send(request);
        if (exchange.failure != null) {
            return new ErpAnswer.Unavailable<>("GET " + path + ": " + exchange.failure);
        }
        return classify("GET " + path, exchange.response);
    }

    private ErpAnswer<JsonObject> post(final String service, final String entitySet, final String key,
            final JsonObject body) {
        final String path = service + "/" + entitySet;
        final String firstSent = IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        for (int attempt = 0; attempt < 2; attempt++) {
            String token = tokens.get(service);
            if (token == null) {
                final ErpAnswer<String> fetched = fetchToken(service);
                if (!(fetched instanceof ErpAnswer.Done<String> done)) {
                    return fetched.map(t -> null);
                }
                token = done.value();
            }
            final HttpRequest request = request(uri(path))
                    .header("Content-Type", "application/json")
                    .header("x-csrf-token", token)
                    .header("Repeatability-Request-ID", key)
                    .header("Repeatability-First-Sent", firstSent)
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                    .build();
            final Exchange exchange = send(request);
            if (exchange.failure != null) {
                return new ErpAnswer.Unavailable<>("POST " + path + " (key " + key + "): " + exchange.failure);
            }
            final HttpResponse<String> response = exchange.response;
            final boolean tokenRequired = response.statusCode() == 403 && "Required".equalsIgnoreCase(
                    response.headers().firstValue("x-csrf-token").orElse(""));
            if (tokenRequired) {
                // the ERP restarted or the session expired: fetch a new token and repeat with the same key
                tokens.remove(service, token);
                continue;
            }
            return classify("POST " + path + " (key " + key + ")", response);
        }
        // a first fetch plus one refresh did not give a token the ERP accepts
        return new ErpAnswer.Unavailable<>("POST " + path + " (key " + key + "): the ERP refused two CSRF tokens in a"
                + " row; check the ERP's session handling and the user's authorisation");
    }

    private ErpAnswer<String> fetchToken(final String service) {
        final HttpRequest request = request(uri(service + "/")).header("x-csrf-token", "Fetch").GET().build();
        final Exchange exchange = send(request);
        if (exchange.failure != null) {
            return new ErpAnswer.Unavailable<>("CSRF token fetch at " + service + ": " + exchange.failure);
        }
        final String token = exchange.response.headers().firstValue("x-csrf-token").orElse(null);
        final boolean usable = exchange.response.statusCode() / 100 == 2 && token != null
                && !"Required".equalsIgnoreCase(token);
        if (!usable) {
            return classify("CSRF token fetch at " + service, exchange.response).map(j -> null);
        }
        tokens.put(service, token);
        return new ErpAnswer.Done<>(token);
    }

    private ErpAnswer<JsonObject> classify(final String what, final HttpResponse<String> response) {
        final int status = response.statusCode();
        final JsonObject json = json(response.body());
        if (status / 100 == 2) {
            if (json == null || !(json.getValue("d") instanceof JsonObject)) {
                return new ErpAnswer.Unavailable<>(what + ": " + status + " without an OData JSON body");
            }
            return new ErpAnswer.Done<>(json.getJsonObject("d"));
        }
        final String code = errorCode(json);
        final String message = errorMessage(json, response.body());
        final boolean retryLater = status >= 500 || status == 401 || status == 403 || status == 408
                || status == 429;
        if (retryLater) {
            if (status == 401) {
                LOG.warn("{}: the ERP refused the bridge's credentials (401). Check PLANTMESH_ERP_USER and "
                        + "PLANTMESH_ERP_PASSWORD, or that the ERP trusts the issuer of the bridge's tokens; postings "
                        + "wait until they are accepted.", what);
            }
            return new ErpAnswer.Unavailable<>(what + ": " + status + (code.isEmpty() ? "" : " " + code) + " "
                    + message);
        }
        return new ErpAnswer.Rejected<>(status, code, message);
    }

    private HttpRequest.Builder request(final URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", authorization.get())
                .header("Accept", "application/json");
    }

    private Exchange send(final HttpRequest request) {
        try {
            return new Exchange(http.send(request, HttpResponse.BodyHandlers.ofString()), null);
        } catch (final IOException e) {
            return new Exchange(null, e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : " " + e.getMessage()) + " (is the ERP at " + base + " running?)");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(null, "interrupted");
        }
    }

    private record Exchange(HttpResponse<String> response, String failure) {
    }

    private URI uri(final String path, final String... query) {
        final StringBuilder uri = new StringBuilder(base.toString()).append(path);
        for (int i = 0; i + 1 < query.length; i += 2) {
            uri.append(i == 0 ? '?' : '&').append(query[i]).append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(uri.toString());
    }

    private static MaterialDocument materialDocument(final JsonObject d) {
        final List<JsonObject> items = navigation(d, "to_MaterialDocumentItem");
        final JsonObject first = items.isEmpty() ? new JsonObject() : items.get(0);
        return new MaterialDocument(d.getString("MaterialDocumentYear"), d.getString("MaterialDocument"),
                first.getString("GoodsMovementType"), first.getString("Material"),
                decimal(first, "QuantityInEntryUnit"), first.getString("EntryUnit"));
    }

    private static RequisitionState requisition(final JsonObject d) {
        final List<JsonObject> items = navigation(d, "to_PurchaseReqnItem");
        boolean received = !items.isEmpty();
        String purchaseOrder = "";
        double quantity = 0;
        String material = "";
        for (final JsonObject item : items) {
            final String po = item.getString("PurchasingDocument", "");
            final boolean itemReceived = Boolean.TRUE.equals(item.getValue("IsClosed")) || !po.isEmpty();
            received &= itemReceived;
            purchaseOrder = po.isEmpty() ? purchaseOrder : po;
            quantity += decimal(item, "RequestedQuantity");
            material = item.getString("Material", material);
        }
        return new RequisitionState(d.getString("PurchaseRequisition"), material, quantity, received, purchaseOrder);
    }

    private static List<JsonObject> navigation(final JsonObject d, final String name) {
        final Object nav = d.getValue(name);
        if (nav instanceof JsonObject o && o.getValue("results") instanceof JsonArray a) {
            return objects(a);
        }
        if (nav instanceof JsonArray a) {
            return objects(a);
        }
        return List.of();
    }

    private static List<JsonObject> results(final JsonObject d) {
        return d.getValue("results") instanceof JsonArray a ? objects(a) : List.of();
    }

    private static List<JsonObject> objects(final JsonArray array) {
        final List<JsonObject> out = new ArrayList<>();
        for (final Object o : array) {
            if (o instanceof JsonObject j) {
                out.add(j);
            }
        }
        return out;
    }

    /** An {@code Edm.Decimal} (a string, or a number), 0 if absent. */
    static double decimal(final JsonObject o, final String name) {
        final Object v = o.getValue(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            return Double.parseDouble(s.trim());
        }
        return 0;
    }

    static String quantityText(final double quantity) {
        return java.math.BigDecimal.valueOf(quantity).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static double round2(final double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    /** An OData string literal: quotes doubled. */
    static String literal(final String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The first {@code length} hex characters of the key's SHA-256 (fits SAP's short text fields). */
    static String hash(final String key, final int length) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static JsonObject json(final String body) {
        if (body == null || body.isBlank() || !body.trim().startsWith("{")) {
            return null;
        }
        try {
            return new JsonObject(body);
        } catch (final DecodeException e) {
            return null;
        }
    }

    private static String errorCode(final JsonObject json) {
        if (json != null && json.getValue("error") instanceof JsonObject e) {
            return e.getString("code", "");
        }
        return "";
    }

    private static String errorMessage(final JsonObject json, final String body) {
        if (json != null && json.getValue("error") instanceof JsonObject e) {
            final Object m = e.getValue("message");
            if (m instanceof JsonObject mo) {
                return mo.getString("value", "");
            }
            if (m instanceof String s) {
                return s;
            }
        }
        final String text = body == null ? "" : body.strip();
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
