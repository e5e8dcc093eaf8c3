package io.plantmesh.twin.model.validation;

/**
 * One way a thing breaks its Thing Model.
 *
 * @param path JSON pointer into the thing, e.g. {@code /features/state/properties/state}
 * @param message what is wrong, naming the expected and the actual value
 */
public record ModelViolation(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
