package io.plantmesh.twin.model;

/**
 * A Ditto thing cannot be read as a typed twin: wrong definition, or a modelled value is missing or has the wrong
 * type. The message names the JSON pointer of the offending value.
 */
public final class TwinFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TwinFormatException(final String message) {
        super(message);
    }
}
