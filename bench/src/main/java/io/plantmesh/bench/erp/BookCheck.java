package io.plantmesh.bench.erp;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * After the bridge phases: the ERP's books of the bench plant (read over OData) against what the twins recorded (as
 * the last twin event of each order showed it): every document once, nothing missed.
 *
 * @param erpMovementItems material document items of the plant in the ERP, without the initial stock (561)
 * @param twinMovements goods movements recorded on the order twins
 * @param erpConfirmations confirmations of the plant in the ERP
 * @param twinConfirmations confirmations recorded on the order twins
 * @param erpReceived pieces received (101) in the ERP
 * @param twinGood good pieces the order twins report
 * @param orders orders seen by the event subscriber
 */
record BookCheck(long erpMovementItems, long twinMovements, long erpConfirmations, long twinConfirmations,
        double erpReceived, double twinGood, int orders) {

    boolean exact() {
        return erpMovementItems == twinMovements && erpConfirmations == twinConfirmations
                && Math.abs(erpReceived - twinGood) < 1e-6;
    }

    String summary() {
        return String.format(Locale.ROOT, "%s: %d orders; movement items ERP %d / twins %d; confirmations ERP %d / "
                        + "twins %d; received ERP %.0f / good on twins %.0f", exact() ? "exact" : "MISMATCH", orders,
                erpMovementItems, twinMovements, erpConfirmations, twinConfirmations, erpReceived, twinGood);
    }

    static BookCheck of(ErpBenchPlant plant, ErpEventWatcher watcher, String plantCode) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((plant.erpUser() + ":" + plant.erpPassword())
                .getBytes(StandardCharsets.UTF_8));
        String quoted = "'" + plantCode + "'";
        long items = count(http, auth, plant, "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem",
                "Plant eq " + quoted);
        long initial = count(http, auth, plant, "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem",
                "Plant eq " + quoted + " and GoodsMovementType eq '561'");
        long confirmations = count(http, auth, plant, "API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2",
                "Plant eq " + quoted);
        JsonArray receipts = get(http, auth, plant, "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem",
                "$filter=" + encode("Plant eq " + quoted + " and GoodsMovementType eq '101'"))
                .getJsonObject("d").getJsonArray("results");
        double received = 0;
        for (int i = 0; i < receipts.size(); i++) {
            received += Double.parseDouble(receipts.getJsonObject(i).getString("QuantityInEntryUnit"));
        }
        long twinMovements = 0;
        long twinConfirmations = 0;
        double good = 0;
        int orders = 0;
        for (ErpEventWatcher.OrderRecord r : watcher.orders().values()) {
            orders++;
            twinMovements += r.movements();
            twinConfirmations += r.confirmations();
            good += r.good();
        }
        return new BookCheck(items - initial, twinMovements, confirmations, twinConfirmations, received, good,
                orders);
    }

    private static long count(HttpClient http, String auth, ErpBenchPlant plant, String set, String filter)
            throws Exception {
        JsonObject d = get(http, auth, plant, set, "$filter=" + encode(filter) + "&$inlinecount=allpages&$top=1")
                .getJsonObject("d");
        return Long.parseLong(d.getString("__count"));
    }

    private static JsonObject get(HttpClient http, String auth, ErpBenchPlant plant, String set, String query)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(plant.erpBase() + set + "?" + query))
                .timeout(Duration.ofSeconds(120)).header("Authorization", auth).header("Accept", "application/json")
                .GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("reading " + set + " from the ERP failed: " + response.statusCode() + " "
                    + response.body());
        }
        return new JsonObject(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
