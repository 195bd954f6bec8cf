package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.http.SignedCommand;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.SessionProtocol;
import io.kpdedicated.testkit.CloudSnapshot;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InstanceSnapshot;
import io.kpdedicated.testkit.SessionInfo;
import io.kpdedicated.testkit.InjectedGatewayAnswer;
import io.kpdedicated.testkit.SimulatedCrashException;
import io.kpdedicated.testkit.UnitSnapshot;
import io.kpdedicated.crypto.RsaKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Serves IAM, the Resource Controller (and the Resource Manager and Global Catalog calls the
 * transport needs), the crypto-unit API, the signed session protocol and the control API, on top of
 * an {@link InMemoryDedicatedCloud}. Thread-safe.
 */
final class EmulatorHandler implements HttpHandler {
  private static final System.Logger LOG = System.getLogger("io.kpdedicated.testkit.emulator");
  static final ObjectMapper JSON = JsonMapper.builder().build();
  /** Reads request bodies: a duplicate key or anything after the JSON value is refused. */
  private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  static final int MAX_BODY = 256 * 1024;
  /**
   * Headers that authenticate or route a call: sent twice they could be read two ways, so a
   * request carrying one of them more than once is refused.
   */
  static final List<String> SINGLE_HEADERS = List.of("Authorization",
      SessionProtocol.HEADER_CRYPTO_UNIT_ID, "Instance-ID", "Bluemix-Instance",
      SessionProtocol.HEADER_SIGNATURE_VERSION, SessionProtocol.HEADER_TIMESTAMP,
      SessionProtocol.HEADER_NONCE, SessionProtocol.HEADER_CONTENT_SHA256,
      SessionProtocol.HEADER_SIGNATURE, "Content-Type", "Content-Length");
  private static final String KMS_SERVICE_ID = "kpd-emulator-kms-service";
  private static final String GRANT = "urn:ibm:params:oauth:grant-type:apikey";

  private final LoopbackEmulator emulator;
  private final InMemoryDedicatedCloud cloud;
  private final IssuedTokens tokens;
  private final String apiKey;
  private final OpenSessions sessions;
  private final MalformedAnswers malformed = new MalformedAnswers();

  EmulatorHandler(LoopbackEmulator emulator, InMemoryDedicatedCloud cloud, IssuedTokens tokens,
      String apiKey, OpenSessions sessions) {
    this.emulator = emulator;
    this.cloud = cloud;
    this.tokens = tokens;
    this.apiKey = apiKey;
    this.sessions = sessions;
  }

  // ------------------------------------------------------------------ plumbing

  /** One request as read. */
  record Req(String method, String rawPath, List<String> segments, Map<String, String> query,
      HttpExchange exchange, byte[] body) {
    String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }
  }

  /** One answer; {@code drop} closes the connection instead. */
  record Reply(int status, byte[] body, Map<String, String> headers, boolean drop) {
    static Reply json(int status, JsonNode node) {
      try {
        return new Reply(status, JSON.writeValueAsBytes(node), Map.of("Content-Type", "application/json"), false);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Reply empty(int status) {
      return new Reply(status, new byte[0], Map.of(), false);
    }

    static Reply dropped() {
      return new Reply(0, new byte[0], Map.of(), true);
    }

    Reply with(String header, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Reply(status, body, h, drop);
    }
  }

  /** An error answer raised while handling; rendered in the style of the API family. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final long retryAfterSeconds;

    Refusal(int status, String code, String message) {
      this(status, code, message, 0);
    }

    Refusal(int status, String code, String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  /** Carries a prepared broken answer out of a handler. */
  static final class Garbled extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Reply reply;

    Garbled(Reply reply) {
      super("malformed answer (injected fault)", null, false, false);
      this.reply = reply;
    }
  }

  /** Serves a broken answer instead of the call when a {@code malformed} fault matches. */
  private void garble(Operation op, String guid, String unitId) {
    int index = -1;
    if (guid != null && unitId != null) {
      try {
        for (UnitSnapshot u : cloud.snapshot(guid).units()) {
          if (u.id().equals(unitId)) {
            index = u.index();
          }
        }
      } catch (java.util.NoSuchElementException e) {
        index = -1;
      }
    }
    Reply r = malformed.take(op, unitId, index);
    if (r != null) {
      throw new Garbled(r);
    }
  }

  /** Thrown out of {@link #handle} so the server closes the connection without an answer. */
  static final class DropConnection extends IOException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("connection dropped on purpose (injected fault)");
    }
  }

  private enum Family { IAM, PLATFORM, KP, CONTROL }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    Reply reply;
    Family family = Family.PLATFORM;
    String requestId = echoable(ex.getRequestHeaders().getFirst("X-Request-ID"));
    try {
      byte[] body = readBody(ex);
      if (!RequestGuard.requestRead()) {
        throw new DropConnection();
      }
      String rawPath = ex.getRequestURI().getRawPath();
      if (rawPath == null || !rawPath.startsWith("/")) {
        throw new Refusal(400, "BAD_REQUEST", "the request target must be a path starting with '/'");
      }
      List<String> segments = segments(rawPath);
      family = family(segments);
      Req req = new Req(ex.getRequestMethod().toUpperCase(Locale.ROOT), rawPath, segments,
          query(ex.getRequestURI().getRawQuery(), "the query string", false), ex, body);
      reply = route(req);
    } catch (Garbled g) {
      reply = g.reply;
    } catch (Refusal r) {
      reply = error(family, r.status, r.code, r.getMessage(), null, requestId);
      if (r.retryAfterSeconds > 0) {
        reply = reply.with("Retry-After", Long.toString(r.retryAfterSeconds));
      }
    } catch (ServiceException e) {
      if (e.getCause() instanceof InjectedGatewayAnswer g) {
        reply = new Reply(g.answer().status(), g.answer().body().getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", g.answer().contentType()), false);
      } else {
      int status = e instanceof HttpServiceException h ? h.status() : 500;
      reply = error(family, status, e.serviceCode().orElse("ERROR"), e.getMessage(),
          e.requestId().orElse(null), requestId);
      if (e.retryAfter().isPresent()) {
        Duration d = e.retryAfter().get();
        long secs = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        reply = reply.with("Retry-After", Long.toString(secs));
      }
      }
    } catch (TransportException | SimulatedCrashException e) {
      reply = Reply.dropped();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "emulator failed to serve a request", e);
      reply = error(family, 500, "EMULATOR_ERROR", "the emulator failed ("
          + e.getClass().getSimpleName() + "); see its log", null, requestId);
    }
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

  private static byte[] readBody(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new Refusal(400, "BAD_REQUEST", "header Content-Length is not a number");
      }
      if (declared > MAX_BODY) {
        throw new Refusal(413, "REQUEST_TOO_LARGE", "the request body is larger than " + MAX_BODY
            + " bytes");
      }
    }
    InputStream in = ex.getRequestBody();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > MAX_BODY) {
        throw new Refusal(413, "REQUEST_TOO_LARGE", "the request body is larger than " + MAX_BODY + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(decode(s.replace("+", "%2B"), "the path"));
      }
    }
    return out;
  }

  /** Percent-decodes; bad escapes are the client's error (400), not the emulator's. */
  private static String decode(String s, String where) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "BAD_REQUEST", where + " has a bad percent-escape (use %XX with two"
          + " hex digits)");
    }
  }

  /**
   * Parses {@code a=1&b=2} (a query string or a form). With {@code unique}, a name given twice is
   * refused; otherwise the first value counts.
   */
  private static Map<String, String> query(String raw, String where, boolean unique) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq), where);
      String v = decode(eq < 0 ? "" : pair.substring(eq + 1), where);
      if (q.putIfAbsent(k, v) != null && unique) {
        throw new Refusal(400, "BAD_REQUEST", where + " names '" + k + "' more than once");
      }
    }
    return q;
  }

  private static Family family(List<String> s) {
    if (s.size() >= 1 && s.get(0).equals("identity")) {
      return Family.IAM;
    }
    if (s.size() >= 1 && s.get(0).equals("emulator")) {
      return Family.CONTROL;
    }
    if (s.size() >= 3 && s.get(0).equals("api") && s.get(1).equals("v1")
        && (s.get(2).startsWith("crypto"))) {
      return Family.KP;
    }
    return Family.PLATFORM;
  }

  private Reply error(Family family, int status, String code, String message, String transactionId,
      String requestId) {
    ObjectNode o = JSON.createObjectNode();
    switch (family) {
      case IAM:
        o.put("errorCode", code).put("errorMessage", message);
        o.putObject("context").put("requestId", transactionId != null ? transactionId : requestId);
        break;
      case KP: {
        o.putObject("metadata").put("collectionType", "application/vnd.ibm.kms.error+json")
            .put("collectionTotal", 1);
        ObjectNode r = o.putArray("resources").addObject();
        r.put("errorMsg", reasonPhrase(status));
        r.putArray("reasons").addObject().put("code", code).put("message", message)
            .put("status", status).put("moreInfo", "kp-dedicated loopback emulator");
        break;
      }
      default:
        o.put("message", message).put("status_code", status).put("error_code", code)
            .put("transaction_id", transactionId != null ? transactionId : requestId);
        break;
    }
    return Reply.json(status, o);
  }

  private static String reasonPhrase(int status) {
    switch (status) {
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 409: return "Conflict";
      case 429: return "Too Many Requests";
      case 503: return "Service Unavailable";
      default: return status >= 500 ? "Internal Server Error" : "Error";
    }
  }

  // ------------------------------------------------------------------ routing

  private Reply route(Req r) {
    List<String> s = r.segments();
    String m = r.method();
    for (String h : SINGLE_HEADERS) {
      List<String> values = r.exchange().getRequestHeaders().get(h);
      if (values != null && values.size() > 1) {
        throw new Refusal(400, "DUPLICATE_HEADER", "header " + h + " is sent " + values.size()
            + " times; send it once");
      }
    }
    if (matches(s, "identity", "token")) {
      return allow(m, "POST") ? token(r) : notAllowed(m);
    }
    if (s.size() >= 2 && s.get(0).equals("emulator") && s.get(1).equals("v1")) {
      return control(r);
    }
    if (matches(s, "v2", "resource_instances")) {
      authenticate(r);
      if (m.equals("GET")) {
        return listInstances(r);
      }
      return allow(m, "POST") ? createInstance(r) : notAllowed(m);
    }
    if (s.size() == 3 && s.get(0).equals("v2") && s.get(1).equals("resource_instances")) {
      authenticate(r);
      if (!m.equals("GET")) {
        return notAllowed(m);
      }
      garble(Operation.GET_INSTANCE, null, null);
      return instanceDoc(cloud.getInstance(s.get(2)));
    }
    if (matches(s, "v2", "resource_groups")) {
      authenticate(r);
      return allow(m, "GET") ? resourceGroups(r) : notAllowed(m);
    }
    if (matches(s, "api", "v1", "cryptounits")) {
      return allow(m, "GET") ? listUnits(r) : notAllowed(m);
    }
    if (matches(s, "api", "v1", "cryptounits", "claim")) {
      return allow(m, "POST") ? claim(r) : notAllowed(m);
    }
    if (matches(s, "api", "v1", "cryptouser", "metadata")) {
      return allow(m, "GET") ? metadata(r) : notAllowed(m);
    }
    if (s.size() >= 4 && s.get(0).equals("api") && s.get(1).equals("v1") && s.get(2).equals("crypto_units")) {
      return cryptoUnit(r, s.get(3), s.subList(4, s.size()));
    }
    if (matches(s, "api", "v1")) {
      authenticate(r);
      return allow(m, "GET") ? catalogSearch(r) : notAllowed(m);
    }
    if (s.size() == 4 && s.get(0).equals("api") && s.get(1).equals("v1") && s.get(3).equals("plan")) {
      authenticate(r);
      return allow(m, "GET") ? catalogPlans(s.get(2)) : notAllowed(m);
    }
    throw new Refusal(404, "NOT_FOUND", "the emulator serves no " + m + " " + r.rawPath());
  }

  private static boolean matches(List<String> s, String... parts) {
    return s.equals(List.of(parts));
  }

  private static boolean allow(String method, String expected) {
    return method.equals(expected);
  }

  private static Reply notAllowed(String method) {
    throw new Refusal(405, "METHOD_NOT_ALLOWED", "method " + method + " is not allowed here");
  }

  private void authenticate(Req r) {
    String auth = r.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Refusal(401, "BXNIM0308E", "no bearer token: send Authorization: Bearer <IAM token>");
    }
    if (!tokens.valid(auth.substring(7).trim())) {
      throw new Refusal(401, "BXNIM0408E", "the bearer token is unknown, revoked or expired; get a new"
          + " one from the IAM endpoint");
    }
  }

  private static JsonNode jsonBody(Req r) {
    if (r.body().length == 0) {
      throw new Refusal(400, "BAD_REQUEST", "the request needs a JSON body");
    }
    JsonNode n = strictJson(r.body());
    if (n == null || !n.isObject()) {
      throw new Refusal(400, "BAD_REQUEST", "the request body must be a JSON object");
    }
    return n;
  }

  /** Parses a request body strictly (one value, no duplicate keys); a bad one is a 400. */
  private static JsonNode strictJson(byte[] body) {
    try {
      return STRICT_JSON.readTree(body);
    } catch (IOException e) {
      throw new Refusal(400, "BAD_REQUEST", "the request body is not valid JSON (one value, no"
          + " duplicate keys, nothing after it)");
    }
  }

  /**
   * Refuses an RSA key outside the SDK's size limits ({@link RsaKeys#MIN_RSA_BITS} and up, checked
   * by {@link RsaKeys#checkKeySize}); text that is no RSA key at all is left to the cloud, which
   * answers its own 400.
   */
  private static void requireStrongRsa(String pem, String field, String unitId) {
    java.security.interfaces.RSAPublicKey key;
    try {
      key = RsaKeys.fromPemAnySize(pem);
    } catch (RuntimeException e) {
      return;
    }
    try {
      RsaKeys.checkKeySize(key);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "KEY_TOO_SHORT", "field '" + field + "' for crypto unit " + unitId
          + ": " + e.getMessage());
    }
  }

  private static String requiredText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new Refusal(400, "BAD_REQUEST", "field '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  // ------------------------------------------------------------------ IAM

  private Reply token(Req r) {
    String type = Optional.ofNullable(r.header("Content-Type")).orElse("");
    if (!type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new Refusal(400, "BXNIM0109E", "the token request must be a form (application/x-www-form-urlencoded)");
    }
    Map<String, String> form = query(new String(r.body(), StandardCharsets.US_ASCII), "the form",
        true);
    if (!GRANT.equals(form.get("grant_type"))) {
      throw new Refusal(400, "BXNIM0109E", "grant_type must be " + GRANT);
    }
    garble(Operation.TOKEN, null, null);
    cloud.admitCall(Operation.TOKEN);
    String key = form.get("apikey");
    if (key == null || key.isEmpty()) {
      throw new Refusal(400, "BXNIM0103E", "the apikey form field is missing");
    }
    if (!java.security.MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
        apiKey.getBytes(StandardCharsets.UTF_8))) {
      throw new Refusal(400, "BXNIM0415E", "Provided API key could not be found.");
    }
    IssuedTokens.Issued t = tokens.issue();
    ObjectNode o = JSON.createObjectNode()
        .put("access_token", t.token())
        .put("refresh_token", "not_supported")
        .put("ims_user_id", 0)
        .put("token_type", "Bearer")
        .put("expires_in", t.lifetimeSeconds())
        .put("expiration", t.expiresAt().getEpochSecond())
        .put("scope", "ibm openid");
    return Reply.json(200, o);
  }

  // ------------------------------------------------------------------ Resource Controller

  private Reply listInstances(Req r) {
    String name = r.query().get("name");
    String plan = r.query().get("resource_plan_id");
    garble(Operation.FIND_INSTANCE, null, null);
    cloud.admitCall(Operation.FIND_INSTANCE);
    ArrayNode resources = JSON.createArrayNode();
    if (plan == null || plan.equals(LoopbackEmulator.PLAN_ID)) {
      for (InstanceSnapshot i : cloud.snapshot().instances()) {
        if (name == null || i.instance().name().equals(name)) {
          resources.add(instanceJson(i.instance()));
        }
      }
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("rows_count", resources.size());
    o.putNull("next_url");
    o.set("resources", resources);
    return Reply.json(200, o);
  }

  private Reply createInstance(Req r) {
    JsonNode body = jsonBody(r);
    String name = requiredText(body, "name");
    String target = requiredText(body, "target");
    String plan = requiredText(body, "resource_plan_id");
    if (!plan.equals(LoopbackEmulator.PLAN_ID)) {
      throw new Refusal(400, "RC-InvalidPlan", "resource_plan_id '" + plan + "' is not the Key Protect"
          + " Dedicated plan (" + LoopbackEmulator.PLAN_ID + ")");
    }
    JsonNode group = body.get("resource_group");
    String groupId = group == null || group.isNull() ? null : group.asText();
    JsonNode params = body.get("parameters");
    JsonNode units = params == null ? null : params.get("crypto_units");
    int count = units == null || units.isNull() ? InstanceRequest.DEFAULT_CRYPTO_UNITS
        : units.isIntegralNumber() ? units.intValue() : -1;
    InstanceRequest request;
    try {
      request = new InstanceRequest(name, target, groupId, count);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "RC-InvalidParameters", e.getMessage());
    }
    garble(Operation.CREATE_INSTANCE, null, null);
    return instanceDoc(201, cloud.createInstance(request));
  }

  private Reply instanceDoc(ServiceInstance si) {
    return instanceDoc(200, si);
  }

  private Reply instanceDoc(int status, ServiceInstance si) {
    return Reply.json(status, instanceJson(si));
  }

  ObjectNode instanceJson(ServiceInstance si) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", si.id()).put("guid", si.guid()).put("crn", si.crn()).put("url",
        "/v2/resource_instances/" + si.guid());
    o.put("name", si.name()).put("region_id", si.region()).put("resource_id", KMS_SERVICE_ID)
        .put("resource_plan_id", LoopbackEmulator.PLAN_ID).put("resource_group_id", LoopbackEmulator.RESOURCE_GROUP_ID)
        .put("type", "service_instance").put("state", si.rawState());
    ObjectNode last = o.putObject("last_operation");
    io.kpdedicated.core.model.InstanceState st = si.state();
    String opState = st == io.kpdedicated.core.model.InstanceState.ACTIVE ? "succeeded"
        : st == io.kpdedicated.core.model.InstanceState.FAILED ? "failed" : "in progress";
    String description = st == io.kpdedicated.core.model.InstanceState.ACTIVE
        ? "Completed create instance operation"
        : st == io.kpdedicated.core.model.InstanceState.FAILED ? "Failed create instance operation"
        : "Started create instance operation";
    last.put("type", "create").put("async", true).put("state", opState)
        .put("description", description);
    o.putObject("parameters").put("crypto_units", si.cryptoUnits());
    ObjectNode ext = o.putObject("extensions");
    ext.put("crypto_units", si.cryptoUnits());
    ObjectNode endpoints = ext.putObject("endpoints");
    if (si.publicEndpoint() != null) {
      endpoints.put("public", emulator.publicEndpoint().toString());
      endpoints.put("private", emulator.privateEndpoint().toString());
    }
    return o;
  }

  private Reply resourceGroups(Req r) {
    String name = r.query().get("name");
    ArrayNode a = JSON.createArrayNode();
    if (name == null || name.equals(LoopbackEmulator.RESOURCE_GROUP_NAME)) {
      a.addObject().put("id", LoopbackEmulator.RESOURCE_GROUP_ID)
          .put("name", LoopbackEmulator.RESOURCE_GROUP_NAME).put("default", true).put("state", "ACTIVE");
    }
    ObjectNode o = JSON.createObjectNode();
    o.set("resources", a);
    return Reply.json(200, o);
  }

  private Reply catalogSearch(Req r) {
    ArrayNode a = JSON.createArrayNode();
    String q = r.query().getOrDefault("q", "");
    if (q.isEmpty() || q.contains("kms")) {
      a.addObject().put("id", KMS_SERVICE_ID).put("name", "kms").put("kind", "service");
    }
    ObjectNode o = JSON.createObjectNode().put("count", a.size());
    o.set("resources", a);
    return Reply.json(200, o);
  }

  private Reply catalogPlans(String serviceId) {
    ArrayNode a = JSON.createArrayNode();
    if (serviceId.equals(KMS_SERVICE_ID) || serviceId.equals("kms")) {
      a.addObject().put("id", LoopbackEmulator.PLAN_ID).put("name", "dedicated").put("kind", "plan");
    }
    ObjectNode o = JSON.createObjectNode().put("count", a.size());
    o.set("resources", a);
    return Reply.json(200, o);
  }

  // ------------------------------------------------------------------ crypto-unit API

  private String instanceGuid(Req r) {
    authenticate(r);
    String a = r.header("Instance-ID");
    String b = r.header("Bluemix-Instance");
    if (a == null && b == null) {
      throw new Refusal(400, "B1B39C46", "missing header Bluemix-Instance / Instance-ID (the instance GUID)");
    }
    if (a != null && b != null && !a.equals(b)) {
      throw new Refusal(400, "B1B39C46", "headers Bluemix-Instance and Instance-ID name different instances");
    }
    return a != null ? a : b;
  }

  private Reply listUnits(Req r) {
    String guid = instanceGuid(r);
    garble(Operation.LIST_UNITS, guid, null);
    ArrayNode a = JSON.createArrayNode();
    for (CryptoUnit u : cloud.listUnits(guid)) {
      a.addObject().put("id", u.id()).put("instanceId", u.instanceId()).put("state", u.rawState());
    }
    return Reply.json(200, a);
  }

  private Reply claim(Req r) {
    String guid = instanceGuid(r);
    String unit = r.header(SessionProtocol.HEADER_CRYPTO_UNIT_ID);
    if (unit == null || unit.isBlank()) {
      throw new Refusal(400, "B1B39C46", "missing header Crypto-Unit-ID");
    }
    JsonNode body = jsonBody(r);
    String certificate = requiredText(body, "certificate");
    requireStrongRsa(certificate, "certificate", unit);
    garble(Operation.CLAIM, guid, unit);
    cloud.claim(guid, unit, certificate);
    return Reply.empty(204);
  }

  private Reply metadata(Req r) {
    String guid = instanceGuid(r);
    garble(Operation.CRYPTO_USER_METADATA, guid, null);
    CryptoUserMetadata m = cloud.cryptoUserMetadata(guid);
    return Reply.json(200, JSON.createObjectNode().put("user_name", m.userName())
        .put("public_key", m.publicKeyPem()).put("slot_id", m.slotId()));
  }

  private Reply cryptoUnit(Req r, String unitId, List<String> rest) {
    String m = r.method();
    String guid = instanceGuid(r);
    String headerUnit = r.header(SessionProtocol.HEADER_CRYPTO_UNIT_ID);
    if (headerUnit != null && !headerUnit.equals(unitId)) {
      throw new Refusal(400, "B1B39C46", "header Crypto-Unit-ID (" + headerUnit
          + ") does not match the unit in the path (" + unitId + ")");
    }
    if (rest.equals(List.of("zeroize"))) {
      if (!m.equals("POST")) {
        return notAllowed(m);
      }
      garble(Operation.ZEROIZE, guid, unitId);
      cloud.zeroize(guid, unitId);
      sessions.endUnit(guid, unitId);
      return Reply.empty(204);
    }
    if (rest.equals(List.of("sessions"))) {
      if (!m.equals("POST")) {
        return notAllowed(m);
      }
      SignedCommand c = signed(r, unitId);
      String user = requiredText(jsonBody(r), SessionProtocol.FIELD_USER_NAME);
      if (!user.equals("ADMIN")) {
        throw new Refusal(400, "BAD_REQUEST", "field '" + SessionProtocol.FIELD_USER_NAME
            + "' must be ADMIN: only the unit's administrator opens sessions");
      }
      garble(Operation.OPEN_SESSION, guid, unitId);
      OpenSessions.Reservation place = sessions.reserve(guid, unitId);
      SessionInfo info;
      try {
        info = cloud.openSession(guid, unitId, c, r.body());
      } catch (RuntimeException e) {
        sessions.release(place);
        throw e;
      }
      sessions.open(place, info.sessionId());
      return Reply.json(201, JSON.createObjectNode()
          .put(SessionProtocol.FIELD_SESSION_ID, info.sessionId())
          .put(SessionProtocol.FIELD_CRYPTO_UNIT_ID, unitId)
          .put(SessionProtocol.FIELD_IMPORT_PUBLIC_KEY, RsaKeys.toPkcs1Pem(info.importKey()))
          .put(SessionProtocol.FIELD_IMPORT_KEY_ALGORITHM, SessionProtocol.WRAPPING_RSA_OAEP_256));
    }
    if (rest.size() >= 2 && rest.get(0).equals("sessions")) {
      String sessionId = rest.get(1);
      List<String> op = rest.subList(2, rest.size());
      if (!sessions.use(sessionId, guid, unitId)) {
        throw new Refusal(404, "SESSION_NOT_FOUND", "no open session " + sessionId + " on crypto unit "
            + unitId + " (never opened, closed, ended by a zeroize or expired after being idle);"
            + " open one first");
      }
      if (op.isEmpty()) {
        if (!m.equals("DELETE")) {
          return notAllowed(m);
        }
        sessions.close(sessionId);
        return Reply.empty(204);
      }
      if (op.equals(List.of("users")) && m.equals("GET")) {
        garble(Operation.LIST_USERS, guid, unitId);
        List<CryptoUser> users = cloud.listUsers(guid, unitId, signed(r, unitId), r.body());
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray(SessionProtocol.FIELD_USERS);
        users.forEach(u -> a.add(userJson(u.name(), u.type(), u.attributes())));
        return Reply.json(200, o);
      }
      if (op.equals(List.of("users")) && m.equals("POST")) {
        SignedCommand c = signed(r, unitId);
        NewUser user = newUser(jsonBody(r));
        requireStrongRsa(user.publicKeyPem(), SessionProtocol.FIELD_PUBLIC_KEY, unitId);
        garble(Operation.ADD_USER, guid, unitId);
        cloud.addUser(guid, unitId, user, c, r.body());
        return Reply.json(201, userJson(user.name(), user.type(), user.attributes()));
      }
      if (op.equals(List.of("master_keys")) && m.equals("GET")) {
        garble(Operation.LIST_MASTER_KEYS, guid, unitId);
        List<MasterKeyInfo> keys = cloud.listMasterKeys(guid, unitId, signed(r, unitId), r.body());
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray(SessionProtocol.FIELD_MASTER_KEYS);
        keys.forEach(k -> a.add(keyJson(k)));
        return Reply.json(200, o);
      }
      if (op.equals(List.of("master_keys", "import")) && m.equals("POST")) {
        SignedCommand c = signed(r, unitId);
        JsonNode body = jsonBody(r);
        String name = requiredText(body, SessionProtocol.FIELD_NAME);
        JsonNode alg = body.get(SessionProtocol.FIELD_WRAPPING_ALGORITHM);
        if (alg != null && !alg.isNull() && !SessionProtocol.WRAPPING_RSA_OAEP_256.equals(alg.asText())) {
          throw new Refusal(400, "UNSUPPORTED_WRAPPING", "only " + SessionProtocol.WRAPPING_RSA_OAEP_256
              + " is supported");
        }
        byte[] wrapped;
        try {
          wrapped = Base64.getDecoder().decode(requiredText(body, SessionProtocol.FIELD_WRAPPED_KEY));
        } catch (IllegalArgumentException e) {
          throw new Refusal(400, "BAD_REQUEST", "field 'wrapped_key' is not base64");
        }
        garble(Operation.IMPORT_MASTER_KEY, guid, unitId);
        MasterKeyInfo info = cloud.importMasterKey(guid, unitId, name, wrapped, c, r.body());
        return Reply.json(201, keyJson(info));
      }
      if (op.equals(List.of("users")) || op.equals(List.of("master_keys"))
          || op.equals(List.of("master_keys", "import"))) {
        return notAllowed(m);
      }
    }
    throw new Refusal(404, "NOT_FOUND", "the emulator serves no " + m + " " + r.rawPath());
  }

  private static ObjectNode userJson(String name, UserType type, Map<String, String> attributes) {
    ObjectNode o = JSON.createObjectNode().put(SessionProtocol.FIELD_NAME, name)
        .put(SessionProtocol.FIELD_TYPE, type.wireValue());
    ObjectNode a = o.putObject(SessionProtocol.FIELD_ATTRIBUTES);
    attributes.forEach(a::put);
    return o;
  }

  private static ObjectNode keyJson(MasterKeyInfo k) {
    return JSON.createObjectNode().put(SessionProtocol.FIELD_NAME, k.name())
        .put(SessionProtocol.FIELD_KEY_CHECK_VALUE, k.checkValue().text());
  }

  private static NewUser newUser(JsonNode body) {
    String name = requiredText(body, SessionProtocol.FIELD_NAME);
    String type = requiredText(body, SessionProtocol.FIELD_TYPE);
    String key = requiredText(body, SessionProtocol.FIELD_PUBLIC_KEY);
    Map<String, String> attrs = new LinkedHashMap<>();
    JsonNode a = body.get(SessionProtocol.FIELD_ATTRIBUTES);
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new Refusal(400, "BAD_REQUEST", "field 'attributes' must be an object of strings");
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!e.getValue().isTextual()) {
          throw new Refusal(400, "BAD_REQUEST", "attribute '" + e.getKey() + "' must be a string");
        }
        attrs.put(e.getKey(), e.getValue().asText());
      }
    }
    try {
      return new NewUser(UserType.fromWire(type), name, key, attrs);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "BAD_REQUEST", "the user is invalid: " + e.getMessage());
    }
  }

  /**
   * Rebuilds the signed command from the request as received: its own method and raw path, the
   * unit of the path, and the {@code X-KPD-*} headers. Missing or unreadable signature headers are
   * refused with 401 before the unit is touched.
   */
  private static SignedCommand signed(Req r, String unitId) {
    String version = r.header(SessionProtocol.HEADER_SIGNATURE_VERSION);
    String ts = r.header(SessionProtocol.HEADER_TIMESTAMP);
    String nonce = r.header(SessionProtocol.HEADER_NONCE);
    String digest = r.header(SessionProtocol.HEADER_CONTENT_SHA256);
    String sig = r.header(SessionProtocol.HEADER_SIGNATURE);
    if (version == null || ts == null || nonce == null || digest == null || sig == null) {
      throw new Refusal(401, "SIGNATURE_MISSING", "the session command for crypto unit " + unitId
          + " is not signed: send " + SessionProtocol.HEADER_SIGNATURE_VERSION + ", "
          + SessionProtocol.HEADER_TIMESTAMP + ", " + SessionProtocol.HEADER_NONCE + ", "
          + SessionProtocol.HEADER_CONTENT_SHA256 + " and " + SessionProtocol.HEADER_SIGNATURE);
    }
    if (!version.trim().equals(SignedCommand.VERSION)) {
      throw new Refusal(401, "SIGNATURE_VERSION_UNSUPPORTED", "signature version '" + version.trim()
          + "' is not supported; use " + SignedCommand.VERSION);
    }
    if (!SessionProtocol.isWellFormedNonce(nonce.trim())) {
      throw new Refusal(401, "SIGNATURE_MALFORMED", "header " + SessionProtocol.HEADER_NONCE
          + " of the command for crypto unit " + unitId + " is not a nonce: "
          + SessionProtocol.NONCE_FORMAT);
    }
    if (!digest.trim().matches("[0-9a-fA-F]{64}")) {
      throw new Refusal(401, "SIGNATURE_MALFORMED", "header " + SessionProtocol.HEADER_CONTENT_SHA256
          + " of the command for crypto unit " + unitId + " is not 64 hex digits (SHA-256)");
    }
    try {
      return new SignedCommand(r.method(), r.rawPath(), unitId, Long.parseLong(ts.trim()), nonce.trim(),
          digest.trim().toLowerCase(Locale.ROOT), Base64.getDecoder().decode(sig.trim()));
    } catch (IllegalArgumentException e) {
      throw new Refusal(401, "SIGNATURE_MALFORMED", "the signature headers of the command for crypto"
          + " unit " + unitId + " cannot be read");
    }
  }

  // ------------------------------------------------------------------ control API

  private Reply control(Req r) {
    List<String> s = r.segments().subList(2, r.segments().size());
    String m = r.method();
    if (s.equals(List.of("faults"))) {
      switch (m) {
        case "POST": {
          JsonNode body = strictJson(r.body());
          ArrayNode added = JSON.createArrayNode();
          List<JsonNode> faults = new ArrayList<>();
          if (body != null && body.isArray()) {
            body.forEach(faults::add);
          } else {
            faults.add(body);
          }
          try {
            // Every fault is checked before any is added: a refused request adds none.
            for (int i = 0; i < faults.size(); i++) {
              try {
                checkFault(faults.get(i));
              } catch (FaultRequests.BadFault e) {
                throw new FaultRequests.BadFault(faults.size() == 1 ? e.getMessage()
                    : "fault " + i + ": " + e.getMessage());
              }
            }
            for (JsonNode f : faults) {
              added.add(addFault(f));
            }
          } catch (FaultRequests.BadFault e) {
            throw new Refusal(400, "BAD_FAULT", e.getMessage());
          }
          ObjectNode o = JSON.createObjectNode();
          o.set("added", added);
          o.set("pending", pendingFaults());
          return Reply.json(201, o);
        }
        case "GET": {
          ObjectNode o = JSON.createObjectNode();
          o.set("pending", pendingFaults());
          return Reply.json(200, o);
        }
        case "DELETE":
          clearFaults();
          return Reply.empty(204);
        default:
          return notAllowed(m);
      }
    }
    if (s.equals(List.of("chaos")) && m.equals("POST")) {
      JsonNode body = jsonBody(r);
      JsonNode p = body.get("probability");
      JsonNode seed = body.get("seed");
      if (p == null || !p.isNumber() || p.doubleValue() < 0 || p.doubleValue() > 1) {
        throw new Refusal(400, "BAD_REQUEST", "'probability' must be a number from 0 to 1");
      }
      if (seed != null && !seed.isNull() && !(seed.isIntegralNumber() && seed.canConvertToLong())) {
        throw new Refusal(400, "BAD_REQUEST", "'seed' must be an integer (a 64-bit number), got "
            + seed.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      cloud.faults().chaos(p.doubleValue(), seed != null && !seed.isNull() ? seed.longValue() : 1L);
      return Reply.empty(204);
    }
    if (s.equals(List.of("state")) && m.equals("GET")) {
      return Reply.json(200, state());
    }
    if (s.equals(List.of("tokens", "revoke")) && m.equals("POST")) {
      tokens.revokeAll();
      return Reply.empty(204);
    }
    if (s.equals(List.of("instances")) && m.equals("POST")) {
      JsonNode body = jsonBody(r);
      String name = requiredText(body, "name");
      JsonNode units = body.get("crypto_units");
      if (units != null && !units.isNull() && !(units.isIntegralNumber() && units.canConvertToInt())) {
        throw new Refusal(400, "BAD_REQUEST", "'crypto_units' must be 2 or 3");
      }
      int n = units == null || units.isNull() ? 2 : units.intValue();
      ServiceInstance si;
      try {
        si = emulator.createActiveInstance(name, n);
      } catch (IllegalArgumentException e) {
        throw new Refusal(400, "BAD_REQUEST", e.getMessage());
      }
      return Reply.json(201, instanceJson(si));
    }
    throw new Refusal(404, "NOT_FOUND", "the control API has no " + m + " " + r.rawPath());
  }

  private void checkFault(JsonNode json) {
    if (json != null && json.isObject()) {
      FaultRequests.checkUnit(json.get("unit"), knownUnitIds());
    }
    if (isMalformed(json)) {
      MalformedAnswers.check(json);
    } else {
      FaultRequests.parse(json);
    }
  }

  private static boolean isMalformed(JsonNode json) {
    return json != null && json.isObject() && json.hasNonNull("kind")
        && json.get("kind").asText().equals("malformed");
  }

  private JsonNode addFault(JsonNode json) {
    if (json != null && json.isObject() && json.hasNonNull("kind")
        && json.get("kind").asText().equals("malformed")) {
      return malformed.add(json);
    }
    io.kpdedicated.testkit.FaultRule rule = FaultRequests.parse(json);
    cloud.faults().add(rule);
    return FaultRequests.toJson(rule);
  }

  private java.util.Set<String> knownUnitIds() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (InstanceSnapshot i : cloud.snapshot().instances()) {
      i.units().forEach(u -> ids.add(u.id()));
    }
    return ids;
  }

  private ArrayNode pendingFaults() {
    ArrayNode a = FaultRequests.toJson(cloud.faults().pending());
    a.addAll(malformed.pending());
    return a;
  }

  /** Clears the cloud's fault queue and the emulator's own malformed-answer faults. */
  void clearFaults() {
    cloud.faults().clear();
    malformed.clear();
  }

  ObjectNode state() {
    CloudSnapshot snap = cloud.snapshot();
    ObjectNode o = JSON.createObjectNode();
    ArrayNode instances = o.putArray("instances");
    for (InstanceSnapshot i : snap.instances()) {
      ObjectNode io = instanceJson(i.instance());
      ArrayNode units = io.putArray("units");
      for (UnitSnapshot u : i.units()) {
        ObjectNode uo = units.addObject();
        uo.put("id", u.id()).put("index", u.index()).put("state", u.state().wireValue() == null
            ? "unknown" : u.state().wireValue()).put("claimed", u.admin() != null);
        if (u.masterKey() != null) {
          uo.put("master_key_name", u.masterKey().name())
              .put("key_check_value", u.masterKey().checkValue().text());
        } else {
          uo.putNull("master_key_name").putNull("key_check_value");
        }
        ArrayNode users = uo.putArray("users");
        u.users().forEach(x -> users.add(userJson(x.name(), x.type(), x.attributes())));
      }
      instances.add(io);
    }
    o.put("tokens_issued", tokens.issuedCount());
    o.put("open_sessions", sessions.size());
    o.set("pending_faults", pendingFaults());
    return o;
  }
}
