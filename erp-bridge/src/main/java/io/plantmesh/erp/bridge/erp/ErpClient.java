package io.plantmesh.erp.bridge.erp;

import java.net.URI;
import java.net.URLEncoder;
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
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.security.client.AccessToken;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.tls.ClientTrust;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;

/**
 * The ERP bridge's client for the SAP S/4HANA OData V2 subset of {@code docs/erp-api.md}, on Vert.x's WebClient:
 * Basic authentication or an access token ({@link #bearer}) in the {@code Authorization} header of every request, a
 * CSRF token fetched once per service and fetched again when the ERP answers {@code 403 x-csrf-token: Required},
 * cookies kept (a real S/4HANA binds the token to its session), JSON, and on every POST the posting's idempotency key
 * as {@code Repeatability-Request-ID} (plus {@code Repeatability-First-Sent}) and in a searchable field. An
 * {@code https} ERP is verified against the given {@link ClientTrust} (chain and host name). Nothing blocks: every
 * method returns a future that completes within the request timeout (twice when a token is refreshed) and never fails
 * for an ERP or network failure: it completes with an {@link ErpAnswer}. Callbacks run on the calling Vert.x context.
 */
public final class ErpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErpClient.class);

    static final String DOCUMENTS = "API_MATERIAL_DOCUMENT_SRV";
    static final String STOCK = "API_MATERIAL_STOCK_SRV";
    static final String CONFIRMATIONS = "API_PROD_ORDER_CONFIRMATION_2_SRV";
    static final String REQUISITIONS = "API_PURCHASEREQ_PROCESS_SRV";
    static final String COSTS = "ZPLANTMESH_ORDER_COST_SRV";

    /** IMF-fixdate (RFC 7231), as {@code Repeatability-First-Sent} requires. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
    /** Connections to the ERP kept open (requests beyond wait for one). */
    private static final int MAX_CONNECTIONS = 32;

    private final URI base;
    private final Supplier<Future<String>> authorization;
    private final Duration timeout;
    private final WebClient web;
    private final WebClientSession http;
    private final ConcurrentMap<String, String> tokens = new ConcurrentHashMap<>();

    private ErpClient(final Vertx vertx, final URI base, final Supplier<Future<String>> authorization,
            final Duration timeout, final ClientTrust trust) {
        final String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.authorization = authorization;
        this.timeout = timeout;
        final WebClientOptions options = new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setMaxPoolSize(MAX_CONNECTIONS)
                .setKeepAlive(true)
                .setUserAgent("PlantMesh-ERP-bridge");
        if (trust != null) {
            // only these CAs; verifyHost: the certificate must name the host the bridge connects to (HTTPS rules)
            options.setTrustOptions(trust.vertxTrustOptions()).setVerifyHost(true);
        }
        this.web = WebClient.create(vertx, options);
        // keeps the ERP's cookies (a real S/4HANA binds the CSRF token to its session cookies)
        this.http = WebClientSession.create(web);
    }

    /**
     * A client for the OData services under {@code base} (e.g. {@code http://127.0.0.1:8081/sap/opu/odata/sap/}) on
     * {@code vertx} with the ERP's Basic user; close it when done.
     *
     * @param timeout connect and request timeout; a request without an answer in time is {@link ErpAnswer.Unavailable}
     */
    public static ErpClient create(final Vertx vertx, final URI base, final String user, final String password,
            final Duration timeout) {
        return create(vertx, base, user, password, timeout, null);
    }

    /**
     * A client with the ERP's Basic user whose {@code https} base is verified against {@code trust} (chain and host
     * name).
     *
     * @param trust the CAs the ERP's certificate must chain to; null for the JVM's default trust store
     */
    public static ErpClient create(final Vertx vertx, final URI base, final String user, final String password,
            final Duration timeout, final ClientTrust trust) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        final Future<String> basic = Future.succeededFuture("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return create(vertx, base, () -> basic, timeout, trust);
    }

    /**
     * A client for the OData services under {@code base} that sends {@code Authorization: <value>} with every request,
     * the value being what {@code authorization} completes with (e.g. {@link #bearer} of the bridge's token client);
     * an {@code https} base is verified against {@code trust}.
     *
     * @param authorization called for every request on the caller's context; must not block
     * @param trust the CAs the ERP's certificate must chain to; null for the JVM's default trust store
     */
    public static ErpClient create(final Vertx vertx, final URI base, final Supplier<Future<String>> authorization,
            final Duration timeout, final ClientTrust trust) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(timeout, "timeout");
        return new ErpClient(vertx, base, authorization, timeout, trust);
    }

    /**
     * {@code Bearer <access token>} from a token client, renewed by it before the token expires, without blocking:
     * a fresh token is at hand at once, a renewal completes on the calling Vert.x context. If no token can be
     * obtained, the request goes without one: the ERP answers 401, which the bridge treats as "unavailable, try
     * again later", and the token client's failure is logged.
     */
    public static Supplier<Future<String>> bearer(final TokenClient tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return () -> {
            final Context context = Vertx.currentContext();
            final Future<AccessToken> token = context == null ? Future.fromCompletionStage(tokens.tokenAsync())
                    : Future.fromCompletionStage(tokens.tokenAsync(), context);
            return token.map(AccessToken::authorization).otherwise(failure -> {
                final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                LOG.warn("No access token for the ERP from client '{}': {}", tokens.config().clientId(),
                        cause.getMessage());
                return "Bearer";
            });
        };
    }

    public URI base() {
        return base;
    }

    /** Closes the connections. */
    @Override
    public void close() {
        http.close();
    }

    // ---------------------------------------------------------------- postings

    /**
     * Posts a yield confirmation of an order (order level, no goods movements: the bridge posts those itself).
     * {@code ExternalSystemConfirmation} carries a name-based UUID of {@code key}.
     */
    public Future<ErpAnswer<ConfirmationDocument>> postConfirmation(final String key, final String order,
            final String plant, final String material, final long yield, final long scrap, final String unit,
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
    public Future<ErpAnswer<ConfirmationDocument>> postConfirmation(final String key, final String order,
            final String plant, final String material, final long yield, final long scrap, final String unit,
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
        return post(CONFIRMATIONS, "ProdnOrdConf2", key, body).map(value(ErpClient::confirmation));
    }

    /**
     * Posts a goods movement for an order: {@code 101} receipt of the product (code 02) or {@code 261} issue of a
     * component (code 03). {@code MaterialDocumentHeaderText} carries a 25-character hash of {@code key}.
     *
     * @param unit the entry unit, null for the material's base unit
     * @param storageLocation null for the material's default
     */
    public Future<ErpAnswer<MaterialDocument>> postGoodsMovement(final String key, final String order,
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
        return post(DOCUMENTS, "A_MaterialDocumentHeader", key, body).map(value(ErpClient::materialDocument));
    }

    /**
     * Creates a purchase requisition of one item for stock; {@code PurReqnExternalReference} carries {@code key}
     * (hashed if longer than 35 characters).
     *
     * @param unit null for the material's base unit; @param storageLocation null for the material's default
     */
    public Future<ErpAnswer<RequisitionState>> createRequisition(final String key, final String material,
            final double quantity, final String unit, final String plant, final String storageLocation) {
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
        return post(REQUISITIONS, "A_PurchaseRequisitionHeader", key, body).map(value(ErpClient::requisition));
    }

    // ---------------------------------------------------------------- reads

    /** Unrestricted-use stock of {@code material} in {@code plant} (all storage locations; none booked: zero). */
    public Future<ErpAnswer<StockLevel>> readStock(final String material, final String plant) {
        return get(STOCK + "/A_MatlStkInAcctMod", "$filter", "Material eq " + literal(material) + " and Plant eq "
                + literal(plant)).map(value(d -> {
                    double unrestricted = 0;
                    for (final JsonObject e : results(d)) {
                        final String type = e.getString("InventoryStockType", "01");
                        if ("01".equals(type) || type.isEmpty()) {
                            unrestricted += decimal(e, "MatlWrhsStkQtyInMatlBaseUnit");
                        }
                    }
                    return new StockLevel(material, plant, unrestricted);
                }));
    }

    /** A purchase requisition and whether it is received. */
    public Future<ErpAnswer<RequisitionState>> readRequisition(final String number) {
        return get(REQUISITIONS + "/A_PurchaseRequisitionHeader(" + literal(number) + ")", "$expand",
                "to_PurchaseReqnItem").map(value(ErpClient::requisition));
    }

    /** The requisition items of a material in a plant (open and received), one entry per item. */
    public Future<ErpAnswer<List<RequisitionState>>> readRequisitionItems(final String material,
            final String plant) {
        return get(REQUISITIONS + "/A_PurchaseRequisitionItem", "$filter", "Material eq " + literal(material)
                + " and Plant eq " + literal(plant)).map(value(d -> {
                    final List<RequisitionState> out = new ArrayList<>();
                    for (final JsonObject e : results(d)) {
                        final String po = e.getString("PurchasingDocument", "");
                        out.add(new RequisitionState(e.getString("PurchaseRequisition"), e.getString("Material"),
                                decimal(e, "RequestedQuantity"),
                                Boolean.TRUE.equals(e.getValue("IsClosed")) || !po.isEmpty(), po));
                    }
                    return out;
                }));
    }

    /** The order's cost totals over all cost centres (the embedded ERP's {@code ZPLANTMESH_ORDER_COST_SRV}). */
    public Future<ErpAnswer<OrderCostTotals>> readOrderCost(final String order) {
        return get(COSTS + "/OrderCostTotal", "$filter", "OrderID eq " + literal(order)).map(value(d -> {
            double material = 0;
            double machine = 0;
            double scrap = 0;
            double credit = 0;
            double total = 0;
            long postings = 0;
            String currency = "";
            for (final JsonObject e : results(d)) {
                material += decimal(e, "MaterialCost");
                machine += decimal(e, "MachineCost");
                scrap += decimal(e, "ScrapCost");
                credit += decimal(e, "OutputCredit");
                total += decimal(e, "TotalCost");
                postings += (long) decimal(e, "NumberOfPostings");
                currency = e.getString("CompanyCodeCurrency", currency);
            }
            return new OrderCostTotals(order, round2(material), round2(machine), round2(scrap), round2(credit),
                    round2(total), currency, postings);
        }));
    }

    /** The confirmations posted for {@code order}. */
    public Future<ErpAnswer<List<ConfirmationDocument>>> readConfirmations(final String order) {
        return get(CONFIRMATIONS + "/ProdnOrdConf2", "$filter", "OrderID eq " + literal(order)).map(value(d -> {
            final List<ConfirmationDocument> out = new ArrayList<>();
            for (final JsonObject e : results(d)) {
                out.add(confirmation(e));
            }
            return out;
        }));
    }

    /** The material document items posted for {@code order} (all movement types). */
    public Future<ErpAnswer<List<MaterialDocument>>> readOrderMovements(final String order) {
        return get(DOCUMENTS + "/A_MaterialDocumentItem", "$filter", "ManufacturingOrder eq " + literal(order))
                .map(value(d -> {
                    final List<MaterialDocument> out = new ArrayList<>();
                    for (final JsonObject e : results(d)) {
                        out.add(new MaterialDocument(e.getString("MaterialDocumentYear"),
                                e.getString("MaterialDocument"), e.getString("GoodsMovementType"),
                                e.getString("Material"), decimal(e, "QuantityInEntryUnit"),
                                e.getString("EntryUnit")));
                    }
                    return out;
                }));
    }

    /** Maps the value of a successful answer, leaves a failure as it is. */
    private static <T> Function<ErpAnswer<JsonObject>, ErpAnswer<T>> value(final Function<JsonObject, T> f) {
        return answer -> answer.map(f);
    }

    // ---------------------------------------------------------------- values

    /**
     * A confirmation: {@code document} is {@code <ConfirmationGroup>/<ConfirmationCount>}; {@code machineMinutes} the
     * machine time confirmed with it (activity 1, in minutes; 0 if none).
     */
    public record ConfirmationDocument(String document, long yield, long scrap, boolean finalConfirmation,
            double machineMinutes) {
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

    /**
     * An order's costs over all its cost centres, in company code currency; {@code postings} the number of cost
     * postings they sum up.
     */
    public record OrderCostTotals(String order, double materialCost, double machineCost, double scrapCost,
            double outputCredit, double total, String currency, long postings) {
    }

    // ---------------------------------------------------------------- protocol

    private Future<ErpAnswer<JsonObject>> get(final String path, final String... query) {
        final String what = "GET " + path;
        return send(request(HttpMethod.GET, path, query), null)
                .map(response -> classify(what, response))
                .otherwise(failure -> unavailable(what, failure));
    }

    private Future<ErpAnswer<JsonObject>> post(final String service, final String entitySet, final String key,
            final JsonObject body) {
        final String firstSent = IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        return post(service, entitySet, key, body, firstSent, 0);
    }

    private Future<ErpAnswer<JsonObject>> post(final String service, final String entitySet, final String key,
            final JsonObject body, final String firstSent, final int attempt) {
        final String path = service + "/" + entitySet;
        final String what = "POST " + path + " (key " + key + ")";
        if (attempt >= 2) {
            // a first fetch plus one refresh did not give a token the ERP accepts
            return Future.succeededFuture(new ErpAnswer.Unavailable<>(what + ": the ERP refused two CSRF tokens in "
                    + "a row; check the ERP's session handling and the user's authorisation"));
        }
        return token(service).compose(fetched -> {
            if (!(fetched instanceof ErpAnswer.Done<String> done)) {
                return Future.succeededFuture(fetched.map(t -> (JsonObject) null));
            }
            final String token = done.value();
            final HttpRequest<Buffer> request = request(HttpMethod.POST, path)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("x-csrf-token", token)
                    .putHeader("Repeatability-Request-ID", key)
                    .putHeader("Repeatability-First-Sent", firstSent);
            return send(request, Buffer.buffer(body.encode())).compose(response -> {
                final boolean tokenRequired = response.statusCode() == 403
                        && "Required".equalsIgnoreCase(response.getHeader("x-csrf-token"));
                if (tokenRequired) {
                    // the ERP restarted or the session expired: fetch a new token and repeat with the same key
                    tokens.remove(service, token);
                    return post(service, entitySet, key, body, firstSent, attempt + 1);
                }
                return Future.succeededFuture(classify(what, response));
            }, failure -> Future.succeededFuture(unavailable(what, failure)));
        });
    }

    /** The service's CSRF token: cached, or fetched with a GET of the service root. */
    private Future<ErpAnswer<String>> token(final String service) {
        final String cached = tokens.get(service);
        if (cached != null) {
            return Future.succeededFuture(new ErpAnswer.Done<>(cached));
        }
        final String what = "CSRF token fetch at " + service;
        return send(request(HttpMethod.GET, service + "/").putHeader("x-csrf-token", "Fetch"), null)
                .map(response -> {
                    final String token = response.getHeader("x-csrf-token");
                    final boolean usable = response.statusCode() / 100 == 2 && token != null
                            && !"Required".equalsIgnoreCase(token);
                    if (!usable) {
                        return classify(what, response).map(j -> (String) null);
                    }
                    tokens.put(service, token);
                    return (ErpAnswer<String>) new ErpAnswer.Done<>(token);
                })
                .otherwise(failure -> unavailable(what, failure));
    }

    private <T> ErpAnswer<T> unavailable(final String what, final Throwable failure) {
        final String message = failure.getMessage() == null ? "" : " " + failure.getMessage();
        return new ErpAnswer.Unavailable<>(what + ": " + failure.getClass().getSimpleName() + message
                + " (is the ERP at " + base + " running?)");
    }

    private ErpAnswer<JsonObject> classify(final String what, final HttpResponse<Buffer> response) {
        final int status = response.statusCode();
        final String text = response.bodyAsString();
        final JsonObject json = json(text);
        if (status / 100 == 2) {
            if (json == null || !(json.getValue("d") instanceof JsonObject)) {
                return new ErpAnswer.Unavailable<>(what + ": " + status + " without an OData JSON body");
            }
            return new ErpAnswer.Done<>(json.getJsonObject("d"));
        }
        final String code = errorCode(json);
        final String message = errorMessage(json, text);
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

    private HttpRequest<Buffer> request(final HttpMethod method, final String path, final String... query) {
        return http.requestAbs(method, uri(path, query))
                .timeout(timeout.toMillis())
                .putHeader("Accept", "application/json");
    }

    /** Sends with this client's {@code Authorization} (Basic, or the current access token). */
    private Future<HttpResponse<Buffer>> send(final HttpRequest<Buffer> request, final Buffer body) {
        try {
            return authorization.get().compose(value -> {
                request.putHeader("Authorization", value);
                return body == null ? request.send() : request.sendBuffer(body);
            });
        } catch (final RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private String uri(final String path, final String... query) {
        final StringBuilder uri = new StringBuilder(base.toString()).append(path);
        for (int i = 0; i + 1 < query.length; i += 2) {
            uri.append(i == 0 ? '?' : '&').append(query[i]).append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return uri.toString();
    }

    private static ConfirmationDocument confirmation(final JsonObject d) {
        final String unit = d.getString("OpWorkQuantityUnit1", "");
        final double work = decimal(d, "OpConfirmedWorkQuantity1");
        final double minutes = switch (unit.toUpperCase(Locale.ROOT)) {
            case "H", "HUR" -> work * 60;
            case "S", "SEC" -> work / 60;
            default -> work;
        };
        return new ConfirmationDocument(d.getString("ConfirmationGroup") + "/" + d.getString("ConfirmationCount"),
                (long) decimal(d, "ConfirmationYieldQuantity"), (long) decimal(d, "ConfirmationScrapQuantity"),
                "X".equals(d.getString("FinalConfirmationType")) || Boolean.TRUE.equals(d.getValue(
                        "IsFinalConfirmation")), minutes);
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
