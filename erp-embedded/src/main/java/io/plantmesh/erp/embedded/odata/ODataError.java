package io.plantmesh.erp.embedded.odata;

import java.util.Objects;

/**
 * A refusal in SAP's OData V2 error shape: HTTP status, a message code ({@code CLASS/NUMBER}, as SAP Gateway reports
 * ABAP messages) and an English text that says what was wrong and what to do. Thrown anywhere in request handling
 * and rendered by {@link ODataJson#error} as {@code {"error": {"code", "message": {"lang", "value"}, "innererror"}}}.
 * <p>
 * Business refusals (stock deficit, unknown material, ...) are 400, as in SAP: they change nothing, and repeating the
 * same request gives the same answer until the data changes.
 */
public final class ODataError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Codes of the PlantMesh embedded ERP's own messages (SAP's message classes are not reproduced). */
    public static final String INVALID_REQUEST = "PLANTMESH/INVALID_REQUEST";
    public static final String INVALID_VALUE = "PLANTMESH/INVALID_VALUE";
    public static final String MISSING_VALUE = "PLANTMESH/MISSING_VALUE";
    public static final String UNKNOWN_MATERIAL = "PLANTMESH/UNKNOWN_MATERIAL";
    public static final String UNSUPPORTED = "PLANTMESH/UNSUPPORTED";
    public static final String NOT_FOUND = "PLANTMESH/RESOURCE_NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "PLANTMESH/METHOD_NOT_ALLOWED";
    public static final String REPEATABILITY = "PLANTMESH/REPEATABILITY";
    public static final String UNAVAILABLE = "PLANTMESH/STORE_UNAVAILABLE";
    public static final String INTERNAL = "PLANTMESH/INTERNAL_ERROR";
    /** SAP inventory management's message for a stock deficit (message class M7, number 021). */
    public static final String STOCK_DEFICIT = "M7/021";

    private final int status;
    private final String code;
    private final String target;

    public ODataError(int status, String code, String message) {
        this(status, code, message, "", null);
    }

    public ODataError(int status, String code, String message, String target, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.target = target == null ? "" : target;
    }

    /** 400 with a PlantMesh code: the request cannot be executed as sent. */
    public static ODataError badRequest(String code, String message) {
        return new ODataError(400, code, message);
    }

    /** 400 for a property of the request: what was wrong with it and what to send instead. */
    public static ODataError invalid(String property, String message) {
        return new ODataError(400, INVALID_VALUE, message, property, null);
    }

    /** 400 for a property the request must carry. */
    public static ODataError missing(String property, String entityType) {
        return new ODataError(400, MISSING_VALUE, "Property " + property + " is required in " + entityType
            + "; send it in the request body.", property, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The property the message refers to, or empty. */
    public String target() {
        return target;
    }
}
