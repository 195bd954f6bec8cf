package io.kpdedicated.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The SDK's version and the {@code User-Agent} it sends. Stateless after class initialization. */
public final class SdkInfo {
  private static final String VERSION = loadVersion();

  private SdkInfo() {}

  /** Returns the SDK version, e.g. {@code 0.1.0}, or {@code unknown}. */
  public static String version() {
    return VERSION;
  }

  /** Returns {@code kp-dedicated/<sdk version> Java/<java version>}. */
  public static String userAgent() {
    return "kp-dedicated/" + VERSION + " Java/" + Runtime.version().feature() + "."
        + Runtime.version().interim() + "." + Runtime.version().update();
  }

  private static String loadVersion() {
    try (InputStream in = SdkInfo.class.getResourceAsStream("sdk.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown").trim();
      return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
