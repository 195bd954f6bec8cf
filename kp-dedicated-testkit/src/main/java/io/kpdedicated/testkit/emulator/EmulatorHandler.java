package io.kpdedicated.testkit.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InjectedGatewayAnswer;
import io.kpdedicated.testkit.InjectedMalformedAnswer;
import io.kpdedicated.testkit.SimulatedCrashException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The emulator's one HTTP handler: reads a request at the edge ({@link RequestReader}), serves it
 * through the {@link RouteTable} of the route classes (IAM, provisioning, crypto units, sessions,
 * control API), turns what the cloud throws into the answer the service or its gateway would give,
 * and writes it with the request and correlation ids echoed.
 *
 * <ul>
 *   <li>a {@link Refusal} or a {@link ServiceException}: an error in the {@link ErrorFormat} of the
 *       path's API family, with {@code Retry-After} when the failure carries one;
 *   <li>an injected gateway answer ({@link InjectedGatewayAnswer}): written as it is (for example
 *       {@code 503 text/plain no healthy upstream});
 *   <li>an injected malformed answer ({@link InjectedMalformedAnswer}): a broken {@code 200};
 *   <li>any other {@link TransportException} (an injected connection drop or lost answer) and a
 *       {@link SimulatedCrashException} (the crash point): the connection is closed without an
 *       answer, as a dead server would, so the client sees a dropped connection;
 *   <li>anything else: {@code 500 EMULATOR_ERROR}, logged.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class EmulatorHandler implements HttpHandler {
  private static final System.Logger LOG = System.getLogger("io.kpdedicated.testkit.emulator");

  private final RouteTable routes = new RouteTable();

  /** Thrown out of {@link #handle} so the server closes the connection without an answer. */
  static final class DropConnection extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the signal. */
    DropConnection() {
      super("connection dropped on purpose (injected fault)");
    }
  }

  /**
   * Creates the handler and its routes.
   *
   * @param emulator the emulator (endpoints, ready-made instances)
   * @param cloud the cloud every route serves
   * @param tokens the tokens IAM issues and the other routes check
   * @param apiKey the only API key tokens are issued for
   */
  EmulatorHandler(LoopbackEmulator emulator, InMemoryDedicatedCloud cloud, IssuedTokens tokens,
      String apiKey) {
    AccessChecks access = new AccessChecks(tokens);
    ProvisioningRoutes provisioning = new ProvisioningRoutes(cloud, access, emulator);
    new IamRoutes(cloud, tokens, apiKey).register(routes);
    provisioning.register(routes);
    new CryptoUnitRoutes(cloud, access).register(routes);
    new SessionRoutes(cloud, access).register(routes);
    new ControlRoutes(cloud, tokens, emulator, provisioning).register(routes);
  }

  /** {@return every route as {@code METHOD /pattern}} */
  List<String> routes() {
    return routes.describe();
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String requestId = echoable(ex.getRequestHeaders().getFirst("X-Request-ID"));
    ErrorFormat format = ErrorFormat.PLATFORM;
    Reply reply;
    try {
      EmulatorRequest request = RequestReader.read(ex);
      format = ErrorFormat.of(request.segments());
      RequestReader.requireSingleHeaders(ex);
      reply = routes.dispatch(request);
    } catch (Refusal r) {
      reply = format.error(r.status(), r.code(), r.getMessage(), null, requestId);
      for (var h : r.headers().entrySet()) {
        reply = reply.with(h.getKey(), h.getValue());
      }
    } catch (ServiceException e) {
      reply = serviceError(format, e, requestId);
    } catch (TransportException | SimulatedCrashException e) {
      reply = e.getCause() instanceof InjectedMalformedAnswer m
          ? MalformedAnswers.reply(m.answer()) : Reply.dropped();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "emulator failed to serve a request", e);
      reply = format.error(500, "EMULATOR_ERROR", "the emulator failed ("
          + e.getClass().getSimpleName() + "); see its log", null, requestId);
    }
    write(ex, reply, requestId);
  }

  private static Reply serviceError(ErrorFormat format, ServiceException e, String requestId) {
    if (e.getCause() instanceof InjectedGatewayAnswer g) {
      return Reply.text(g.answer().status(), g.answer().contentType(), g.answer().body());
    }
    int status = e instanceof HttpServiceException h ? h.status() : 500;
    Reply reply = format.error(status, e.serviceCode().orElse("ERROR"), e.getMessage(),
        e.requestId().orElse(null), requestId);
    if (e.retryAfter().isPresent()) {
      Duration d = e.retryAfter().get();
      long secs = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
      reply = reply.with("Retry-After", Long.toString(secs));
    }
    return reply;
  }

  private static void write(HttpExchange ex, Reply reply, String requestId) throws IOException {
    if (reply.drop()) {
      ex.close();
      throw new DropConnection();
    }
    try (ex) {
      ex.getResponseHeaders().set("X-Request-ID", requestId);
      String correlation = ex.getRequestHeaders().getFirst("X-Correlation-ID");
      ex.getResponseHeaders().set("X-Correlation-ID",
          correlation != null && correlation.equals(echoable(correlation)) ? correlation : requestId);
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      boolean noBody = reply.body().length == 0;
      ex.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
      if (!noBody) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  /** Returns a request or correlation id fit to echo (short, plain characters), else a new one. */
  private static String echoable(String id) {
    if (id != null && !id.isEmpty() && id.length() <= 128
        && id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return id;
    }
    return UUID.randomUUID().toString();
  }
}
