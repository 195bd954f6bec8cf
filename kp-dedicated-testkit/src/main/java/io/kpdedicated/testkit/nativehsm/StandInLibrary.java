package io.kpdedicated.testkit.nativehsm;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.kpdedicated.nativehsm.NativeLibraryLocator;
import io.kpdedicated.nativehsm.NativePlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The stand-in-only exports of the C stand-in library: register the one handler every export
 * forwards to, set a call's result, and read the allocation counters.
 */
public interface StandInLibrary extends Library {
  /** The system property naming the folder the test build wrote the stand-in into. */
  String DIRECTORY_PROPERTY = "kpd.standin.dir";

  /** The one handler every export forwards to. */
  interface Handler extends Callback {
    /**
     * Handles one call.
     *
     * @param fn the export's name
     * @param handle the session handle (0 for calls without one)
     * @param strs {@code const char*[nstrs]}, entries may be NULL
     * @param nstrs the number of strings
     * @param nums {@code int64_t[nnums]}
     * @param nnums the number of numbers
     * @return the status, or for CreateSessionC the handle
     */
    long invoke(String fn, long handle, Pointer strs, int nstrs, Pointer nums, int nnums);
  }

  /**
   * Registers the handler (kept until another one is registered).
   *
   * @param handler the handler; keep a reference to it for as long as it is registered
   */
  void StandInRegister(Handler handler);

  /**
   * Sets the result text of the current call.
   *
   * @param text NUL-terminated bytes, or null for no result string
   */
  void StandInReply(byte[] text);

  /**
   * Sets the value {@code GetAuthStateC} writes.
   *
   * @param value the value
   */
  void StandInReplyInt(int value);

  /** {@return how many result strings the library handed out} */
  long StandInAllocations();

  /** {@return how many of them came back through {@code FreeStringC}} */
  long StandInFrees();

  /** {@return how many {@code FreeStringC} calls passed a pointer already freed} */
  long StandInDoubleFrees();

  /** {@return how many {@code FreeStringC} calls passed a pointer the library never returned} */
  long StandInForeignFrees();

  /** {@return how many {@code FreeStringC} calls passed NULL} */
  long StandInNullFrees();

  /** Releases every recorded allocation and zeroes the counters; the handler stays. */
  void StandInReset();

  /**
   * Returns the folder holding the stand-in: the system property {@value #DIRECTORY_PROPERTY},
   * else the environment's {@code KEYPROTECT_LIB_PATH}.
   *
   * @return the folder
   * @throws IllegalStateException if neither is set
   */
  static Path directory() {
    String dir = System.getProperty(DIRECTORY_PROPERTY);
    if (dir == null) {
      dir = System.getenv(NativeLibraryLocator.LIB_PATH_VARIABLE);
    }
    if (dir == null) {
      throw new IllegalStateException("neither the system property " + DIRECTORY_PROPERTY
          + " nor " + NativeLibraryLocator.LIB_PATH_VARIABLE + " names the folder of the stand-in "
          + "library; build it with gcc from kp-dedicated-native/src/test/c (the Maven test build "
          + "does) and set one of them");
    }
    return Path.of(dir).toAbsolutePath();
  }

  /**
   * Returns the stand-in library file.
   *
   * @return the file
   * @throws IllegalStateException if it was not built
   */
  static Path file() {
    Path file = directory().resolve(NativePlatform.LINUX_AMD64.fileNames().get(0));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("the stand-in library " + file + " was not built");
    }
    return file;
  }

  /**
   * Loads the stand-in-only exports.
   *
   * @return the control interface
   */
  static StandInLibrary load() {
    return Native.load(file().toString(), StandInLibrary.class,
        Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
  }
}
