package io.plantmesh.erp.embedded.odata;

import java.util.List;

import io.vertx.core.Future;

/**
 * One SAP OData service served by the gateway under {@code /sap/opu/odata/sap/<name>/}. Implementations answer on
 * any thread; a failure with {@link ODataError} becomes SAP's error body with its status.
 */
public interface ODataService {

    /** The service name, e.g. {@code API_MATERIAL_DOCUMENT_SRV}. */
    String name();

    /** The entity sets it serves (listed in the service document). */
    List<EntitySet> entitySets();

    /** Answers a GET of an entity set, an entity, or an entity's navigation property. */
    Future<ODataResponse> read(ODataRequest request);

    /** Answers a POST to an entity set (create, with deep insert where SAP offers it). */
    Future<ODataResponse> create(ODataRequest request);
}
