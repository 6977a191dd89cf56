package dev.termlet.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.List;

/**
 * Reads YAML into a {@link Node} tree that keeps the line and column of every key and value. Anchors and aliases,
 * tags and several documents are refused: a configuration is one plain document.
 */
public final class YamlReader {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private YamlReader() {}

    /**
     * Reads a document.
     *
     * @param text the YAML
     * @param source the file name, for origins
     * @param problems where problems go
     * @return the root map, empty for an empty document, or null if the text could not be read (a problem says why)
     */
    public static Node.Obj read(String text, String source, List<Problem> problems) {
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Node.Obj(Origin.at(source, 1, 1));
            }
            Node root = value(p, source, problems, "");
            if (p.nextToken() != null) {
                problems.add(new Problem("", at(p.currentTokenLocation(), source),
                        "the file holds more than one YAML document", "keep one document: remove the '---' line"));
            }
            if (!(root instanceof Node.Obj)) {
                problems.add(new Problem("", root.origin(), "the top level is " + root.kind() + ", not a map of keys",
                        "start with keys such as 'listeners:' or 'data-dir:'"));
                return null;
            }
            return (Node.Obj) root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            problems.add(new Problem("", l == null ? Origin.at(source, 0, 0) : at(l, source),
                    "it is not valid YAML: " + e.getOriginalMessage(), "fix the YAML syntax at that place"));
            return null;
        } catch (IOException e) {
            problems.add(new Problem("", Origin.at(source, 0, 0), "cannot read it: " + e.getMessage(),
                    "check the file"));
            return null;
        }
    }

    private static Origin at(JsonLocation l, String source) {
        return Origin.at(source, l.getLineNr(), l.getColumnNr());
    }

    private static Node value(JsonParser p, String source, List<Problem> problems, String path) throws IOException {
        Origin here = at(p.currentTokenLocation(), source);
        if (p.getTypeId() != null || p.getObjectId() != null) {
            problems.add(new Problem(path, here, "YAML tags and anchors are not supported here",
                    "write the value out in full"));
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Node.Obj obj = new Node.Obj(here);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Origin keyAt = at(p.currentTokenLocation(), source);
                    p.nextToken();
                    String sub = path.isEmpty() ? key : path + "." + key;
                    Node v = value(p, source, problems, sub);
                    if (obj.entries().containsKey(key)) {
                        problems.add(new Problem(sub, keyAt, "'" + key + "' is written twice (first at line "
                                + obj.keyOrigin(key).line() + ")", "keep one of them"));
                    }
                    obj.put(key, keyAt, v);
                }
                return obj;
            }
            case START_ARRAY: {
                Node.Seq seq = new Node.Seq(here);
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    seq.items().add(value(p, source, problems, path + "[" + i++ + "]"));
                }
                return seq;
            }
            case VALUE_NULL:
                return new Node.Scalar(null, here);
            default:
                // Jackson gives an alias (*name) as a string of its name, without the *
                if (p instanceof YAMLParser && ((YAMLParser) p).isCurrentAlias()) {
                    problems.add(new Problem(path, here, "YAML aliases are not supported", "write the value out"));
                    return new Node.Scalar(null, here);
                }
                return new Node.Scalar(p.getText(), here);
        }
    }
}
