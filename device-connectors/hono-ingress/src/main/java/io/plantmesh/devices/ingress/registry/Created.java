package io.plantmesh.devices.ingress.registry;

/**
 * The outcome of creating a registry resource.
 *
 * @param id the id of the new resource (given or generated)
 * @param version its resource version (ETag)
 */
public record Created(String id, String version) {
}
