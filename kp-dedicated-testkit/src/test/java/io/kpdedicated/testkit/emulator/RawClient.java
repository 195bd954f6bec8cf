package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpdedicated.http.SignedCommand;
import io.kpdedicated.crypto.AdminSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A plain JDK client that builds requests by hand, header by header. */
final class RawClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  RawClient(URI base) {
    this.base = base;
  }

  record Answer(int status, JsonNode json, String body, HttpResponse<String> raw) {}

  Answer send(String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (!r.body().isBlank()) {
        json = JSON.readTree(r.body());
      }
      return new Answer(r.statusCode(), json, r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Gets a token for an API key the way IBM's Go SDK core does. */
  String token(String apiKey) {
    Answer a = send("POST", "/identity/token", Map.of(
        "Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
        "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=" + apiKey
            + "&response_type=cloud_iam");
    if (a.status() != 200) {
      throw new AssertionError("token refused: " + a.body());
    }
    return a.json().get("access_token").asText();
  }

  /** The instance headers IBM's Go client sends (createHeadersfromContext). */
  static Map<String, String> instanceHeaders(String token, String guid, String operationId) {
    Map<String, String> h = new LinkedHashMap<>();
    String correlation = UUID.randomUUID().toString();
    h.put("Authorization", "Bearer " + token);
    h.put("X-IBMCloud-SDK-Analytics", "service_name=keyprotect-cryptounit-go-sdk;service_version=v1;"
        + "operation_id=" + operationId);
    h.put("X-Request-ID", UUID.randomUUID().toString());
    h.put("X-Correlation-ID", correlation);
    h.put("Correlation-Id", correlation);
    h.put("Instance-ID", guid);
    h.put("Bluemix-Instance", guid);
    h.put("Accept", "application/json");
    return h;
  }

  /** Signature headers of the session protocol for a request. */
  static Map<String, String> signature(AdminSigner signer, String method, String path, String unitId,
      String body, Instant at) {
    SignedCommand c = SignedCommand.sign(signer, method, path, unitId,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), at, Keys.RANDOM);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Crypto-Unit-ID", unitId);
    h.put("X-KPD-Signature-Version", "KPD-SIG-1");
    h.put("X-KPD-Timestamp", Long.toString(c.timestampMillis()));
    h.put("X-KPD-Nonce", c.nonce());
    h.put("X-KPD-Content-SHA256", c.bodySha256Hex());
    h.put("X-KPD-Signature", Base64.getEncoder().encodeToString(c.signature()));
    return h;
  }

  static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new LinkedHashMap<>(a);
    m.putAll(b);
    return m;
  }
}
