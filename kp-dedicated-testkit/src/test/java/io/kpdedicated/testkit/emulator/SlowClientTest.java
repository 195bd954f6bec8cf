package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients that send half a request and stop cannot stall the others, and are cut off. */
class SlowClientTest {
  private static final Duration READ_TIMEOUT = Duration.ofMillis(300);
  private LoopbackEmulator emulator;
  private final List<Socket> stalled = new ArrayList<>();

  @BeforeEach
  void start() {
    emulator = LoopbackEmulator.builder().requestReadTimeout(READ_TIMEOUT).build().start();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : stalled) {
      s.close();
    }
    emulator.close();
  }

  private Socket stall(String partial) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), emulator.port());
    stalled.add(s);
    s.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return s;
  }

  private int normalRequest() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest r = HttpRequest.newBuilder(URI.create(emulator.baseUri() + "/emulator/v1/state"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    return client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void sixteenHalfSentRequestsDoNotStallANormalOne() throws Exception {
    for (int i = 0; i < 16; i++) {
      stall("POST /identity/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
    }

    assertThat(normalRequest()).isEqualTo(200);
  }

  @Test
  void aHalfSentRequestLineIsCutOffAfterTheReadTimeout() throws Exception {
    long start = System.nanoTime();
    Socket s = stall("GET /emulator/v1/sta");

    boolean closed = RawSocket.closedWithin(s, Duration.ofSeconds(5));

    assertThat(closed).as("closed by the emulator").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(READ_TIMEOUT);
  }

  @Test
  void aHalfSentBodyIsCutOffAfterTheReadTimeout() throws Exception {
    Socket s = stall("POST /emulator/v1/faults HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"kind\":");

    assertThat(RawSocket.closedWithin(s, Duration.ofSeconds(5))).as("closed by the emulator").isTrue();
    assertThat(new Control(emulator.baseUri()).state().get("pending_faults")).isEmpty();
  }

  @Test
  void everyStalledConnectionIsClosedAndTheEmulatorStillServes() throws Exception {
    for (int i = 0; i < 16; i++) {
      stall("POST /identity/token HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }

    for (Socket s : stalled) {
      assertThat(RawSocket.closedWithin(s, Duration.ofSeconds(5))).as("closed by the emulator").isTrue();
    }
    assertThat(normalRequest()).isEqualTo(200);
  }
}
