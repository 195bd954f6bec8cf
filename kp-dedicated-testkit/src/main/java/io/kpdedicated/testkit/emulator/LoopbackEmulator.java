package io.kpdedicated.testkit.emulator;

import com.sun.net.httpserver.HttpServer;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.http.DedicatedEnvironment;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Key Protect Dedicated look-alike on the loopback interface: one {@code com.sun.net.httpserver}
 * server on {@code 127.0.0.1} that serves IAM, the Resource Controller (plus the Resource Manager and
 * Global Catalog lookups), the crypto-unit API with the service's paths, headers and fields, the
 * signed-REST session protocol of {@code kp-dedicated-http}, and a control API for faults and state,
 * all backed by an {@link InMemoryDedicatedCloud}.
 *
 * <pre>{@code
 * try (LoopbackEmulator emulator = LoopbackEmulator.builder().build().start()) {
 *   ServiceInstance instance = emulator.createActiveInstance("kp-test", 3);
 *   DedicatedTransport transport = HttpTransport.fromEnvironment(emulator.environment());
 *   ...
 * }
 * }</pre>
 *
 * <p>Every instance document it serves points its endpoints at the emulator itself (public
 * {@code http://127.0.0.1:<port>}, private {@code http://localhost:<port>}); crypto-unit calls pick
 * their instance by the {@code Bluemix-Instance} / {@code Instance-ID} header. Bearer tokens are
 * issued only for the emulator's API key and checked on every call; session commands are checked
 * for signature, timestamp and nonce by the cloud, and a refused command changes nothing. See the
 * package documentation for every route and the control API.
 *
 * <p>The JDK server sends headers and body in two writes; start the JVM with
 * {@code -Dsun.net.httpserver.nodelay=true} to avoid a delayed-ACK pause on every answer
 * ({@link EmulatorMain} does).
 *
 * <p>Thread-safe. {@link #close()} stops the server; it is idempotent.
 */
public final class LoopbackEmulator implements AutoCloseable {
  /** The plan id the emulator's Global Catalog reports for {@code kms}/{@code dedicated}. */
  public static final String PLAN_ID = "kpd-emulator-dedicated-plan";
  /** The only resource group the emulator knows (it is the account's default). */
  public static final String RESOURCE_GROUP_NAME = "Default";
  /** The id of {@link #RESOURCE_GROUP_NAME}. */
  public static final String RESOURCE_GROUP_ID = "kpd-emulator-default-group";
  private static final System.Logger LOG = System.getLogger("io.kpdedicated.testkit.emulator");

  private final int requestedPort;
  private final String apiKey;
  private final InMemoryDedicatedCloud cloud;
  private final IssuedTokens tokens;
  private final int threads;
  private final Duration requestReadTimeout;
  private final Object lifecycle = new Object();
  private HttpServer server;
  private EmulatorHandler handler;
  private RequestGuard executor;
  private volatile URI baseUri;
  private volatile ServiceInstance lastInstance;
  private boolean closed;

  private LoopbackEmulator(Builder b) {
    this.requestedPort = b.port();
    this.apiKey = b.apiKey() != null ? b.apiKey() : randomApiKey();
    this.cloud = b.cloudOrBuild();
    this.tokens = new IssuedTokens(cloud.clock(), b.tokenLifetime());
    this.threads = b.threads();
    this.requestReadTimeout = b.requestReadTimeout();
  }

  private static String randomApiKey() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return "kpd-emulator-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Starts a builder.
   *
   * @return this builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds {@code 127.0.0.1} and starts serving.
   *
   * @return this emulator
   * @throws IllegalStateException if it was started or closed before
   * @throws UncheckedIOException if the port cannot be bound
   */
  public LoopbackEmulator start() {
    synchronized (lifecycle) {
      if (server != null || closed) {
        throw new IllegalStateException("an emulator can be started once");
      }
      try {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(
            new byte[] {127, 0, 0, 1}), requestedPort);
        HttpServer s = HttpServer.create(address, 64);
        int boundPort = s.getAddress().getPort();
        executor = new RequestGuard(threads, requestReadTimeout, "kpd-emulator-" + boundPort);
        s.setExecutor(executor);
        handler = new EmulatorHandler(this, cloud, tokens, apiKey);
        s.createContext("/", handler);
        s.start();
        server = s;
        baseUri = URI.create("http://127.0.0.1:" + s.getAddress().getPort());
        LOG.log(System.Logger.Level.DEBUG, "loopback emulator listening on {0}", baseUri);
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind 127.0.0.1:" + requestedPort, e);
      }
    }
  }

  /**
   * Returns the base URI, {@code http://127.0.0.1:<port>}: the IAM, Resource Controller, Resource
   * Manager, Global Catalog and instance endpoint all at once.
   *
   * @return the base URI
   * @throws IllegalStateException if not started
   */
  public URI baseUri() {
    URI u = baseUri;
    if (u == null) {
      throw new IllegalStateException("the emulator is not started; call start()");
    }
    return u;
  }

  /** {@return the port the emulator listens on} */
  public int port() {
    return baseUri().getPort();
  }

  /** {@return the API key the emulator issues tokens for (a test value, not a secret)} */
  public String apiKey() {
    return apiKey;
  }

  /** {@return the cloud behind the emulator, for arranging state, faults and assertions} */
  public InMemoryDedicatedCloud cloud() {
    return cloud;
  }

  /** {@return the public endpoint every instance document points at: the base URI} */
  public URI publicEndpoint() {
    return baseUri();
  }

  /** {@return the private endpoint instance documents carry: {@code http://localhost:<port>}} */
  public URI privateEndpoint() {
    return URI.create("http://localhost:" + port());
  }

  /**
   * Creates an instance that is already active with every unit {@code reserved} (no call is made,
   * nothing is counted), and returns it as the Resource Controller would report it, endpoints
   * pointing at this emulator.
   *
   * @param name the instance name
   * @param cryptoUnits 2 or 3
   * @return the instance
   * @throws IllegalArgumentException for another unit count or a blank name
   */
  public ServiceInstance createActiveInstance(String name, int cryptoUnits) {
    ServiceInstance si = cloud.arrange().activeInstance(
        new InstanceRequest(name, InstanceRequest.DEFAULT_REGION, null, cryptoUnits));
    ServiceInstance rewritten = new ServiceInstance(si.id(), si.guid(), si.crn(), si.name(), si.state(),
        si.rawState(), si.region(), publicEndpoint(), privateEndpoint(), si.cryptoUnits(),
        si.lastOperation());
    lastInstance = rewritten;
    return rewritten;
  }

  /**
   * Returns the environment a client needs for this emulator: {@code IBMCLOUD_API_KEY},
   * {@code IBMCLOUD_IAM_ENDPOINT}, {@code IBMCLOUD_RC_ENDPOINT}, {@code IBMCLOUD_RM_ENDPOINT},
   * {@code IBMCLOUD_GC_ENDPOINT}, {@code KP_DEDICATED_PLAN_ID}, and, once
   * {@link #createActiveInstance} was called, {@code KP_TARGET_ADDR} and {@code KP_INSTANCE_ID} of
   * the latest instance it created.
   *
   * @return an unmodifiable map, in a stable order
   * @throws IllegalStateException if not started
   */
  public Map<String, String> environment() {
    ServiceInstance i = lastInstance;
    return i == null ? base() : environment(i);
  }

  /**
   * Returns the environment for a given instance of this emulator.
   *
   * @param instance the instance (its GUID is used)
   * @return an unmodifiable map, in a stable order
   * @throws IllegalStateException if not started
   */
  public Map<String, String> environment(ServiceInstance instance) {
    Objects.requireNonNull(instance, "instance");
    Map<String, String> env = new LinkedHashMap<>();
    env.put(DedicatedEnvironment.TARGET_ADDR, publicEndpoint().toString());
    env.put(DedicatedEnvironment.INSTANCE_ID, instance.guid());
    env.putAll(base());
    return java.util.Collections.unmodifiableMap(env);
  }

  private Map<String, String> base() {
    Map<String, String> env = new LinkedHashMap<>();
    String base = baseUri().toString();
    env.put(DedicatedEnvironment.API_KEY, apiKey);
    env.put(DedicatedEnvironment.IAM_ENDPOINT, base);
    env.put(DedicatedEnvironment.RC_ENDPOINT, base);
    env.put(DedicatedEnvironment.RM_ENDPOINT, base);
    env.put(DedicatedEnvironment.GC_ENDPOINT, base);
    env.put(DedicatedEnvironment.PLAN_ID, PLAN_ID);
    return java.util.Collections.unmodifiableMap(env);
  }

  /**
   * Clears every pending fault: the cloud's one fault queue (every kind, {@code malformed}
   * included), chaos and the crash point.
   *
   * @throws IllegalStateException if not started
   */
  public void clearFaults() {
    synchronized (lifecycle) {
      if (handler == null) {
        throw new IllegalStateException("the emulator is not started; call start()");
      }
    }
    cloud.faults().clear();
  }

  /** Revokes every token issued so far: the next call with one of them is answered {@code 401}. */
  public void revokeTokens() {
    tokens.revokeAll();
  }

  /** {@return how many tokens the IAM endpoint has issued} */
  public long tokensIssued() {
    return tokens.issuedCount();
  }

  /** Stops the server (waiting for no exchange) and its threads. Idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
      if (server != null) {
        server.stop(0);
        executor.shutdown(Duration.ofSeconds(5));
        server = null;
      }
    }
  }

  @Override
  public String toString() {
    URI u = baseUri;
    return "LoopbackEmulator[" + (u == null ? "not started" : u) + "]";
  }

  /**
   * Builds {@link LoopbackEmulator}s; the setters and their defaults are described on each method.
   * Not thread-safe.
   */
  public static final class Builder extends EmulatorBuilderBase<Builder> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the emulator (not started yet; call {@link LoopbackEmulator#start()}).
     *
     * @return the emulator, not started
     * @throws IllegalStateException if a cloud was given together with settings of the cloud the
     *     emulator builds itself (clock, sleeper, provisioning, session limits)
     */
    public LoopbackEmulator build() {
      checkSettings();
      return new LoopbackEmulator(this);
    }
  }
}
