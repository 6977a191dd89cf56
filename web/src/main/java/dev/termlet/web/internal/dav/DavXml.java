package dev.termlet.web.internal.dav;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * WebDAV's XML: request bodies read with a bound and parsed namespace-aware by the JDK's DOM parser with DTDs,
 * external entities and XInclude all off (a document with a {@code DOCTYPE} is refused, so no entity is ever
 * expanded); and the text of answers, escaped by hand, with {@code D} bound to {@code DAV:}.
 */
final class DavXml {
    /** The WebDAV namespace. */
    static final String DAV = "DAV:";
    /** The most bytes of an XML request body. */
    static final int MAX_BODY = 1 << 20;
    private static final String XMLNS = XMLConstants.XMLNS_ATTRIBUTE_NS_URI;
    private static final DocumentBuilderFactory FACTORY = factory();

    private DavXml() {}

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setValidating(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be made safe", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** A request body that is too large or not well-formed XML. */
    static final class BadXml extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadXml(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Reads a request body of at most {@link #MAX_BODY} bytes.
     *
     * @param in the body
     * @return its bytes (empty when there is none)
     * @throws BadXml 413 when it is larger
     */
    static byte[] read(InputStream in) throws IOException, BadXml {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw new BadXml(413, "the request body is larger than " + MAX_BODY + " bytes");
        }
        return b;
    }

    /**
     * Parses a body.
     *
     * @param body the bytes
     * @return the document element
     * @throws BadXml 400 when it is not well-formed, namespace-correct XML without a DTD
     */
    static Element parse(byte[] body) throws BadXml {
        try {
            DocumentBuilder b = FACTORY.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // not a reason to refuse
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            Document d = b.parse(new ByteArrayInputStream(body));
            return d.getDocumentElement();
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new BadXml(400, "the body is not well-formed XML (or has a DTD)");
        }
    }

    /** @return whether an element is {@code DAV:name} */
    static boolean is(Node n, String name) {
        return n instanceof Element && DAV.equals(n.getNamespaceURI()) && name.equals(n.getLocalName());
    }

    /** @return the child elements of an element */
    static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element) {
                out.add((Element) l.item(i));
            }
        }
        return out;
    }

    /** @return the first child {@code DAV:name}, or null */
    static Element child(Element e, String name) {
        for (Element c : children(e)) {
            if (is(c, name)) {
                return c;
            }
        }
        return null;
    }

    /** @return the name of an element in Clark notation, {@code {namespace}local} */
    static String key(Element e) {
        String ns = e.getNamespaceURI();
        return "{" + (ns == null ? "" : ns) + "}" + e.getLocalName();
    }

    /** @return the namespace of a Clark name */
    static String namespace(String key) {
        return key.substring(1, key.lastIndexOf('}'));
    }

    /** @return the local name of a Clark name */
    static String local(String key) {
        return key.substring(key.lastIndexOf('}') + 1);
    }

    /**
     * Writes an empty element for a Clark name, declaring its namespace on it.
     *
     * @param key the name
     * @return the XML
     */
    static String empty(String key) {
        String ns = namespace(key);
        if (ns.equals(DAV)) {
            return "<D:" + local(key) + "/>";
        }
        return ns.isEmpty() ? "<" + local(key) + " xmlns=\"\"/>"
                : "<R:" + local(key) + " xmlns:R=\"" + escape(ns) + "\"/>";
    }

    /**
     * Serialises an element and what it holds as XML that stands alone: every namespace it uses is declared in it,
     * so it can be stored and later put into any answer.
     *
     * @param e the element
     * @return the XML
     */
    static String standalone(Element e) {
        StringBuilder sb = new StringBuilder();
        write(e, sb, new HashMap<>());
        return sb.toString();
    }

    private static void write(Element e, StringBuilder sb, Map<String, String> scope) {
        Map<String, String> local = new HashMap<>(scope);
        StringBuilder decls = new StringBuilder();
        String prefix = e.getPrefix() == null ? "" : e.getPrefix();
        String ns = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
        if (!ns.equals(local.getOrDefault(prefix, ""))) {
            decls.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("=\"").append(escape(ns))
                    .append('"');
            local.put(prefix, ns);
        }
        String qname = prefix.isEmpty() ? e.getLocalName() : prefix + ":" + e.getLocalName();
        sb.append('<').append(qname);
        StringBuilder attrs = new StringBuilder();
        NamedNodeMap as = e.getAttributes();
        int generated = 0;
        for (int i = 0; i < as.getLength(); i++) {
            Attr a = (Attr) as.item(i);
            String ans = a.getNamespaceURI();
            if (XMLNS.equals(ans)) {
                continue; // declarations are made as needed
            }
            String name = a.getLocalName() == null ? a.getName() : a.getLocalName();
            if (ans == null || ans.isEmpty()) {
                attrs.append(' ').append(name);
            } else if (XMLConstants.XML_NS_URI.equals(ans)) {
                attrs.append(" xml:").append(name);
            } else {
                String ap = a.getPrefix();
                if (ap == null || ap.isEmpty() || (local.containsKey(ap) && !ans.equals(local.get(ap)))) {
                    ap = "a" + (generated++);
                }
                if (!ans.equals(local.get(ap))) {
                    decls.append(" xmlns:").append(ap).append("=\"").append(escape(ans)).append('"');
                    local.put(ap, ans);
                }
                attrs.append(' ').append(ap).append(':').append(name);
            }
            attrs.append("=\"").append(escape(a.getValue())).append('"');
        }
        sb.append(decls).append(attrs);
        NodeList kids = e.getChildNodes();
        if (kids.getLength() == 0) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        for (int i = 0; i < kids.getLength(); i++) {
            Node k = kids.item(i);
            if (k instanceof Element) {
                write((Element) k, sb, local);
            } else if (k.getNodeType() == Node.TEXT_NODE || k.getNodeType() == Node.CDATA_SECTION_NODE) {
                sb.append(escape(k.getNodeValue()));
            }
        }
        sb.append("</").append(qname).append('>');
    }

    /**
     * Escapes text for an XML element or attribute; a character XML 1.0 cannot hold becomes U+FFFD.
     *
     * @param s the text
     * @return the escaped text
     */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\r': sb.append("&#13;"); break;
                default:
                    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0xfffe || c == 0xffff) {
                        sb.append('\ufffd');
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append('\ufffd');
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }
}
