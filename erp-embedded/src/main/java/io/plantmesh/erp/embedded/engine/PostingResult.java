package io.plantmesh.erp.embedded.engine;

/**
 * The outcome of a submitted command.
 *
 * @param posted the response (of the original posting, if {@code replayed}); null if there was nothing to post
 * @param replayed whether the request id had been executed before and {@code posted} is that execution's response
 */
public record PostingResult(Posted posted, boolean replayed) {
}
