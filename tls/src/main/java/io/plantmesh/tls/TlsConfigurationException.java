package io.plantmesh.tls;

/**
 * A TLS file or setting that cannot be used: the message names the file or setting, what is wrong with it and what
 * to do about it (for example "run plantmesh certs").
 */
public final class TlsConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TlsConfigurationException(final String message) {
        super(message);
    }

    public TlsConfigurationException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
