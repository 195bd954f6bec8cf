package io.kpdedicated.nativehsm;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The stand-in-only exports of the C stand-in library (src/test/c). */
public interface StandInLibrary extends Library {

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

  void StandInRegister(Handler handler);

  void StandInReply(byte[] text);

  void StandInReplyInt(int value);

  long StandInAllocations();

  long StandInFrees();

  long StandInDoubleFrees();

  long StandInForeignFrees();

  long StandInNullFrees();

  void StandInReset();

  /** Returns the folder the test build wrote the stand-in into. */
  static Path directory() {
    String dir = System.getProperty("kpd.standin.dir");
    if (dir == null) {
      throw new IllegalStateException("system property kpd.standin.dir is not set: run the tests "
          + "through Maven, which builds the stand-in library");
    }
    return Path.of(dir).toAbsolutePath();
  }

  /** Returns the stand-in library file. */
  static Path file() {
    Path file = directory().resolve(NativePlatform.LINUX_AMD64.fileNames().get(0));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("the stand-in library " + file + " was not built");
    }
    return file;
  }

  /** Loads the control exports. */
  static StandInLibrary load() {
    return Native.load(file().toString(), StandInLibrary.class,
        Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
  }
}
