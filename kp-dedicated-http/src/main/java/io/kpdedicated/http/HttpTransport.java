package io.kpdedicated.http;

import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.http.internal.CryptoUnitClient;
import io.kpdedicated.http.internal.Endpoints;
import io.kpdedicated.http.internal.Clients;
import io.kpdedicated.http.internal.HttpCaller;
import io.kpdedicated.http.internal.ResourceControllerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The REST transport: IAM, Resource Controller and the Key Protect Dedicated crypto-unit API over
 * {@code java.net.http}, plus the signed-REST HSM session protocol (see the module's README).
 *
 * <pre>{@code
 * DedicatedTransport transport = HttpTransport.builder()
 *     .apiKey(apiKeyChars)                       // or .tokenProvider(...)
 *     .requestTimeout(Duration.ofSeconds(30))
 *     .build();
 * // or, from IBMCLOUD_API_KEY, IBMCLOUD_IAM_ENDPOINT, IBMCLOUD_RC_ENDPOINT, ...
 * DedicatedTransport fromEnv = HttpTransport.fromEnvironment(System.getenv());
 * }</pre>
 *
 * <p>Every request carries {@code User-Agent: kp-dedicated/<version> Java/<version>}, a fresh
 * {@code X-Request-ID} and this transport's {@code X-Correlation-ID} (one per transport; use
 * {@link #withCorrelationId(String)} for one per initializer run). Instance calls also carry
 * {@code Authorization: Bearer <token>}, {@code Bluemix-Instance} and {@code Instance-ID}; the
 * crypto-unit calls add the correlation id again as {@code Correlation-Id} and
 * {@code X-IBMCloud-SDK-Analytics: service_name=kp-dedicated;service_version=<version>;operation_id=<action>},
 * as IBM's Go client does. A
 * {@code 401} answer makes the transport fetch a new token and retry the call once; it does no other
 * retrying (the initializer retries). Endpoints must use https, except http to a loopback address.
 *
 * <p>Failures are {@link io.kpdedicated.core.spi.ServiceException} (the service answered with an
 * error: status, service code, request id, {@code Retry-After}) or
 * {@link io.kpdedicated.core.spi.TransportException} (I/O, timeout, refused endpoint, malformed,
 * empty, HTML or oversized answer). Tokens and the API key never appear in logs or messages.
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpTransport implements DedicatedTransport {
  /** IBM Cloud's Resource Controller endpoint. */
  public static final URI DEFAULT_RESOURCE_CONTROLLER = URI.create("https://resource-controller.cloud.ibm.com");
  /** IBM Cloud's Global Catalog endpoint. */
  public static final URI DEFAULT_GLOBAL_CATALOG = URI.create("https://globalcatalog.cloud.ibm.com");
  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Default request timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** Default cap on response bodies. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private final HttpCaller caller;
  private final ResourceControllerClient provisioning;
  private final CryptoUnitClient cryptoUnits;
  private final HsmBackend hsm;
  private final SecureRandom random;

  private HttpTransport(HttpCaller caller, ResourceControllerClient provisioning,
      SecureRandom random) {
    this.caller = caller;
    this.provisioning = provisioning;
    this.random = random;
    this.cryptoUnits = new CryptoUnitClient(caller, random);
    this.hsm = new PortableHsmBackend(PortableHsmBackend.SIGNED_REST, cryptoUnits::openSession);
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
   * Builds a transport from environment variables (see {@link DedicatedEnvironment}).
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the transport
   * @throws IllegalArgumentException if {@code IBMCLOUD_API_KEY} is missing or a variable is invalid
   */
  public static HttpTransport fromEnvironment(Map<String, String> env) {
    return builderFromEnvironment(env).build();
  }

  /**
   * Returns a builder preset from environment variables, to adjust before {@code build()}.
   *
   * @param env the environment
   * @return the builder
   * @throws IllegalArgumentException if {@code IBMCLOUD_API_KEY} is missing or a variable is invalid
   */
  public static Builder builderFromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Builder b = builder();
    String key = DedicatedEnvironment.value(env, DedicatedEnvironment.API_KEY);
    if (key == null) {
      throw new IllegalArgumentException(DedicatedEnvironment.API_KEY + " is not set: set it to an"
          + " IBM Cloud API key with Manager access to Key Protect");
    }
    char[] chars = key.toCharArray();
    try {
      b.apiKey(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
    String iam = DedicatedEnvironment.value(env, DedicatedEnvironment.IAM_ENDPOINT);
    if (iam == null) {
      iam = DedicatedEnvironment.value(env, DedicatedEnvironment.IAM_API_ENDPOINT);
    }
    if (iam != null) {
      b.iamEndpoint(uri(iam, DedicatedEnvironment.IAM_ENDPOINT));
    }
    String rc = DedicatedEnvironment.value(env, DedicatedEnvironment.RC_ENDPOINT);
    if (rc != null) {
      b.resourceControllerEndpoint(uri(rc, DedicatedEnvironment.RC_ENDPOINT));
    }
    String rm = DedicatedEnvironment.value(env, DedicatedEnvironment.RM_ENDPOINT);
    if (rm != null) {
      b.resourceManagerEndpoint(uri(rm, DedicatedEnvironment.RM_ENDPOINT));
    }
    String gc = DedicatedEnvironment.value(env, DedicatedEnvironment.GC_ENDPOINT);
    if (gc != null) {
      b.globalCatalogEndpoint(uri(gc, DedicatedEnvironment.GC_ENDPOINT));
    }
    String plan = DedicatedEnvironment.value(env, DedicatedEnvironment.PLAN_ID);
    if (plan != null) {
      b.resourcePlanId(plan);
    }
    String group = DedicatedEnvironment.value(env, DedicatedEnvironment.RESOURCE_GROUP);
    if (group != null) {
      b.resourceGroupName(group);
    }
    String ct = DedicatedEnvironment.value(env, DedicatedEnvironment.CONNECT_TIMEOUT_SECONDS);
    if (ct != null) {
      b.connectTimeout(seconds(ct, DedicatedEnvironment.CONNECT_TIMEOUT_SECONDS));
    }
    String rt = DedicatedEnvironment.value(env, DedicatedEnvironment.REQUEST_TIMEOUT_SECONDS);
    if (rt != null) {
      b.requestTimeout(seconds(rt, DedicatedEnvironment.REQUEST_TIMEOUT_SECONDS));
    }
    return b;
  }

  /**
   * Reads the instance target from {@code KP_TARGET_ADDR} / {@code KP_INSTANCE_ID}; see
   * {@link DedicatedEnvironment#target(Map)}.
   *
   * @param env the environment
   * @return the target, or empty when {@code KP_TARGET_ADDR} is unset
   * @throws IllegalArgumentException if the variables are invalid
   */
  public static Optional<InstanceTarget> targetFromEnvironment(Map<String, String> env) {
    return DedicatedEnvironment.target(env);
  }

  private static URI uri(String value, String name) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not a URL: " + value, e);
    }
  }

  private static Duration seconds(String value, String name) {
    try {
      long s = Long.parseLong(value);
      if (s <= 0) {
        throw new NumberFormatException();
      }
      return Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive number of seconds, got " + value, e);
    }
  }

  @Override
  public ProvisioningApi provisioning() {
    return provisioning;
  }

  @Override
  public CryptoUnitApi cryptoUnits() {
    return cryptoUnits;
  }

  @Override
  public HsmBackend hsm() {
    return hsm;
  }

  /**
   * {@return the SDK version this transport reports in its {@code User-Agent} and
   * {@code X-IBMCloud-SDK-Analytics} headers, e.g. {@code 0.1.0}, or {@code unknown}}
   */
  public static String sdkVersion() {
    return io.kpdedicated.http.internal.SdkInfo.version();
  }

  /** {@return the {@code X-Correlation-ID} this transport sends} */
  public String correlationId() {
    return caller.correlationId();
  }

  /**
   * Returns a transport that shares this one's connections, token cache and settings but sends
   * another {@code X-Correlation-ID} (use one per initializer run).
   *
   * @param correlationId the id, e.g. a random UUID
   * @return the new transport
   * @throws IllegalArgumentException if the id is blank or spans lines
   */
  public HttpTransport withCorrelationId(String correlationId) {
    HttpCaller c = caller.withCorrelationId(checkId(correlationId));
    return new HttpTransport(c, provisioning.withCaller(c), random);
  }

  private static String checkId(String id) {
    Objects.requireNonNull(id, "correlationId");
    if (id.isBlank() || id.length() > 128 || !id.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      throw new IllegalArgumentException("correlationId must be 1-128 visible ASCII characters");
    }
    return id;
  }

  @Override
  public String toString() {
    return "HttpTransport[correlationId=" + correlationId() + "]";
  }

  /**
   * Builds {@link HttpTransport}s. Setters reject invalid values at once; {@link #build()} reports
   * missing or conflicting settings. Not thread-safe.
   */
  public static final class Builder {
    private URI iamEndpoint = IamTokenProvider.DEFAULT_ENDPOINT;
    private URI resourceController = DEFAULT_RESOURCE_CONTROLLER;
    private URI resourceManager;
    private URI globalCatalog = DEFAULT_GLOBAL_CATALOG;
    private char[] apiKey;
    private TokenProvider tokenProvider;
    private String planId;
    private String resourceGroupName;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;
    private Duration connectTimeout;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private String correlationId;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private HttpClient httpClient;

    private Builder() {}

    /**
     * Sets the IAM endpoint (default {@code https://iam.cloud.ibm.com}); used with {@link #apiKey}.
     *
     * @param endpoint the IAM endpoint (https, or http to a loopback address)
     * @return this builder
     */
    public Builder iamEndpoint(URI endpoint) {
      this.iamEndpoint = Endpoints.requireAllowed(Objects.requireNonNull(endpoint, "iamEndpoint"), "iamEndpoint");
      return this;
    }

    /**
     * Sets the Resource Controller endpoint (default {@code https://resource-controller.cloud.ibm.com}).
     *
     * @param endpoint the Resource Controller endpoint (https, or http to a loopback address)
     * @return this builder
     */
    public Builder resourceControllerEndpoint(URI endpoint) {
      this.resourceController = Endpoints.requireAllowed(
          Objects.requireNonNull(endpoint, "resourceControllerEndpoint"), "resourceControllerEndpoint");
      return this;
    }

    /**
     * Sets the Resource Manager endpoint for resource groups (default: the Resource Controller's).
     *
     * @param endpoint the Resource Manager endpoint (https, or http to a loopback address)
     * @return this builder
     */
    public Builder resourceManagerEndpoint(URI endpoint) {
      this.resourceManager = Endpoints.requireAllowed(
          Objects.requireNonNull(endpoint, "resourceManagerEndpoint"), "resourceManagerEndpoint");
      return this;
    }

    /**
     * Sets the Global Catalog endpoint (default {@code https://globalcatalog.cloud.ibm.com}).
     *
     * @param endpoint the Global Catalog endpoint (https, or http to a loopback address)
     * @return this builder
     */
    public Builder globalCatalogEndpoint(URI endpoint) {
      this.globalCatalog = Endpoints.requireAllowed(
          Objects.requireNonNull(endpoint, "globalCatalogEndpoint"), "globalCatalogEndpoint");
      return this;
    }

    /**
     * Sets the API key exchanged for IAM tokens (copied; wipe your array afterwards). Exclusive with
     * {@link #tokenProvider(TokenProvider)}.
     *
     * @param apiKey the IBM Cloud API key; copied, so the caller may wipe its array
     * @return this builder
     * @throws IllegalArgumentException if empty
     */
    public Builder apiKey(char[] apiKey) {
      this.apiKey = IamTokenProvider.Builder.copyApiKey(apiKey);
      return this;
    }

    /**
     * Sets the token source. Exclusive with {@link #apiKey(char[])}.
     *
     * @param tokenProvider the source of bearer tokens
     * @return this builder
     */
    public Builder tokenProvider(TokenProvider tokenProvider) {
      this.tokenProvider = Objects.requireNonNull(tokenProvider, "tokenProvider");
      return this;
    }

    /**
     * Sets the plan id of {@code kms}/{@code dedicated} (default: looked up in the Global Catalog).
     *
     * @param planId the Global Catalog plan id of {@code kms}/{@code dedicated}
     * @return this builder
     */
    public Builder resourcePlanId(String planId) {
      this.planId = requireText(planId, "resourcePlanId");
      return this;
    }

    /**
     * Sets the resource group, by name, for new instances whose request names no group id (default:
     * the account's default group). The id is looked up with the Resource Manager.
     *
     * @param name the resource group name
     * @return this builder
     */
    public Builder resourceGroupName(String name) {
      this.resourceGroupName = requireText(name, "resourceGroupName");
      return this;
    }

    /**
     * Sets the clock (token lifetimes, signature timestamps, {@code Retry-After} dates).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the source of signature nonces (default: a new {@link SecureRandom}).
     *
     * @param random the source of nonces
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Sets the connect timeout (default 10 s). Conflicts with {@link #httpClient(HttpClient)}.
     *
     * @param timeout the connect timeout, positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = IamTokenProvider.Builder.positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Sets the timeout of each request (default 60 s).
     *
     * @param timeout the timeout of each request, positive
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = IamTokenProvider.Builder.positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Sets the {@code X-Correlation-ID} (default: a random UUID per transport).
     *
     * @param correlationId the correlation id sent with every request
     * @return this builder
     */
    public Builder correlationId(String correlationId) {
      this.correlationId = checkId(correlationId);
      return this;
    }

    /**
     * Sets the largest response body accepted (default 4 MiB); larger answers fail typed.
     *
     * @param maxBytes the limit in bytes, at least 1024
     * @return this builder
     */
    public Builder maxResponseBytes(int maxBytes) {
      if (maxBytes < 1024) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1024, got " + maxBytes);
      }
      this.maxResponseBytes = maxBytes;
      return this;
    }

    /**
     * Uses an existing JDK client (proxy, TLS settings). Conflicts with {@link #connectTimeout}.
     *
     * @param client the JDK client to send requests with
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "httpClient");
      return this;
    }

    /**
     * Builds the transport. The API key held by this builder is wiped.
     *
     * @return the transport, ready to use
     * @throws IllegalStateException if neither or both of apiKey and tokenProvider are set, or
     *     connectTimeout is combined with httpClient
     */
    public HttpTransport build() {
      if (apiKey == null && tokenProvider == null) {
        throw new IllegalStateException("set apiKey(char[]) (e.g. from IBMCLOUD_API_KEY) or"
            + " tokenProvider(TokenProvider)");
      }
      if (apiKey != null && tokenProvider != null) {
        throw new IllegalStateException("set either apiKey(char[]) or tokenProvider(TokenProvider),"
            + " not both");
      }
      if (httpClient != null && connectTimeout != null) {
        throw new IllegalStateException("connectTimeout cannot be combined with httpClient: set the"
            + " connect timeout on the HttpClient instead");
      }
      Clients clients = httpClient != null ? Clients.of(httpClient)
          : Clients.onDemand(connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT);
      String cid = correlationId != null ? correlationId : UUID.randomUUID().toString();
      TokenProvider tokens = tokenProvider;
      if (tokens == null) {
        try {
          tokens = IamTokenProvider.builder().endpoint(iamEndpoint).apiKey(apiKey).clock(clock)
              .clients(clients).requestTimeout(requestTimeout).correlationId(cid).build();
        } finally {
          Arrays.fill(apiKey, '\0');
          apiKey = null;
        }
      }
      HttpCaller caller = new HttpCaller(clients, tokens, requestTimeout, maxResponseBytes, cid,
          clock);
      ResourceControllerClient rc = new ResourceControllerClient(caller, resourceController,
          resourceManager != null ? resourceManager : resourceController, globalCatalog, planId,
          resourceGroupName);
      return new HttpTransport(caller, rc, random != null ? random : new SecureRandom());
    }

    private static String requireText(String v, String what) {
      Objects.requireNonNull(v, what);
      if (v.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return v.trim();
    }
  }
}
