package io.plantmesh.erp.embedded.engine;

import io.plantmesh.erp.embedded.odata.Repeatability;

/**
 * A change to the ERP's books, executed by the {@link PostingEngine} one at a time on the head state.
 * <p>
 * Contract of {@link #execute}: check everything first and throw {@link io.plantmesh.erp.embedded.odata.ODataError}
 * (nothing changed) if the posting is refused; only then change the state and add the resulting documents to the
 * context. Return null if there is nothing to post.
 */
public interface ErpCommand {

    /** The service and entity set posted to, e.g. {@code API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader}. */
    String resource();

    /** The repeatability headers of the request, or null. */
    Repeatability repeatability();

    /** Validates, changes the head state and records the writes; the response, or null for nothing to do. */
    Posted execute(PostingContext context);
}
