package dev.termlet.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Turns a map of maps and lists (Spring's, a parsed JSON) or a Jackson tree into a {@link Node} tree. */
public final class TreeReader {
    private TreeReader() {}

    /**
     * @param map nested maps, lists and values (their {@code toString()} is the text)
     * @param source the tree's name, for messages
     * @return the tree
     */
    public static Node.Obj read(Map<String, ?> map, String source) {
        return (Node.Obj) value(map, source, "");
    }

    private static Node value(Object v, String source, String path) {
        Origin here = Origin.at(source + (path.isEmpty() ? "" : " " + path), 0, 0);
        if (v instanceof Map) {
            Node.Obj obj = new Node.Obj(here);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                String key = String.valueOf(e.getKey());
                String sub = path.isEmpty() ? key : path + "." + key;
                obj.put(key, Origin.at(source + " " + sub, 0, 0), value(e.getValue(), source, sub));
            }
            return obj;
        }
        if (v instanceof List) {
            Node.Seq seq = new Node.Seq(here);
            int i = 0;
            for (Object o : (List<?>) v) {
                seq.items().add(value(o, source, path + "[" + i++ + "]"));
            }
            return seq;
        }
        return new Node.Scalar(v == null ? null : String.valueOf(v), here);
    }

    /**
     * @param tree a Jackson tree whose root is an object
     * @param source the tree's name, for messages
     * @return the tree, or null if the root is no object
     */
    public static Node.Obj read(JsonNode tree, String source) {
        Node n = value(tree, source, "");
        return n instanceof Node.Obj ? (Node.Obj) n : null;
    }

    private static Node value(JsonNode v, String source, String path) {
        Origin here = Origin.at(source + (path.isEmpty() ? "" : " " + path), 0, 0);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return new Node.Scalar(null, here);
        }
        if (v.isObject()) {
            Node.Obj obj = new Node.Obj(here);
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String sub = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                obj.put(e.getKey(), Origin.at(source + " " + sub, 0, 0), value(e.getValue(), source, sub));
            }
            return obj;
        }
        if (v.isArray()) {
            Node.Seq seq = new Node.Seq(here);
            int i = 0;
            for (JsonNode item : v) {
                seq.items().add(value(item, source, path + "[" + i++ + "]"));
            }
            return seq;
        }
        return new Node.Scalar(v.asText(), here);
    }
}
