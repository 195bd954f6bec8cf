package io.kpdedicated.testkit.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Speaks HTTP/1.1 over a plain socket, byte for byte, for requests no HTTP client would send. */
final class RawSocket {
  private RawSocket() {}

  /** An answer: its status and the whole text (head and body). */
  record Answer(int status, String text) {
    String body() {
      int i = text.indexOf("\r\n\r\n");
      return i < 0 ? "" : text.substring(i + 4);
    }
  }

  /**
   * Sends {@code request} (which should carry {@code Connection: close}) and reads until the server
   * closes the connection.
   */
  static Answer exchange(int port, String request) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
        }
      } catch (SocketException | SocketTimeoutException e) {
        // a reset after the answer, or a server still draining the body: keep what arrived
      }
      String text = out.toString(StandardCharsets.ISO_8859_1);
      if (!text.startsWith("HTTP/1.1 ")) {
        return new Answer(0, text);
      }
      return new Answer(Integer.parseInt(text.substring(9, 12)), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits, at most {@code limit}, for the server to close {@code s}.
   *
   * @return true if it closed (end of stream or reset), false if the limit passed first
   */
  static boolean closedWithin(Socket s, Duration limit) throws IOException {
    s.setSoTimeout((int) limit.toMillis());
    try {
      while (s.getInputStream().read() >= 0) {
        // an answer to a half request is not expected, but read past it
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }
}
