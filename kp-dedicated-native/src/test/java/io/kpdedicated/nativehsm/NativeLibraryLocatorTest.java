package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryLocatorTest {
  private static final Map<String, String> LINUX = Map.of("os.name", "Linux", "os.arch", "amd64",
      "sun.arch.data.model", "64");

  @TempDir Path dir;

  private NativeLibraryLocator.Builder locator(Map<String, String> env) {
    return NativeLibraryLocator.builder().environment(env).systemProperties(LINUX)
        .jarDirectory(dir.resolve("app")).workingDirectory(dir.resolve("work"));
  }

  @Test
  void aMissingLibraryNamesEveryPlaceThePlatformKeyprotectLibPathAndLdPreload() throws Exception {
    // A fresh JVM, as a user starts it: nothing loaded, nothing on the loader path.
    Path libDir = dir.resolve("ibm");
    Path work = Files.createDirectories(dir.resolve("work"));
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), MissingLibraryMain.class.getName())
        .directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("KEYPROTECT_LIB_PATH", libDir.toString());
    pb.environment().remove("LD_LIBRARY_PATH");
    pb.environment().remove("LD_PRELOAD");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(out)
        .contains("REASON NOT_FOUND\n")
        .contains("REMEDIATION set KEYPROTECT_LIB_PATH to the folder holding "
            + "ibmkmscrypto.so.1.0.0 and start java with LD_PRELOAD=<that file>\n")
        .contains("IBM's HSM library (ibmkmscrypto.so.1.0.0 or libkpd_hsm_manager.so.1.0.1) "
            + "was not found for linux-amd64. Places tried, in order:\n")
        .contains("  " + libDir.resolve("ibmkmscrypto.so.1.0.0") + " (KEYPROTECT_LIB_PATH)\n")
        .contains("  " + libDir.resolve("libkpd_hsm_manager.so.1.0.1") + " (KEYPROTECT_LIB_PATH)\n")
        .contains("/lib/linux-amd64/ibmkmscrypto.so.1.0.0 (beside the jar)\n")
        .contains("  " + work.toRealPath().resolve("lib").resolve("ibmkmscrypto.so.1.0.0")
            + " (working directory)\n")
        .contains("  the operating system's loader path (LD_LIBRARY_PATH) for "
            + "ibmkmscrypto.so.1.0.0 or libkpd_hsm_manager.so.1.0.1\n")
        .contains("Set KEYPROTECT_LIB_PATH to the folder that holds ibmkmscrypto.so.1.0.0 (or to "
            + "the file itself). On Linux the library must also be preloaded into the JVM: start "
            + "java as\n  KEYPROTECT_LIB_PATH=/opt/ibmkms "
            + "LD_PRELOAD=/opt/ibmkms/ibmkmscrypto.so.1.0.0 java -jar kpd.jar ...");
  }

  @Test
  void everyPlaceTriedIsListedInTheException() {
    Path libDir = dir.resolve("ibm");
    NativeLibraryLocator l = locator(Map.of("KEYPROTECT_LIB_PATH", libDir.toString())).build();
    List<String> places = l.placesToTry();
    assertThat(places).hasSize(2 + 10 + 6 + 1);
    assertThat(places.get(0)).isEqualTo(libDir.resolve("ibmkmscrypto.so.1.0.0")
        + " (KEYPROTECT_LIB_PATH)");
  }

  @Test
  void placesAreTriedInTheDocumentedOrder() {
    NativeLibraryLocator l = NativeLibraryLocator.builder()
        .environment(Map.of("KEYPROTECT_LIB_PATH", "/k"))
        .systemProperties(Map.of("os.name", "Linux", "os.arch", "x86_64",
            "jna.library.path", "/j1" + java.io.File.pathSeparator + "/j2"))
        .jarDirectory(Path.of("/app")).workingDirectory(Path.of("/w")).build();
    assertThat(l.placesToTry()).startsWith(
        "/k/ibmkmscrypto.so.1.0.0 (KEYPROTECT_LIB_PATH)",
        "/k/libkpd_hsm_manager.so.1.0.1 (KEYPROTECT_LIB_PATH)",
        "/app/ibmkmscrypto.so.1.0.0 (beside the jar)",
        "/app/lib/ibmkmscrypto.so.1.0.0 (beside the jar)",
        "/app/lib/linux-amd64/ibmkmscrypto.so.1.0.0 (beside the jar)",
        "/app/../lib/ibmkmscrypto.so.1.0.0 (beside the jar)",
        "/app/../lib/linux-amd64/ibmkmscrypto.so.1.0.0 (beside the jar)");
    assertThat(l.placesToTry()).containsSubsequence(
        "/w/ibmkmscrypto.so.1.0.0 (working directory)",
        "/j1/ibmkmscrypto.so.1.0.0 (jna.library.path)",
        "/j2/libkpd_hsm_manager.so.1.0.1 (jna.library.path)");
    assertThat(l.placesToTry().get(l.placesToTry().size() - 1))
        .startsWith("the operating system's loader path");
  }

  @Test
  void anUnsupportedPlatformIsAClearErrorWithoutLookingAnywhere() {
    NativeLibraryException e = catchThrowableOfType(NativeLibraryException.class,
        () -> NativeLibraryLocator.builder().environment(Map.of())
            .systemProperties(Map.of("os.name", "Linux", "os.arch", "aarch64")).build().load());
    assertThat(e.reason()).isEqualTo(NativeLibraryException.Reason.UNSUPPORTED_PLATFORM);
    assertThat(e.getMessage()).contains("Linux/aarch64", "linux-amd64, darwin-arm64 and "
        + "windows-amd64");
    assertThat(e.placesTried()).isEmpty();
  }

  @Test
  void keyprotectLibPathMayNameTheFileItselfAndTheLibraryLoadsOnce() {
    NativeLibraryLocator l = locator(Map.of("KEYPROTECT_LIB_PATH",
        StandInLibrary.file().toString())).build();
    assertThat(l.placesToTry()).first().isEqualTo(StandInLibrary.file() + " (KEYPROTECT_LIB_PATH)");
    IbmKmsCryptoLibrary first = l.load();
    assertThat(l.load()).isSameAs(first);
  }

  @Test
  void theLibraryIsFoundBesideTheJarInThePlatformFolder() throws Exception {
    Path platformDir = Files.createDirectories(dir.resolve("app/lib/linux-amd64"));
    Files.copy(StandInLibrary.file(), platformDir.resolve("ibmkmscrypto.so.1.0.0"));
    assertThat(locator(Map.of()).build().load()).isNotNull();
  }

  @Test
  void aFileThatIsNotALibraryIsReportedAsFoundButNotLoadable() throws Exception {
    Path libDir = Files.createDirectories(dir.resolve("ibm"));
    Files.writeString(libDir.resolve("ibmkmscrypto.so.1.0.0"), "not an ELF file");
    NativeLibraryLocator l = locator(Map.of("KEYPROTECT_LIB_PATH", libDir.toString())).build();
    NativeLibraryException e = catchThrowableOfType(NativeLibraryException.class, l::load);
    assertThat(e.reason()).isEqualTo(NativeLibraryException.Reason.LOAD_FAILED);
    assertThat(e.getMessage()).contains("was found at " + libDir.resolve("ibmkmscrypto.so.1.0.0"),
        "LD_PRELOAD");
    assertThat(catchThrowableOfType(NativeLibraryException.class, l::load)).isSameAs(e);
  }

  @Test
  void platformsAreDetectedAsIbmShipsThem() {
    assertThat(NativePlatform.detect("Mac OS X", "aarch64")).contains(NativePlatform.MACOS_ARM64);
    assertThat(NativePlatform.detect("Windows 11", "amd64"))
        .contains(NativePlatform.WINDOWS_AMD64);
    assertThat(NativePlatform.detect("Mac OS X", "x86_64")).isEmpty();
    assertThat(NativePlatform.MACOS_ARM64.fileNames()).first()
        .isEqualTo("ibmkmscrypto.1.0.0.dylib");
    assertThat(NativePlatform.WINDOWS_AMD64.fileNames()).first().isEqualTo("ibmkmscrypto.dll");
  }
}
