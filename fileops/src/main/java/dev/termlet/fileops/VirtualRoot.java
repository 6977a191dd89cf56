package dev.termlet.fileops;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A user's view of the disk: every client path resolves inside one root directory, whatever it says.
 * {@code ..} never climbs above the root, absolute paths start at the root, and a path is refused when
 * it holds a NUL or another control character, a component longer than 255 bytes, more than 4096
 * characters, or when an existing part of it is a symbolic link that leads outside the root.
 */
public final class VirtualRoot {
    private static final int MAX_PATH = 4096;
    private static final int MAX_NAME_BYTES = 255;

    private final Path root;

    /**
     * Creates a view.
     *
     * @param root the user's root directory (created if missing)
     * @throws IOException if it cannot be created or resolved
     */
    public VirtualRoot(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    /** @return the root on disk, with links resolved */
    public Path root() {
        return root;
    }

    /**
     * Normalises a client path to a clean virtual path: starts with {@code /}, no {@code .} or {@code ..}
     * parts, no empty parts, no trailing slash.
     *
     * @param clientPath the path as sent, relative to {@code cwd} unless absolute
     * @param cwd the current virtual directory
     * @return the virtual path
     * @throws AccessDeniedException for a path with control characters or over-long names
     */
    public static String normalise(String clientPath, String cwd) throws AccessDeniedException {
        if (clientPath == null) {
            throw new AccessDeniedException("(null)", null, "no path");
        }
        if (clientPath.length() > MAX_PATH) {
            throw new AccessDeniedException(clientPath.substring(0, 64) + "...", null, "path too long");
        }
        for (int i = 0; i < clientPath.length(); i++) {
            char c = clientPath.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new AccessDeniedException(clientPath.replaceAll("\\p{Cntrl}", "?"), null,
                        "control characters in path");
            }
        }
        String p = clientPath.replace('\\', '/');
        String full = p.startsWith("/") ? p : (cwd == null ? "/" : cwd) + "/" + p;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : full.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
                continue;
            }
            if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new AccessDeniedException(part.substring(0, 32) + "...", null, "name too long");
            }
            parts.addLast(part);
        }
        return "/" + String.join("/", parts);
    }

    /**
     * Resolves a client path to the file on disk, refusing anything that would leave the root.
     *
     * @param clientPath the path as sent
     * @param cwd the current virtual directory
     * @return the file on disk (it may not exist yet)
     * @throws AccessDeniedException when the path is refused
     * @throws IOException when the disk cannot be read
     */
    public Path resolve(String clientPath, String cwd) throws IOException {
        String virtual = normalise(clientPath, cwd);
        Path p = root;
        for (String part : virtual.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            p = p.resolve(part);
            if (!p.normalize().startsWith(root)) {
                throw new AccessDeniedException(virtual, null, "outside the root");
            }
            if (Files.isSymbolicLink(p)) {
                Path target;
                try {
                    target = p.toRealPath();
                } catch (IOException e) {
                    // a dangling link: judge where it points
                    target = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
                }
                if (!target.startsWith(root)) {
                    throw new AccessDeniedException(virtual, null, "a link leads outside the root");
                }
            }
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !p.toRealPath().startsWith(root)) {
            throw new AccessDeniedException(virtual, null, "outside the root");
        }
        return p;
    }

    /**
     * The virtual path of a file inside the root.
     *
     * @param real a file on disk inside the root
     * @return its virtual path
     * @throws AccessDeniedException if it is not inside the root
     */
    public String virtualPath(Path real) throws AccessDeniedException {
        Path n = real.toAbsolutePath().normalize();
        if (!n.startsWith(root)) {
            throw new AccessDeniedException(real.toString(), null, "outside the root");
        }
        String rel = root.relativize(n).toString().replace('\\', '/');
        return rel.isEmpty() ? "/" : "/" + rel;
    }
}
