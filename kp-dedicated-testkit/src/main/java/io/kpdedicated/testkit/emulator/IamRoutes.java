package io.kpdedicated.testkit.emulator;

import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IAM: {@code POST /identity/token} issues a bearer token for the emulator's API key (form
 * {@code grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=...}); the call passes the
 * cloud's fault gate as {@link Operation#TOKEN}. Thread-safe.
 */
final class IamRoutes {
  private static final String GRANT = "urn:ibm:params:oauth:grant-type:apikey";

  private final InMemoryDedicatedCloud cloud;
  private final IssuedTokens tokens;
  private final String apiKey;

  /**
   * Creates the routes.
   *
   * @param cloud the cloud whose fault gate the token call passes
   * @param tokens where tokens are issued
   * @param apiKey the only API key tokens are issued for
   */
  IamRoutes(InMemoryDedicatedCloud cloud, IssuedTokens tokens, String apiKey) {
    this.cloud = cloud;
    this.tokens = tokens;
    this.apiKey = apiKey;
  }

  /**
   * Adds the IAM routes to a table.
   *
   * @param table the emulator's route table
   */
  void register(RouteTable table) {
    table.add("POST", "/identity/token", this::token);
  }

  private Reply token(EmulatorRequest r) {
    String type = Optional.ofNullable(r.header("Content-Type")).orElse("");
    if (!type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new Refusal(400, "BXNIM0109E", "the token request must be a form (application/x-www-form-urlencoded)");
    }
    Map<String, String> form = RequestReader.form(new String(r.body(), StandardCharsets.US_ASCII),
        "the form", true);
    if (!GRANT.equals(form.get("grant_type"))) {
      throw new Refusal(400, "BXNIM0109E", "grant_type must be " + GRANT);
    }
    cloud.admitCall(Operation.TOKEN);
    String key = form.get("apikey");
    if (key == null || key.isEmpty()) {
      throw new Refusal(400, "BXNIM0103E", "the apikey form field is missing");
    }
    if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
        apiKey.getBytes(StandardCharsets.UTF_8))) {
      throw new Refusal(400, "BXNIM0415E", "Provided API key could not be found.");
    }
    IssuedTokens.Issued t = tokens.issue();
    return Reply.json(200, Json.object()
        .put("access_token", t.token())
        .put("refresh_token", "not_supported")
        .put("ims_user_id", 0)
        .put("token_type", "Bearer")
        .put("expires_in", t.lifetimeSeconds())
        .put("expiration", t.expiresAt().getEpochSecond())
        .put("scope", "ibm openid"));
  }
}
