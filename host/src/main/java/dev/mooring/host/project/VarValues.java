package dev.mooring.host.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts var values read from a configuration file or an upload's JSON bindings, so that both
 * sources give a script the same values.
 */
public final class VarValues {

    private VarValues() {
    }

    /** Converts a var's value to the plain, unmodifiable Java value that {@link Project#vars()} documents. */
    public static Object fromJson(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            // The TOML parser reads floats as BigDecimal; a JS number is a double either way.
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(fromJson(element)));
            return Collections.unmodifiableList(list);
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(entry -> map.put(entry.getKey(), fromJson(entry.getValue())));
            return Collections.unmodifiableMap(map);
        }
        // Binary and POJO nodes do not come out of the TOML and JSON parsers configured here.
        return node.asText();
    }
}
