package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ErrorBodiesTest {
  private static ErrorBodies.ServiceError parse(String body, String type) {
    return ErrorBodies.parse(body.getBytes(StandardCharsets.UTF_8), type);
  }

  @Test
  void readsKeyProtectErrorCollections() {
    ErrorBodies.ServiceError e = parse("{\"metadata\":{\"collectionTotal\":1},\"resources\":[{\"errorMsg\":"
        + "\"Conflict\",\"reasons\":[{\"code\":\"B1B39FC4\",\"message\":\"already claimed\"}]}]}", "application/json");

    assertThat(e).isEqualTo(new ErrorBodies.ServiceError("B1B39FC4", "Conflict: already claimed", null));
  }

  @Test
  void readsPlatformAndIamErrors() {
    assertThat(parse("{\"error_code\":\"RC-1\",\"message\":\"m\",\"transaction_id\":\"tx\"}", null))
        .isEqualTo(new ErrorBodies.ServiceError("RC-1", "m", "tx"));
    assertThat(parse("{\"errors\":[{\"code\":\"not_found\",\"message\":\"gone\"}],\"trace\":\"tr\"}", null))
        .isEqualTo(new ErrorBodies.ServiceError("not_found", "gone", "tr"));
    assertThat(parse("{\"errorCode\":\"BXNIM0415E\",\"errorMessage\":\"bad key\",\"context\":{\"requestId\":\"r\"}}", null))
        .isEqualTo(new ErrorBodies.ServiceError("BXNIM0415E", "bad key", "r"));
  }

  @Test
  void treatsShortPlainTextAsTheMessageAndIgnoresEverythingElse() {
    assertThat(parse("no healthy upstream", "text/plain").message()).isEqualTo("no healthy upstream");
    assertThat(parse("<html>oops</html>", "text/html")).isEqualTo(new ErrorBodies.ServiceError(null, null, null));
    assertThat(parse("[1,2]", "application/json").message()).isNull();
    assertThat(parse("{\"message\":", "application/json").message()).isNull();
    assertThat(ErrorBodies.parse(null, null).code()).isNull();
  }

  @Test
  void parsesRetryAfterSecondsDatesAndNonsense() {
    Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    assertThat(RetryAfter.parse("12", clock)).isEqualTo(Duration.ofSeconds(12));
    assertThat(RetryAfter.parse("Tue, 01 Jan 2030 00:01:00 GMT", clock)).isEqualTo(Duration.ofMinutes(1));
    assertThat(RetryAfter.parse("Mon, 31 Dec 2029 00:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("99999999999", clock)).isEqualTo(RetryAfter.MAX);
    assertThat(RetryAfter.parse("soon", clock)).isNull();
    assertThat(RetryAfter.parse(null, clock)).isNull();
  }

  @Test
  void redactsTokensFromServerText() {
    assertThat(Redactor.clean("Authorization: Bearer abc.def-ghi was refused", null))
        .isEqualTo("Authorization: Bearer [redacted] was refused");
    assertThat(Redactor.clean("tok eyJabcd.eyJefgh.sig1 end", null)).isEqualTo("tok [redacted] end");
    assertThat(Redactor.clean("my-opaque-token here", "my-opaque-token")).isEqualTo("[redacted] here");
  }
}
