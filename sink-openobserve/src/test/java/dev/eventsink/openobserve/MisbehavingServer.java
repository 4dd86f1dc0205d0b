package dev.eventsink.openobserve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on 127.0.0.1 that answers each request with whatever its script writes to the socket:
 * answers no well-behaved server gives, such as headers followed by a stalled body or a body of gigabytes.
 */
final class MisbehavingServer implements AutoCloseable {

    /** Writes the answer to the {@code n}-th request (from 0), raw bytes on the socket. */
    @FunctionalInterface
    interface Script {
        void answer(int n, OutputStream out) throws IOException;
    }

    private final ServerSocket socket;
    private final Script script;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    MisbehavingServer(Script script) {
        this.script = script;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "misbehaving-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Requests read so far. */
    int requests() {
        return requests.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread handler = new Thread(() -> serve(connection), "misbehaving-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (readRequest(in)) {
                script.answer(requests.getAndIncrement(), out);
                out.flush();
            }
        } catch (IOException gone) {
            // the client closed the connection
        }
    }

    /** Reads one request's headers and its Content-Length body; false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return true;
    }

    /** The status line and headers of an answer, with the blank line that ends them. */
    static byte[] head(int status, String... headers) {
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(status).append(" Status\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A complete answer with a JSON body. */
    static byte[] json(int status, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Content-Type: application/json";
        all[headers.length + 1] = "Content-Length: " + bytes.length;
        byte[] head = head(status, all);
        byte[] answer = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, answer, 0, head.length);
        System.arraycopy(bytes, 0, answer, head.length, bytes.length);
        return answer;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
