package io.kpdedicated.nativehsm;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The platforms IBM ships its HSM library for, with the file names it ships under.
 *
 * <p>The first file name is the released library ({@code ibmkmscrypto}); the second is the newer,
 * unreleased build ({@code libkpd_hsm_manager} 1.0.1), tried after it.
 */
public enum NativePlatform {
  /** Linux on x86-64. */
  LINUX_AMD64("linux-amd64", List.of("ibmkmscrypto.so.1.0.0", "libkpd_hsm_manager.so.1.0.1")),
  /** macOS on Apple silicon. */
  MACOS_ARM64("darwin-arm64",
      List.of("ibmkmscrypto.1.0.0.dylib", "libkpd_hsm_manager.1.0.1.dylib")),
  /** Windows on x86-64. */
  WINDOWS_AMD64("windows-amd64", List.of("ibmkmscrypto.dll", "libkpd_hsm_manager.dll"));

  private final String directoryName;
  private final List<String> fileNames;

  NativePlatform(String directoryName, List<String> fileNames) {
    this.directoryName = directoryName;
    this.fileNames = fileNames;
  }

  /** {@return the platform folder name IBM's client uses, e.g. {@code linux-amd64}} */
  public String directoryName() {
    return directoryName;
  }

  /** {@return the library file names to look for, most preferred first} */
  public List<String> fileNames() {
    return fileNames;
  }

  /** {@return whether the library must be preloaded ({@code LD_PRELOAD}) on this platform} */
  public boolean needsPreload() {
    return this == LINUX_AMD64;
  }

  /**
   * Finds the platform for JVM system property values.
   *
   * @param osName the value of {@code os.name}
   * @param osArch the value of {@code os.arch}
   * @return the platform, or empty when IBM ships no library for it
   */
  public static Optional<NativePlatform> detect(String osName, String osArch) {
    String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
    boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.startsWith("linux") && amd64) {
      return Optional.of(LINUX_AMD64);
    }
    if ((os.startsWith("mac") || os.startsWith("darwin")) && arm64) {
      return Optional.of(MACOS_ARM64);
    }
    if (os.startsWith("windows") && amd64) {
      return Optional.of(WINDOWS_AMD64);
    }
    return Optional.empty();
  }

  /**
   * Describes an operating system and architecture the way this class names platforms.
   *
   * @param osName the value of {@code os.name}
   * @param osArch the value of {@code os.arch}
   * @return for example {@code "Linux/aarch64"}
   */
  static String describe(String osName, String osArch) {
    return osName + "/" + osArch;
  }
}
