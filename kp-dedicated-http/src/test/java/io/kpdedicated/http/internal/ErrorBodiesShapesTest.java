package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.http.internal.ErrorBodies.ServiceError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ErrorBodies}: each shape and each fallback on its own, and what is never read. */
class ErrorBodiesShapesTest {
  private static final ServiceError NONE = new ServiceError(null, null, null);

  private static ServiceError parse(String body) {
    return parse(body, "application/json");
  }

  private static ServiceError parse(String body, String type) {
    return ErrorBodies.parse(body.getBytes(StandardCharsets.UTF_8), type);
  }

  @Test
  void anEmptyBodyOrAnHtmlTypeSaysNothingEvenIfTheBodyIsJson() {
    assertThat(ErrorBodies.parse(new byte[0], "application/json")).isEqualTo(NONE);
    assertThat(parse("{\"message\":\"m\",\"code\":\"c\"}", "text/html")).isEqualTo(NONE);
    assertThat(parse("<html>{\"message\":\"m\"}</html>", null)).isEqualTo(NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"just a string\"", "42", "null", "true"})
  void aJsonValueThatIsNotAnObjectSaysNothing(String body) {
    assertThat(parse(body)).isEqualTo(NONE);
  }

  @ParameterizedTest
  @CsvSource({"transaction_id", "trace", "request_id", "requestId", "correlation_id"})
  void findsTheRequestIdUnderEachName(String field) {
    assertThat(parse("{\"" + field + "\":\"rid\",\"message\":\"m\"}").requestId()).isEqualTo("rid");
  }

  @Test
  void takesTheRequestIdInOrderOfPreferenceAndSkipsBlankOnes() {
    assertThat(parse("{\"correlation_id\":\"c\",\"request_id\":\"r\",\"transaction_id\":\"t\"}").requestId())
        .isEqualTo("t");
    assertThat(parse("{\"trace\":\"t\",\"requestId\":\"r\"}").requestId()).isEqualTo("t");
    assertThat(parse("{\"transaction_id\":\" \",\"request_id\":\"r\"}").requestId()).isEqualTo("r");
    assertThat(parse("{\"transaction_id\":7}").requestId()).isNull();
  }

  @ParameterizedTest
  @CsvSource({"requestId", "request_id", "transaction_id"})
  void findsTheRequestIdInTheContextObject(String field) {
    assertThat(parse("{\"context\":{\"" + field + "\":\"ctx\"}}").requestId()).isEqualTo("ctx");
  }

  @Test
  void aTopLevelRequestIdWinsOverTheContextAndAContextMustBeAnObject() {
    assertThat(parse("{\"request_id\":\"top\",\"context\":{\"requestId\":\"ctx\"}}").requestId())
        .isEqualTo("top");
    assertThat(parse("{\"context\":\"requestId\"}").requestId()).isNull();
    assertThat(parse("{\"context\":[{\"requestId\":\"x\"}]}").requestId()).isNull();
  }

  @Test
  void keyProtectResourcesWithoutReasonsGiveTheErrorMessageAlone() {
    assertThat(parse("{\"resources\":[{\"errorMsg\":\"Conflict\"}]}"))
        .isEqualTo(new ServiceError(null, "Conflict", null));
    assertThat(parse("{\"resources\":[{\"message\":\"via message\",\"reasons\":[]}]}"))
        .isEqualTo(new ServiceError(null, "via message", null));
    assertThat(parse("{\"resources\":[{\"errorMsg\":\"E\",\"reasons\":[\"text\"]}]}"))
        .isEqualTo(new ServiceError(null, "E", null));
    assertThat(parse("{\"resources\":[{\"errorMsg\":\"E\",\"reasons\":{\"code\":\"C\"}}]}"))
        .isEqualTo(new ServiceError(null, "E", null));
  }

  @Test
  void aKeyProtectReasonAloneGivesItsCodeAndMessage() {
    assertThat(parse("{\"resources\":[{\"reasons\":[{\"code\":409,\"message\":\"taken\"}]}]}"))
        .isEqualTo(new ServiceError("409", "taken", null));
    assertThat(parse("{\"resources\":[{\"errorMsg\":\"E\",\"reasons\":[{\"code\":\"C\"}]}]}"))
        .isEqualTo(new ServiceError("C", "E", null));
  }

  @Test
  void resourcesThatAreEmptyOrNotObjectsFallBackToTheTopLevelFields() {
    assertThat(parse("{\"resources\":[],\"message\":\"top\"}").message()).isEqualTo("top");
    assertThat(parse("{\"resources\":[\"x\"],\"message\":\"top\"}").message()).isEqualTo("top");
    assertThat(parse("{\"resources\":{\"errorMsg\":\"no\"},\"message\":\"top\"}").message())
        .isEqualTo("top");
  }

  @Test
  void thePlatformErrorsArrayIsReadOnlyWhenNothingElseWas() {
    assertThat(parse("{\"errors\":[{\"code\":\"a\",\"message\":\"b\"}],\"resources\":[{\"errorMsg\":\"kp\"}]}"))
        .isEqualTo(new ServiceError(null, "kp", null));
    assertThat(parse("{\"errors\":[],\"message\":\"top\",\"code\":\"c\"}"))
        .isEqualTo(new ServiceError("c", "top", null));
    assertThat(parse("{\"errors\":[\"x\"],\"message\":\"top\"}"))
        .isEqualTo(new ServiceError(null, "top", null));
    assertThat(parse("{\"errors\":{\"code\":\"a\"}}")).isEqualTo(NONE);
    assertThat(parse("{\"errors\":[{\"code\":\"only-code\"}],\"message\":\"top\"}"))
        .isEqualTo(new ServiceError("only-code", "top", null));
  }

  @Test
  void anErrorsEntryWithACodeIsReadWhenTheKeyProtectPartGaveNeitherCodeNorMessage() {
    assertThat(parse("{\"resources\":[{}],\"errors\":[{\"code\":\"e\",\"message\":\"m\"}]}"))
        .isEqualTo(new ServiceError("e", "m", null));
  }

  @ParameterizedTest
  @CsvSource({"error_code", "errorCode", "code"})
  void findsTheCodeUnderEachName(String field) {
    assertThat(parse("{\"" + field + "\":\"C-1\"}").code()).isEqualTo("C-1");
    assertThat(parse("{\"" + field + "\":500}").code()).isEqualTo("500");
    assertThat(parse("{\"" + field + "\":true}").code()).isNull();
    assertThat(parse("{\"" + field + "\":\" \"}").code()).isNull();
  }

  @Test
  void takesTheCodeInOrderOfPreference() {
    assertThat(parse("{\"code\":\"3\",\"errorCode\":\"2\",\"error_code\":\"1\"}").code()).isEqualTo("1");
    assertThat(parse("{\"code\":\"3\",\"errorCode\":\"2\"}").code()).isEqualTo("2");
    assertThat(parse("{\"code\":\"3\",\"errorCode\":{}}").code()).isEqualTo("3");
  }

  @ParameterizedTest
  @CsvSource({"message", "errorMessage", "error_description", "description"})
  void findsTheMessageUnderEachName(String field) {
    assertThat(parse("{\"" + field + "\":\"words\"}").message()).isEqualTo("words");
    assertThat(parse("{\"" + field + "\":\"  \"}").message()).isNull();
    assertThat(parse("{\"" + field + "\":3}").message()).isNull();
  }

  @Test
  void takesTheMessageInOrderOfPreference() {
    assertThat(parse("{\"description\":\"4\",\"error_description\":\"3\",\"errorMessage\":\"2\","
        + "\"message\":\"1\"}").message()).isEqualTo("1");
    assertThat(parse("{\"description\":\"4\",\"error_description\":\"3\",\"message\":\" \"}").message())
        .isEqualTo("3");
  }

  @Test
  void readsOAuthStyleErrors() {
    assertThat(parse("{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}"))
        .isEqualTo(new ServiceError(null, "expired", null));
    assertThat(parse("{\"error\":\"invalid_grant\"}"))
        .isEqualTo(new ServiceError(null, "invalid_grant", null));
    assertThat(parse("{\"error\":\" \"}")).isEqualTo(NONE);
    assertThat(parse("{\"error\":5}")).isEqualTo(NONE);
  }

  @Test
  void readsAnErrorObject() {
    assertThat(parse("{\"error\":{\"message\":\"m\",\"code\":\"c\"}}"))
        .isEqualTo(new ServiceError("c", "m", null));
    assertThat(parse("{\"error\":{\"description\":\"d\",\"code\":7}}"))
        .isEqualTo(new ServiceError("7", "d", null));
    assertThat(parse("{\"code\":\"top\",\"error\":{\"message\":\"m\",\"code\":\"inner\"}}"))
        .isEqualTo(new ServiceError("top", "m", null));
    assertThat(parse("{\"message\":\"top\",\"error\":{\"message\":\"inner\",\"code\":\"inner\"}}"))
        .isEqualTo(new ServiceError(null, "top", null));
  }

  @Test
  void shortPlainTextIsTheMessage() {
    assertThat(parse("  upstream connect error\n", null))
        .isEqualTo(new ServiceError(null, "upstream connect error", null));
    assertThat(parse("no healthy upstream", "TEXT/PLAIN; charset=utf-8").message())
        .isEqualTo("no healthy upstream");
    assertThat(parse("line one\n\tline two", "text/plain").message()).isEqualTo("line one\n\tline two");
  }

  @Test
  void plainTextIsReadUpTo512Bytes() {
    assertThat(parse("a".repeat(512), "text/plain").message()).hasSize(512);
    assertThat(parse("a".repeat(513), "text/plain")).isEqualTo(NONE);
  }

  @Test
  void plainTextMustBeTextOfThatType() {
    assertThat(parse("not json", "application/json")).isEqualTo(NONE);
    assertThat(parse("bell\u0007", "text/plain")).isEqualTo(NONE);
    assertThat(parse("nul\u0000x", null)).isEqualTo(NONE);
    assertThat(parse(" \t\n", "text/plain")).isEqualTo(NONE);
  }
}
