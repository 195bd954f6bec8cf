package io.kpdedicated.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The SDK's version and the {@code User-Agent} it sends. Stateless after class initialization. */
public final class SdkInfo {
  /** The analytics header IBM's SDKs send with every crypto-unit call. */
  public static final String ANALYTICS_HEADER = "X-IBMCloud-SDK-Analytics";
  /** The name this SDK gives itself in {@link #ANALYTICS_HEADER}. */
  public static final String SERVICE_NAME = "kp-dedicated";

  private static final String VERSION = loadVersion();

  private SdkInfo() {}

  /** Returns the SDK version, e.g. {@code 0.1.0}, or {@code unknown}. */
  public static String version() {
    return VERSION;
  }

  /**
   * Returns the value of the {@value #ANALYTICS_HEADER} header for one call, in the shape IBM's
   * SDKs use: {@code service_name=kp-dedicated;service_version=<sdk version>;operation_id=<action>}.
   *
   * @param operationId the action, e.g. {@code list-units}
   * @return the header value
   */
  public static String analytics(String operationId) {
    return "service_name=" + SERVICE_NAME + ";service_version=" + VERSION + ";operation_id="
        + operationId;
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
