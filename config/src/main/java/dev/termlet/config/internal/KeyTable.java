package dev.termlet.config.internal;

import dev.termlet.config.ConfigKey;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/** The reference of every key, as a Markdown table made from the model: key, type, default, meaning. */
public final class KeyTable {
    private KeyTable() {}

    /**
     * @param model the root record type
     * @return the table, one line per key, ending with a line break
     */
    public static String render(Class<? extends Record> model) {
        StringBuilder sb = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
        rows(model, "", sb);
        return sb.toString();
    }

    private static void rows(Class<?> record, String prefix, StringBuilder sb) {
        for (RecordComponent c : record.getRecordComponents()) {
            ConfigKey key = c.getAnnotation(ConfigKey.class);
            String path = prefix + Names.kebab(c.getName());
            Type type = c.getGenericType();
            Class<?> raw = type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType()
                    : (Class<?>) type;
            if (raw.isRecord()) {
                rows(raw, path + ".", sb);
                continue;
            }
            String described = Binder.describe(type, key);
            Type item = raw == List.class ? ((ParameterizedType) type).getActualTypeArguments()[0] : null;
            boolean recordItems = item instanceof Class && ((Class<?>) item).isRecord();
            if (recordItems) {
                described = "a list of maps";
            }
            sb.append("| `").append(path).append(raw == Map.class ? ".NAME" : "").append("` | ")
                    .append(cell(raw == Map.class ? described.replace("a map of names to ", "") : described))
                    .append(" | ").append(dflt(key, raw)).append(" | ").append(cell(key.value()))
                    .append(key.mayHoldSecret() || type == dev.termlet.config.Secret.class
                            ? "; may be `${env:NAME}` or `${file:/path}`" : "")
                    .append(" |\n");
            if (recordItems) {
                rows((Class<?>) item, path + "[].", sb);
            }
        }
    }

    private static String dflt(ConfigKey key, Class<?> raw) {
        if (ConfigKey.UNSET.equals(key.dflt())) {
            return "—";
        }
        String d = key.dflt();
        if (raw == String.class && (d.isEmpty() || !d.strip().equals(d) || d.contains(":") || d.startsWith(">"))) {
            return "`\"" + d + "\"`";
        }
        return "`" + d.replace("|", "\\|") + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
