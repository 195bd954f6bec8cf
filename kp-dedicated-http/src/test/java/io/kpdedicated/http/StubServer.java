package io.kpdedicated.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * A loopback HTTP server for tests: records every request and answers from per-route queues (the
 * last answer of a queue repeats) or from a function.
 */
final class StubServer implements AutoCloseable {

  /** A recorded request. */
  record Recorded(String method, String path, String query, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** An answer; {@code drop} closes the connection without a response. */
  record Answer(int status, Map<String, String> headers, byte[] body, boolean drop) {
    static Answer json(int status, String json) {
      return new Answer(status, Map.of("Content-Type", "application/json"),
          json.getBytes(StandardCharsets.UTF_8), false);
    }

    static Answer of(int status, String contentType, byte[] body) {
      return new Answer(status, contentType == null ? Map.of() : Map.of("Content-Type", contentType),
          body, false);
    }

    static Answer dropConnection() {
      return new Answer(0, Map.of(), new byte[0], true);
    }

    Answer withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, h, body, drop);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> routes = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Function<Recorded, Answer> fallback = r -> Answer.json(404,
      "{\"message\":\"no stub for " + r.method() + " " + r.path() + "\"}");

  StubServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Sets the answers for {@code METHOD /path} (query ignored), replacing earlier ones; the last repeats. */
  StubServer on(String method, String path, Answer... answers) {
    Deque<Answer> q = new ConcurrentLinkedDeque<>();
    for (Answer a : answers) {
      q.addLast(a);
    }
    routes.put(method + " " + path, q);
    return this;
  }

  /** Answers every request without a route with {@code f}. */
  StubServer otherwise(Function<Recorded, Answer> f) {
    this.fallback = f;
    return this;
  }

  List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  List<Recorded> requests(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      Recorded r = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
          ex.getRequestURI().getRawQuery(), headers, body);
      requests.add(r);
      Deque<Answer> q = routes.get(r.method() + " " + r.path());
      Answer a;
      if (q != null && !q.isEmpty()) {
        a = q.size() > 1 ? q.pollFirst() : q.peekFirst();
      } else {
        a = fallback.apply(r);
      }
      if (a.drop()) {
        ex.getHttpContext().getServer();
        // Closing the exchange without sending headers makes the server drop the connection.
        throw new IOException("dropping the connection on purpose");
      }
      a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      long len = a.body().length == 0 ? -1 : a.body().length;
      ex.sendResponseHeaders(a.status(), len);
      if (a.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(a.body());
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
