package dev.eventsink;

import dev.eventsink.spi.EventSinkProvider;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A class loader whose only {@code META-INF/services/dev.eventsink.spi.EventSinkProvider} file lists exactly
 * the given class names, so that each test decides which providers {@link java.util.ServiceLoader} sees,
 * whatever else is on the test class path. Classes themselves come from the test's class loader.
 */
final class ProviderClassLoader extends ClassLoader {

    static final String SERVICES = "META-INF/services/" + EventSinkProvider.class.getName();

    private final URL servicesFile;

    private ProviderClassLoader(String servicesText) {
        super(ProviderClassLoader.class.getClassLoader());
        this.servicesFile = inMemoryUrl(servicesText);
    }

    /** Sees the given provider classes, in this order. */
    static ProviderClassLoader of(Class<?>... providers) {
        String[] names = new String[providers.length];
        for (int i = 0; i < providers.length; i++) {
            names[i] = providers[i].getName();
        }
        return withEntries(names);
    }

    /** Sees the given services entries as written, which may name classes that do not exist. */
    static ProviderClassLoader withEntries(String... entries) {
        return new ProviderClassLoader("# written by a test\n" + String.join("\n", entries) + "\n");
    }

    /** Sees no provider at all. */
    static ProviderClassLoader empty() {
        return new ProviderClassLoader("");
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (SERVICES.equals(name)) {
            return Collections.enumeration(List.of(servicesFile));
        }
        return super.getResources(name);
    }

    @Override
    public URL getResource(String name) {
        return SERVICES.equals(name) ? servicesFile : super.getResource(name);
    }

    private static URL inMemoryUrl(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        URLStreamHandler handler = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL url) {
                return new URLConnection(url) {
                    @Override
                    public void connect() {}

                    @Override
                    public InputStream getInputStream() {
                        return new ByteArrayInputStream(bytes);
                    }
                };
            }
        };
        try {
            return new URL(null, "test-services:" + SERVICES, handler);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
