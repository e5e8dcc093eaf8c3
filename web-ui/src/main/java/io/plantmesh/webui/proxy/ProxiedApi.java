package io.plantmesh.webui.proxy;

/**
 * The APIs the page calls through the web UI server, each under the path it has on its own server, so that the page's
 * requests look the same whether they go through the proxy or (with CORS) straight to the API.
 */
public enum ProxiedApi {
    /** Eclipse Ditto's HTTP API v2 (and its SSE). */
    TWIN("twin API", "/api/2", "Start PlantMesh (./plantmesh up) or point the web UI at the running twin API."),
    /** PlantMesh's MES API. */
    MES("MES API", "/api/mes/v1", "Start PlantMesh with its MES (./plantmesh up without --no-mes) or point the web UI"
            + " at the running MES API."),
    /** The ERP's OData V2 services in SAP S/4HANA's shapes. */
    ERP("ERP API", "/sap/opu/odata/sap", "Start PlantMesh with its ERP (./plantmesh up without --no-erp) or point the"
            + " web UI at the running ERP.");

    private final String title;
    private final String browserBase;
    private final String startAdvice;

    ProxiedApi(final String title, final String browserBase, final String startAdvice) {
        this.title = title;
        this.browserBase = browserBase;
        this.startAdvice = startAdvice;
    }

    /** For messages, e.g. "twin API". */
    public String title() {
        return title;
    }

    /** The path prefix the page calls on the web UI server, e.g. {@code /api/2}. */
    public String browserBase() {
        return browserBase;
    }

    /** What to do when it cannot be reached. */
    String startAdvice() {
        return startAdvice;
    }
}
