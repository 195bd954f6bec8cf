package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Wire}: every surprise in an answer becomes a typed error naming the operation, unit and field. */
class WireTest {
  private final Wire unitWire = new Wire(Operation.LIST_MASTER_KEYS, "unit-7");
  private final Wire wire = new Wire(Operation.TOKEN, null);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode json(String s) throws IOException {
    return Wire.MAPPER.readTree(s);
  }

  private static TransportException failure(Runnable r) {
    return catchThrowableOfType(TransportException.class, r::run);
  }

  @Test
  void parsesAnObjectAndKeepsItsFields() {
    JsonNode n = wire.parse(utf8("  {\"a\":1}  "), "application/json");

    assertThat(n.get("a").intValue()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n\t "})
  void refusesAnEmptyOrBlankBody(String body) {
    TransportException e = failure(() -> unitWire.parse(utf8(body), "application/json"));

    assertThat(e.getMessage()).isEqualTo("Malformed answer to " + Operation.LIST_MASTER_KEYS.wireName()
        + " for crypto unit unit-7: the answer has an empty body where JSON was expected");
    assertThat(e.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
    assertThat(e.retryable()).isTrue();
    assertThat(e.unitId()).contains("unit-7");
    assertThat(e.operation()).isEqualTo(Operation.LIST_MASTER_KEYS);
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("Key Protect endpoint"));
  }

  @Test
  void refusesANullBody() {
    assertThat(failure(() -> wire.parse(null, null)).getMessage())
        .endsWith(": the answer has an empty body where JSON was expected")
        .doesNotContain("crypto unit");
  }

  @Test
  void refusesAnHtmlPageNamingItsSize() {
    byte[] page = utf8("<html><body>Bad gateway</body></html>");

    assertThat(failure(() -> wire.parse(page, null)).getMessage())
        .contains("the answer is an HTML page (" + page.length + " bytes), not JSON");
    assertThat(failure(() -> wire.parse(utf8("{\"a\":1}"), "text/html; charset=utf-8")).getMessage())
        .contains("HTML page");
  }

  @Test
  void refusesTruncatedJsonWithItsSizeAndTheFirstLineOfTheReason() {
    byte[] truncated = utf8("{\"a\":");
    TransportException e = failure(() -> wire.parse(truncated, "application/json"));

    // Jackson's reason is several lines long; only its first line is quoted.
    assertThat(e.getMessage()).containsPattern("the answer is not valid JSON \\(5 bytes; truncated or"
        + " corrupt\\): Unexpected end-of-input[^\n]*$")
        .doesNotContain("Source:");
    assertThat(e.getCause()).isInstanceOf(IOException.class);
  }

  @Test
  void refusesTrailingTokensAndDuplicateKeys() {
    assertThat(failure(() -> wire.parse(utf8("{} {}"), null)).getMessage()).contains("not valid JSON");
    assertThat(failure(() -> wire.parse(utf8("{\"a\":1,\"a\":2}"), null)).getMessage())
        .contains("not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"<!DOCTYPE html><html>", "  <HTML>", "\n<head><title>", "<body>x", "<html"})
  void recognisesHtmlByItsFirstTag(String body) {
    assertThat(Wire.looksLikeHtml(utf8(body), null)).isTrue();
    assertThat(Wire.looksLikeHtml(utf8(body), "application/json")).isTrue();
  }

  @Test
  void recognisesHtmlByItsContentTypeInAnyCase() {
    assertThat(Wire.looksLikeHtml(utf8("{}"), "TEXT/HTML")).isTrue();
    assertThat(Wire.looksLikeHtml(utf8("{}"), "application/xhtml+xml")).isTrue();
  }

  @Test
  void doesNotTakeJsonOrTextForHtml() {
    assertThat(Wire.looksLikeHtml(utf8("{\"html\":\"<html>\"}"), "application/json")).isFalse();
    assertThat(Wire.looksLikeHtml(utf8("plain <html>"), null)).isFalse();
    assertThat(Wire.looksLikeHtml(new byte[0], null)).isFalse();
    // Only the first 64 bytes are looked at.
    assertThat(Wire.looksLikeHtml(utf8(" ".repeat(64) + "<html>"), null)).isFalse();
    assertThat(Wire.looksLikeHtml(utf8(" ".repeat(58) + "<html>"), null)).isTrue();
  }

  @Test
  void requiresObjectsAndArraysNamingWhatWasFound() throws IOException {
    JsonNode obj = json("{\"a\":[1],\"s\":\"x\",\"n\":2,\"b\":true,\"z\":null,\"o\":{}}");

    assertThat(wire.requireObject(obj, "the answer")).isSameAs(obj);
    assertThat(wire.requireArray(obj.get("a"), "x")).isSameAs(obj.get("a"));
    assertThat(failure(() -> wire.requireObject(obj.get("a"), "the answer")).getMessage())
        .endsWith(": the answer is an array, expected a JSON object");
    assertThat(failure(() -> wire.requireObject(null, "the answer")).getMessage())
        .endsWith(": the answer is missing, expected a JSON object");
    assertThat(failure(() -> wire.requireArray(obj.get("o"), "list")).getMessage())
        .endsWith(": list is an object, expected a JSON array");
    assertThat(failure(() -> wire.requireArray(null, "list")).getMessage())
        .endsWith(": list is missing, expected a JSON array");
    assertThat(failure(() -> wire.requireArray(obj.get("s"), "list")).getMessage())
        .endsWith(": list is a string, expected a JSON array");
    assertThat(failure(() -> wire.requireArray(obj.get("n"), "list")).getMessage())
        .endsWith(": list is a number, expected a JSON array");
    assertThat(failure(() -> wire.requireArray(obj.get("b"), "list")).getMessage())
        .endsWith(": list is a boolean, expected a JSON array");
    assertThat(failure(() -> wire.requireArray(obj.get("z"), "list")).getMessage())
        .endsWith(": list is null, expected a JSON array");
    assertThat(failure(() -> wire.requireObject(obj.path("absent"), "it")).getMessage())
        .endsWith(": it is missing, expected a JSON object");
  }

  @Test
  void readsTextFields() throws IOException {
    JsonNode obj = json("{\"s\":\"x\",\"blank\":\" \",\"n\":1,\"z\":null}");

    assertThat(wire.text(obj, "s")).isEqualTo("x");
    assertThat(wire.optText(obj, "s")).isEqualTo("x");
    assertThat(wire.optText(obj, "absent")).isNull();
    assertThat(wire.optText(obj, "z")).isNull();
    assertThat(wire.optText(obj, "blank")).isEqualTo(" ");
    assertThat(failure(() -> wire.optText(obj, "n")).getMessage())
        .endsWith(": field 'n' is a number, expected a string");
    assertThat(failure(() -> wire.text(obj, "blank")).getMessage())
        .endsWith(": field 'blank' is missing or empty");
    assertThat(failure(() -> wire.text(obj, "absent")).getMessage())
        .endsWith(": field 'absent' is missing or empty");
    assertThat(failure(() -> wire.text(obj, "z")).getMessage())
        .endsWith(": field 'z' is missing or empty");
  }

  @Test
  void readsIntegerFieldsThatFitAnInt() throws IOException {
    JsonNode obj = json("{\"i\":2147483647,\"neg\":-2147483648,\"big\":2147483648,\"f\":1.5,"
        + "\"s\":\"1\",\"z\":null}");

    assertThat(wire.integer(obj, "i")).isEqualTo(Integer.MAX_VALUE);
    assertThat(wire.integer(obj, "neg")).isEqualTo(Integer.MIN_VALUE);
    assertThat(failure(() -> wire.integer(obj, "big")).getMessage())
        .endsWith(": field 'big' is a number, expected an integer");
    assertThat(failure(() -> wire.integer(obj, "f")).getMessage())
        .endsWith(": field 'f' is a number, expected an integer");
    assertThat(failure(() -> wire.integer(obj, "s")).getMessage())
        .endsWith(": field 's' is a string, expected an integer");
    assertThat(failure(() -> wire.integer(obj, "z")).getMessage()).endsWith(": field 'z' is missing");
    assertThat(failure(() -> wire.integer(obj, "absent")).getMessage())
        .endsWith(": field 'absent' is missing");
  }

  @Test
  void readsOptionalLongs() throws IOException {
    JsonNode obj = json("{\"l\":9007199254740993,\"z\":null,\"s\":\"1\",\"huge\":1e30,\"b\":false}");

    assertThat(wire.optLong(obj, "l")).isEqualTo(9007199254740993L);
    assertThat(wire.optLong(obj, "z")).isNull();
    assertThat(wire.optLong(obj, "absent")).isNull();
    assertThat(failure(() -> wire.optLong(obj, "s")).getMessage())
        .endsWith(": field 's' is a string, expected a number");
    assertThat(failure(() -> wire.optLong(obj, "huge")).getMessage())
        .endsWith(": field 'huge' is a number, expected a number");
    assertThat(failure(() -> wire.optLong(obj, "b")).getMessage())
        .endsWith(": field 'b' is a boolean, expected a number");
  }

  @Test
  void readsOptionalObjectsAndRequiredArrays() throws IOException {
    JsonNode obj = json("{\"o\":{\"k\":1},\"a\":[],\"z\":null,\"s\":\"x\"}");

    assertThat(wire.optObject(obj, "o").get("k").intValue()).isEqualTo(1);
    assertThat(wire.optObject(obj, "z")).isNull();
    assertThat(wire.optObject(obj, "absent")).isNull();
    assertThat(failure(() -> wire.optObject(obj, "a")).getMessage())
        .endsWith(": field 'a' is an array, expected an object");
    assertThat(wire.array(obj, "a").isArray()).isTrue();
    assertThat(failure(() -> wire.array(obj, "z")).getMessage()).endsWith(": field 'z' is missing");
    assertThat(failure(() -> wire.array(obj, "absent")).getMessage())
        .endsWith(": field 'absent' is missing");
    assertThat(failure(() -> wire.array(obj, "s")).getMessage())
        .endsWith(": field 's' is a string, expected a JSON array");
  }

  @Test
  void malformedNamesTheOperationAndUnitAndKeepsTheCause() {
    IOException cause = new IOException("x");
    TransportException e = unitWire.malformed("detail", cause);

    assertThat(e.getMessage()).isEqualTo("Malformed answer to " + Operation.LIST_MASTER_KEYS.wireName()
        + " for crypto unit unit-7: detail");
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(wire.malformed("d").getMessage())
        .isEqualTo("Malformed answer to " + Operation.TOKEN.wireName() + ": d");
    assertThat(wire.malformed("d").getCause()).isNull();
  }

  @ParameterizedTest
  @CsvSource({"a,b"})
  void writesCompactUtf8Json(String k, String v) {
    assertThat(new String(Wire.bytes(Wire.object().put(k, v + "é")), StandardCharsets.UTF_8))
        .isEqualTo("{\"" + k + "\":\"" + v + "é\"}");
  }
}
