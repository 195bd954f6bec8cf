package io.kpdedicated.testkit.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP forwarder that records every request's method, path and headers before passing
 * it on to the emulator, so a test can see exactly what the SDK put on the wire.
 */
final class RecordingProxy implements AutoCloseable {
  /** Headers the JDK client sets itself and refuses to forward. */
  private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length",
      "expect", "upgrade");

  /** One request as received: header names in their sent case, first value of each. */
  record Request(String method, String path, Map<String, String> headers) {
    String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final URI target;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  RecordingProxy(URI target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::forward);
    server.start();
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
      String path = ex.getRequestURI().getRawPath()
          + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      requests.add(new Request(ex.getRequestMethod(), path, Map.copyOf(headers)));
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path));
      headers.forEach((k, v) -> {
        if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
          b.header(k, v);
        }
      });
      b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      r.headers().map().forEach((k, v) -> {
        if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT)) && !k.equalsIgnoreCase(":status")
            && !k.equalsIgnoreCase("transfer-encoding") && !k.equalsIgnoreCase("date")) {
          ex.getResponseHeaders().put(k, v);
        }
      });
      byte[] out = r.body();
      ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
