package dev.termlet.fileops.internal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** A directory stream whose entries pass through a function (null leaves an entry out); closing closes the source. */
public final class MappedDirectoryStream implements DirectoryStream<Path> {
    private final DirectoryStream<Path> in;
    private final Function<Path, Path> map;

    /**
     * @param in the listing
     * @param map what each entry becomes; null leaves it out
     */
    public MappedDirectoryStream(DirectoryStream<Path> in, Function<Path, Path> map) {
        this.in = in;
        this.map = map;
    }

    /** Whether a filter (null: none) keeps an entry; its I/O failure becomes unchecked, as iterators need. */
    static boolean accepts(DirectoryStream.Filter<? super Path> filter, Path p) {
        try {
            return filter == null || filter.accept(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Iterator<Path> iterator() {
        Iterator<Path> it = in.iterator();
        return new Iterator<>() {
            private Path next = advance();

            private Path advance() {
                while (it.hasNext()) {
                    Path p = map.apply(it.next());
                    if (p != null) {
                        return p;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Path next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Path p = next;
                next = advance();
                return p;
            }
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
