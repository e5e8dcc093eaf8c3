package io.plantmesh.erp.embedded.odata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the gateway needs to know of one entity set of an SAP API: its service, name and entity type (for
 * {@code __metadata.type}), key properties in URI order, the properties a {@code $filter} may name, and its
 * navigation properties with the entity set each leads to.
 *
 * @param service the OData service, e.g. {@code API_MATERIAL_DOCUMENT_SRV}
 * @param name the entity set, e.g. {@code A_MaterialDocumentHeader}
 * @param type the entity type, e.g. {@code A_MaterialDocumentHeaderType}
 * @param keys key properties, in the order SAP writes them in an entity's URI
 * @param properties every property of the type that PlantMesh serves (keys included)
 * @param navigations navigation property to target entity set name
 */
public record EntitySet(String service, String name, String type, List<String> keys, Set<String> properties,
        Map<String, String> navigations) {

    public EntitySet {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        keys = List.copyOf(keys);
        properties = Set.copyOf(properties);
        navigations = Map.copyOf(new LinkedHashMap<>(navigations));
    }

    /** {@code API_..._SRV.<type>}, SAP's value of {@code __metadata.type}. */
    public String qualifiedType() {
        return service + "." + type;
    }

    /** Whether the type has this property (structural, not navigation). */
    public boolean hasProperty(String property) {
        return properties.contains(property);
    }

    /**
     * The entity's URI relative to the gateway's base ({@code .../sap/opu/odata/sap/}), e.g.
     * {@code API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader(MaterialDocumentYear='2026',MaterialDocument='4900000001')}.
     */
    public String relativeUri(Map<String, String> keyValues) {
        StringBuilder uri = new StringBuilder(service).append('/').append(name).append('(');
        boolean single = keys.size() == 1;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (i > 0) {
                uri.append(',');
            }
            if (!single) {
                uri.append(key).append('=');
            }
            String value = keyValues.getOrDefault(key, "");
            uri.append('\'').append(value.replace("'", "''")).append('\'');
        }
        return uri.append(')').toString();
    }
}
