package io.plantmesh.erp.embedded;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.plantmesh.erp.embedded.engine.ErpSettings;
import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.PostingEngine;
import io.plantmesh.erp.embedded.finance.OrderCostLedger;
import io.plantmesh.erp.embedded.finance.OrderCostService;
import io.plantmesh.erp.embedded.masterdata.MasterDataApi;
import io.plantmesh.erp.embedded.masterdata.MasterDataUpdate;
import io.plantmesh.erp.embedded.odata.CsrfTokens;
import io.plantmesh.erp.embedded.odata.ErpTokenAccess;
import io.plantmesh.erp.embedded.odata.ODataGateway;
import io.plantmesh.erp.embedded.odata.ODataService;
import io.plantmesh.erp.embedded.odata.RequestGuard;
import io.plantmesh.erp.embedded.procurement.PurchaseRequisitionService;
import io.plantmesh.erp.embedded.procurement.ReceiptScheduler;
import io.plantmesh.erp.embedded.production.ConfirmationService;
import io.plantmesh.erp.embedded.stock.MaterialDocumentService;
import io.plantmesh.erp.embedded.stock.MaterialStockService;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.ServerCredentials;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The embedded footprint's ERP: the seed paper's three ERP modules, stock control (material documents, stock per
 * material, plant and storage location), procurement (purchase requisitions, received after a lead time) and finance
 * (cost per order and cost centre), served as the subset of SAP S/4HANA's public OData V2 APIs that PlantMesh's ERP
 * bridge uses (see docs/erp-api.md), so the bridge talks to this and to a real S/4HANA alike.
 * <ul>
 *   <li>{@code API_MATERIAL_DOCUMENT_SRV}, {@code API_MATERIAL_STOCK_SRV}, {@code API_PROD_ORDER_CONFIRMATION_2_SRV},
 *       {@code API_PURCHASEREQ_PROCESS_SRV} under {@code /sap/opu/odata/sap/}, plus the PlantMesh-specific
 *       {@code ZPLANTMESH_ORDER_COST_SRV} and {@code /plantmesh/erp/admin};</li>
 *   <li>Basic authentication, CSRF tokens, and {@code Repeatability-Request-ID} on every POST: a repeat returns the
 *       original response and posts nothing;</li>
 *   <li>books in MongoDB (database {@link ErpConfig#database()}), committed through a journal so that a crash never
 *       leaves half a posting.</li>
 * </ul>
 * {@link #create} returns an ERP that is not running; {@link #start} runs it and returns it; {@link #close} stops it.
 * Start failures clean up after themselves.
 */
public final class EmbeddedErp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedErp.class);
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final String SEED_USER = "PLANTMESH_SEED";

    private final ErpConfig config;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private MongoClient mongo;
    private ErpStore store;
    private PostingEngine engine;
    private ReceiptScheduler receipts;
    private HttpServer server;
    private URI baseUri;
    private boolean started;
    private ErpTokenAccess tokenAccess;
    private boolean closed;
    private ListenerTls tls;

    private EmbeddedErp(ErpConfig config, Vertx vertx, boolean ownsVertx) {
        this.config = config;
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
    }

    /** An ERP on its own Vert.x instance (closed with the ERP); not running yet. */
    public static EmbeddedErp create(ErpConfig config) {
        return new EmbeddedErp(Objects.requireNonNull(config, "config"), Vertx.vertx(), true);
    }

    /** An ERP on the caller's Vert.x instance (the caller closes it after the ERP); not running yet. */
    public static EmbeddedErp create(ErpConfig config, Vertx vertx) {
        return new EmbeddedErp(Objects.requireNonNull(config, "config"), Objects.requireNonNull(vertx, "vertx"),
            false);
    }

    /**
     * Serves the OData API over https with these PEM files instead of http (checked when it starts; a missing or
     * mismatched file stops the start with a message naming it). Call before {@link #start}; null for plain http.
     *
     * @return this ERP
     */
    public synchronized EmbeddedErp serveTls(ListenerTls listenerTls) {
        if (started) {
            throw new IllegalStateException("TLS must be set before the embedded ERP starts");
        }
        this.tls = listenerTls;
        return this;
    }

    /**
     * Connects to MongoDB, completes any posting an earlier run left half-done, loads the books, creates the
     * configured master data (and books initial stock once), listens on the configured host and port, and logs its
     * URL. Blocks until it serves; call it off any event loop. If it fails, everything started is stopped again.
     *
     * @return this ERP
     * @throws IllegalStateException saying what failed and what to do
     */
    public synchronized EmbeddedErp start() {
        if (closed) {
            throw new IllegalStateException("This embedded ERP was closed; create a new one.");
        }
        if (started) {
            return this;
        }
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("EmbeddedErp.start blocks until the ERP serves; call it off the event "
                + "loop (e.g. from the launcher's thread or executeBlocking).");
        }
        started = true;
        try {
            startServices();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("ERP        {}   (embedded ERP: SAP S/4HANA OData API subset; MongoDB database {}; {})",
            baseUri, config.database(), tokenAccess == null ? "user " + config.user() : tokenAccess);
        return this;
    }

    private void startServices() {
        MongoClientSettings settings = MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(config.mongoUri()))
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
            .build();
        mongo = MongoClients.create(settings);
        store = new ErpStore(mongo.getDatabase(config.database()), OrderCostLedger::plus);
        try {
            engine = PostingEngine.start(store, new ErpSettings(config.companyCode(), config.currency(),
                config.defaultCostCenter(), config.defaultMachineRatePerHour(), config.receiptLeadTime()),
                config.clock());
        } catch (RuntimeException e) {
            throw new IllegalStateException("The embedded ERP cannot read its books from MongoDB at "
                + config.mongoUri() + " (database " + config.database() + "): " + e.getMessage()
                + ". Start MongoDB (or the embedded store) first, or correct the connection string.", e);
        }
        CsrfTokens tokens = new CsrfTokens();
        RequestGuard guard = new RequestGuard(config.user(), config.password(), tokens, config.csrfProtection(),
            tokenAccess);
        MasterDataApi admin = new MasterDataApi(vertx, store, engine, guard, config.clock());
        seedMasterData(admin);

        List<ODataService> services = new ArrayList<>();
        services.add(new MaterialDocumentService(vertx, store, engine, config.requireRepeatability()));
        services.add(new MaterialStockService(vertx, store));
        services.add(new ConfirmationService(vertx, store, engine, config.requireRepeatability()));
        services.add(new PurchaseRequisitionService(vertx, store, engine, config.requireRepeatability()));
        services.add(new OrderCostService(vertx, store));
        Router router = Router.router(vertx);
        new ODataGateway(services, guard, config.clock()).mount(router);
        admin.mount(router);

        HttpServerOptions serverOptions = new HttpServerOptions();
        if (tls != null) {
            ServerCredentials credentials = tls.load("the embedded ERP");
            credentials.applyTo(serverOptions);
            credentials.warnIfNotCovering(config.host(), "the embedded ERP");
        }
        HttpServer created = vertx.createHttpServer(serverOptions).requestHandler(router);
        try {
            server = created.listen(config.port(), config.host()).toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            created.close();
            throw new IllegalStateException("The embedded ERP cannot listen on " + config.host() + ":"
                + config.port() + ": " + (e.getCause() == null ? e : e.getCause())
                + ". Choose another port (PLANTMESH_ERP_PORT) or stop what uses this one.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            created.close();
            throw new IllegalStateException("Interrupted while starting the embedded ERP", e);
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        baseUri = URI.create(ListenerTls.scheme("http", tls) + "://" + host + ":" + server.actualPort()
            + ODataGateway.BASE_PATH);
        receipts = ReceiptScheduler.start(vertx, engine, config.receiptCheckInterval());
    }

    private void seedMasterData(MasterDataApi admin) {
        try {
            engine.submit(new MasterDataUpdate(config.materials(), config.workCenters()), SEED_USER)
                .thenCompose(done -> admin.bookInitialStock(config.materials(), SEED_USER))
                .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("The embedded ERP cannot store its configured master data and initial "
                + "stock: " + cause.getMessage() + ". Check ErpConfig materials and work centres and MongoDB.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while storing the embedded ERP's master data", e);
        }
    }

    /**
     * Requires OpenID Connect access tokens and realm roles (see {@link ErpTokenAccess}) instead of the technical
     * Basic user; call before {@link #start()}. Without it the ERP keeps its Basic authentication.
     */
    public synchronized EmbeddedErp requireTokens(ErpTokenAccess access) {
        if (started) {
            throw new IllegalStateException("Configure tokens before the embedded ERP starts.");
        }
        tokenAccess = Objects.requireNonNull(access, "access");
        return this;
    }

    /** The gateway base, {@code http://host:port/sap/opu/odata/sap/}; services are below it. Only once started. */
    public synchronized URI baseUri() {
        if (baseUri == null) {
            throw new IllegalStateException("The embedded ERP is not started.");
        }
        return baseUri;
    }

    /** The root of one service, e.g. {@code serviceUri("API_MATERIAL_DOCUMENT_SRV")}. Only once started. */
    public URI serviceUri(String service) {
        return baseUri().resolve(service + "/");
    }

    /** The port it listens on. Only once started. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The embedded ERP is not started.");
        }
        return server.actualPort();
    }

    public ErpConfig config() {
        return config;
    }

    /** Tests only: runs after a batch of postings is committed to the journal and before it is applied. */
    synchronized void faultAfterCommitForTests(Runnable fault) {
        if (engine == null) {
            throw new IllegalStateException("The embedded ERP is not started.");
        }
        engine.setFaultAfterCommitForTests(fault);
    }

    /** Stops serving, lets the posting in hand finish, and disconnects from MongoDB. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (receipts != null) {
            receipts.close();
        }
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        }
        if (engine != null) {
            engine.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (ownsVertx) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        }
        if (baseUri != null) {
            LOG.info("ERP {} stopped", baseUri);
        }
    }
}
