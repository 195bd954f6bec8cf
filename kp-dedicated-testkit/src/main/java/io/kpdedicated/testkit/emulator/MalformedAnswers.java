package io.kpdedicated.testkit.emulator;

import io.kpdedicated.testkit.Fault;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes the broken {@code 200} answers of the {@link Fault.MalformedAnswer} fault kind, as a
 * misbehaving proxy or gateway sends them: {@code truncated} JSON, JSON with {@code wrong-types},
 * an {@code html} page, an {@code empty} body, or a {@code huge} one (8 MiB). The fault itself sits
 * in the cloud's one fault queue; this class only renders it. Stateless.
 */
final class MalformedAnswers {
  private MalformedAnswers() {}

  /**
   * Returns the broken answer a fault names.
   *
   * @param fault the fault
   * @return the answer, status 200
   */
  static Reply reply(Fault.MalformedAnswer fault) {
    String json = "application/json";
    switch (fault.body()) {
      case "truncated":
        return Reply.text(200, json, "{\"id\":\"x\",\"guid\":\"y\",\"users\":[{\"na");
      case "wrong-types":
        return Reply.text(200, json, "{\"id\":7,\"guid\":[],\"access_token\":5,"
            + "\"expires_in\":\"soon\",\"resources\":\"none\",\"users\":\"none\",\"master_keys\":{},"
            + "\"session_id\":5,\"user_name\":1,\"name\":false,\"key_check_value\":3}");
      case "html":
        return Reply.text(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>"
            + "Gateway</title></head><body><h1>Service temporarily unavailable</h1></body></html>");
      case "empty":
        return new Reply(200, new byte[0], Map.of("Content-Type", json), false);
      default: {
        byte[] huge = new byte[8 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '[';
        huge[huge.length - 1] = ']';
        return new Reply(200, huge, Map.of("Content-Type", json), false);
      }
    }
  }
}
