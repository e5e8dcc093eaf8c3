package io.plantmesh.helm;

import java.util.LinkedHashMap;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Helm's way of layering values files: maps merge key by key, anything else (lists too) is replaced. */
final class ValuesMerge {

    private ValuesMerge() {
    }

    static String merge(final String base, final String overlay) {
        final Load load = new Load(LoadSettings.builder().build());
        final Object merged = merge(load.loadFromString(base), load.loadFromString(overlay));
        return new Dump(DumpSettings.builder().build()).dumpToString(merged);
    }

    @SuppressWarnings("unchecked")
    static Object merge(final Object base, final Object overlay) {
        if (overlay == null) {
            return base;
        }
        if (base instanceof Map<?, ?> baseMap && overlay instanceof Map<?, ?> overlayMap) {
            final Map<Object, Object> result = new LinkedHashMap<>((Map<Object, Object>) baseMap);
            overlayMap.forEach((key, value) -> result.put(key, merge(result.get(key), value)));
            return result;
        }
        return overlay;
    }

    /** A YAML (or JSON) document as plain maps and lists. */
    static Object parse(final String yaml) {
        return new Load(LoadSettings.builder().build()).loadFromString(yaml);
    }
}
