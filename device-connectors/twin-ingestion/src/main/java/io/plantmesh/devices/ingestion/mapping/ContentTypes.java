package io.plantmesh.devices.ingestion.mapping;

import java.util.Locale;

/** The content types the ingestion understands (preamble contract 3 and Hono's well-known event types). */
public final class ContentTypes {

    public static final String DITTO_PROTOCOL = "application/vnd.eclipse.ditto+json";
    public static final String MACHINE = "application/vnd.plantmesh.machine+json";
    /** An edge gateway's report about itself (buffer, OPC-UA sessions); same shape as a machine payload. */
    public static final String GATEWAY = "application/vnd.plantmesh.gateway+json";
    public static final String ALARM = "application/vnd.plantmesh.alarm+json";
    public static final String HONO_EMPTY_NOTIFICATION = "application/vnd.eclipse-hono-empty-notification";
    public static final String HONO_CONNECTION_EVENT = "application/vnd.eclipse-hono-dc-notification+json";

    private ContentTypes() {
    }

    /** The media type without parameters, lower case: {@code Application/JSON; charset=utf-8} → {@code application/json}. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String bare = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return bare.strip().toLowerCase(Locale.ROOT);
    }
}
