package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.http.StubServer.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsNeverLeakTest {
  private static final String API_KEY = "apikey-SECRET-0123456789";
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNlY3JldA";

  @Test
  void neitherTheApiKeyNorTheTokenAppearInLogsMessagesOrToString() throws Exception {
    List<String> logged;
    List<String> seen = new ArrayList<>();
    try (LogCapture logs = new LogCapture(); StubServer s = new StubServer()) {
      s.on("POST", "/identity/token", Answer.json(200, "{\"access_token\":\"" + TOKEN
          + "\",\"expires_in\":3600}"));
      // The service refuses the token, then echoes it back in its error message.
      s.on("GET", "/api/v1/cryptounits", Answer.json(401, "{\"message\":\"bad token\"}"),
          Answer.json(500, "{\"message\":\"cannot use Authorization: Bearer " + TOKEN + "\"}"));
      s.on("GET", "/api/v1/cryptouser/metadata", Answer.dropConnection());
      s.on("POST", "/api/v1/cryptounits/claim", Answer.json(400, "{\"message\":\"token was " + TOKEN + "\"}"));
      HttpTransport t = HttpTransport.builder().apiKey(API_KEY.toCharArray()).iamEndpoint(s.baseUri()).build();
      InstanceTarget target = new InstanceTarget(s.baseUri(), "g");

      seen.add(String.valueOf(catchThrowable(() -> t.cryptoUnits().listUnits(target))));
      seen.add(String.valueOf(catchThrowable(() -> t.cryptoUnits().cryptoUserMetadata(target))));
      seen.add(String.valueOf(catchThrowable(() -> t.cryptoUnits().claim(target, "u", "PEM"))));
      seen.add(t.toString());
      seen.add(t.cryptoUnits().toString());
      seen.add(t.provisioning().toString());
      assertThat(s.requests("GET", "/api/v1/cryptounits").get(0).header("Authorization"))
          .isEqualTo("Bearer " + TOKEN);
      logged = logs.lines();
    }

    assertThat(logged).isNotEmpty();
    assertThat(seen).hasSize(6);
    for (String text : concat(logged, seen)) {
      assertThat(text).doesNotContain(API_KEY).doesNotContain(TOKEN).doesNotContain("c2lnbmF0dXJlLXNlY3JldA");
    }
    assertThat(seen.get(0)).contains("[redacted]");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
