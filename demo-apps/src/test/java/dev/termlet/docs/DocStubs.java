package dev.termlet.docs;

/** The names that docs examples use without defining them, compiled beside the examples. */
final class DocStubs {
    static final String SOURCE = String.join("\n",
            "package docs;",
            "import java.nio.file.Path;",
            "import java.util.List;",
            "import org.jline.utils.AttributedString;",
            "public final class DocStubs {",
            "  public interface Ldap { boolean check(String user, String password); }",
            "  public interface TotpCheck { boolean valid(String user, String code); }",
            "  public enum Switch { on, off }",
            "  public static Ldap ldap = (u, p) -> false;",
            "  public static org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(\"docs\");",
            "  public static TotpCheck totp = (u, c) -> false;",
            "  public static void copy(Path p) {}",
            "  public static void call() throws Exception {}",
            "  public static void tick() {}",
            "  public static void click(int column, int row) {}",
            "  public static List<AttributedString> render(int width, int height) { return List.of(); }",
            "}",
            "");

    private DocStubs() {}
}
