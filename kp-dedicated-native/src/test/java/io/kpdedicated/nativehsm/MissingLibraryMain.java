package io.kpdedicated.nativehsm;

/**
 * Loads IBM's library exactly as a program does ({@link NativeHsm#load()}) and prints what the
 * user sees when that fails. Run in a fresh JVM by {@link NativeLibraryLocatorTest}, so no library
 * loaded by another test can be found.
 */
public final class MissingLibraryMain {
  private MissingLibraryMain() {}

  /**
   * Entry point.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try {
      NativeHsm.load();
      System.out.println("LOADED");
    } catch (NativeLibraryException e) {
      System.out.println("REASON " + e.reason());
      System.out.println("REMEDIATION " + e.remediation().orElse(""));
      System.out.println(e.getMessage());
    }
  }
}
