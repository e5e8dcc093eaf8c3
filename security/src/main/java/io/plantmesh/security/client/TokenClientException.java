package io.plantmesh.security.client;

/** No access token could be obtained; the message names the endpoint, the client and what to check. */
public final class TokenClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenClientException(String message) {
        super(message);
    }

    public TokenClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
