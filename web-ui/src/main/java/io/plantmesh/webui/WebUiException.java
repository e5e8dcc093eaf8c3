package io.plantmesh.webui;

/** The web UI server could not start; the message says why and what to do. */
public final class WebUiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WebUiException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
