package dev.termlet.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM lists every published module of the reactor, at the reactor's version, and the licence and notice are
 * where the jars take them from. (The enforcer checks each module's Central metadata and its sources and javadoc
 * jars; see the root pom.xml.)
 */
class PublishedModulesTest {
    private static final Path ROOT = Path.of("..");

    static Document read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of the first direct child of {@code parent} named {@code name}, or null. */
    static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    static Element childElement(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The artifactIds of the reactor's modules that are deployed and make a jar. */
    private static List<String> publishedJars() throws Exception {
        List<String> published = new ArrayList<>();
        NodeList modules = read(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            Document pom = read(ROOT.resolve(modules.item(i).getTextContent().strip()).resolve("pom.xml"));
            Element project = pom.getDocumentElement();
            Element props = childElement(project, "properties");
            boolean skipped = props != null && "true".equals(child(props, "maven.deploy.skip"));
            String packaging = child(project, "packaging");
            if (!skipped && (packaging == null || packaging.equals("jar"))) {
                published.add(child(project, "artifactId"));
            }
        }
        return published;
    }

    @Test
    void theBomListsEveryPublishedModuleAtTheReactorsVersion() throws Exception {
        Element root = read(ROOT.resolve("pom.xml")).getDocumentElement();
        Element bom = read(ROOT.resolve("bom/pom.xml")).getDocumentElement();
        assertThat(child(bom, "version")).as("the BOM's version").isEqualTo(child(root, "version"));
        assertThat(childElement(bom, "parent")).as("the BOM must not inherit the parent's dependencyManagement")
                .isNull();

        List<String> managed = new ArrayList<>();
        NodeList deps = childElement(childElement(bom, "dependencyManagement"), "dependencies")
                .getElementsByTagName("dependency");
        String sshdVersion = child(childElement(root, "properties"), "sshd.version");
        List<String> mina = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (child(d, "groupId").equals("org.apache.sshd")) {
                // MINA SSHD as Termlet uses it: the combined jar, and SFTP/SCP without the split jars
                assertThat(child(d, "version")).as(child(d, "artifactId")).isEqualTo(sshdVersion);
                if (!child(d, "artifactId").equals("sshd-osgi")) {
                    assertThat(d.getElementsByTagName("exclusion").getLength()).as(child(d, "artifactId"))
                            .isEqualTo(2);
                }
                mina.add(child(d, "artifactId"));
                continue;
            }
            assertThat(child(d, "groupId")).isEqualTo("dev.termlet");
            assertThat(child(d, "version")).as(child(d, "artifactId")).isEqualTo("${project.version}");
            managed.add(child(d, "artifactId"));
        }
        assertThat(mina).containsExactlyInAnyOrder("sshd-osgi", "sshd-sftp", "sshd-scp");
        List<String> published = publishedJars();
        assertThat(published).contains("termlet-annotations", "termlet-framework")
                .doesNotContain("termlet-demos", "termlet-bench");
        assertThat(managed).as("termlet-bom's dependencyManagement").containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void theLicenceAndNoticeAreAtTheRoot() throws Exception {
        assertThat(Files.readString(ROOT.resolve("LICENSE")))
                .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
        assertThat(Files.readString(ROOT.resolve("NOTICE"))).startsWith("Termlet\n");
    }
}
