package io.plantmesh.erp.bridge.erp;

import java.util.function.Function;

/**
 * How the ERP answered a request, classified by HTTP status as {@code docs/erp-api.md} prescribes: the value
 * ({@link Done}), a business refusal where nothing was posted ({@link Rejected}: 4xx with SAP's message), or no
 * reliable answer ({@link Unavailable}: connection errors, timeouts, 5xx, 401/403/408/429; retry later with the same
 * repeatability id).
 *
 * @param <T> the value of a successful answer
 */
public sealed interface ErpAnswer<T> {

    /** The ERP did what was asked (for a repeated key: it answered with the original document). */
    record Done<T>(T value) implements ErpAnswer<T> {
    }

    /**
     * The ERP refused the request for business or content reasons; nothing was posted.
     *
     * @param status the HTTP status
     * @param code SAP's message code, e.g. {@code M7/021}; empty if the body had none
     * @param message SAP's message text
     */
    record Rejected<T>(int status, String code, String message) implements ErpAnswer<T> {

        /** {@code <status> <code>: <message>}. */
        public String describe() {
            return status + (code.isEmpty() ? "" : " " + code) + ": " + message;
        }
    }

    /** The ERP could not be reached or could not confirm; {@code reason} says what happened. */
    record Unavailable<T>(String reason) implements ErpAnswer<T> {
    }

    /** The same answer with its value mapped. */
    default <U> ErpAnswer<U> map(final Function<T, U> f) {
        if (this instanceof Done<T> done) {
            return new Done<>(f.apply(done.value()));
        }
        if (this instanceof Rejected<T> r) {
            return new Rejected<>(r.status(), r.code(), r.message());
        }
        return new Unavailable<>(((Unavailable<T>) this).reason());
    }

    /** The value, or throws {@link IllegalStateException} describing the failure. */
    default T orElseThrow() {
        if (this instanceof Done<T> done) {
            return done.value();
        }
        throw new IllegalStateException("ERP answer was not a success: " + this);
    }
}
