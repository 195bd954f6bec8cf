package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Talks to the emulator's control API with a plain JDK client, as a test script would. */
final class Control {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  Control(URI base) {
    this.base = base;
  }

  /** Sends a request and returns status and parsed body (null for an empty body). */
  record Answer(int status, JsonNode json, HttpResponse<String> raw) {}

  Answer send(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer fault(String json) {
    Answer a = send("POST", "/emulator/v1/faults", json);
    if (a.status() != 201) {
      throw new AssertionError("fault refused: " + a.status() + " " + a.json());
    }
    return a;
  }

  void clearFaults() {
    send("DELETE", "/emulator/v1/faults", null);
  }

  JsonNode state() {
    return send("GET", "/emulator/v1/state", null).json();
  }
}
