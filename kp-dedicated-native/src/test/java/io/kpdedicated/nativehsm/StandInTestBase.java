package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Loads IBM's library as users do (through {@link NativeLibraryLocator} and
 * {@code KEYPROTECT_LIB_PATH}), which here finds the C stand-in; registers a fresh
 * {@link StandInHsm} before each test and, after each test, asserts that every result string the
 * library handed out was released with {@code FreeStringC} exactly once and that the model raised
 * no error of its own.
 */
abstract class StandInTestBase {
  private static IbmKmsCryptoLibrary library;
  private static StandInLibrary control;

  protected StandInHsm standIn;

  static synchronized IbmKmsCryptoLibrary library() {
    if (library == null) {
      library = NativeLibraryLocator.builder()
          .environment(Map.of(NativeLibraryLocator.LIB_PATH_VARIABLE,
              StandInLibrary.directory().toString(),
              "LD_PRELOAD", StandInLibrary.file().toString()))
          .build()
          .load();
      control = StandInLibrary.load();
    }
    return library;
  }

  static synchronized StandInLibrary control() {
    library();
    return control;
  }

  @BeforeEach
  void registerModel() {
    library();
    standIn = StandInHsm.register(control());
  }

  @AfterEach
  void everyResultStringReleasedOnce() {
    assertThat(standIn.errors()).as("errors inside the stand-in model").isEmpty();
    StandInLibrary c = control();
    assertThat(c.StandInDoubleFrees()).as("double frees").isZero();
    assertThat(c.StandInForeignFrees()).as("frees of pointers the library never returned")
        .isZero();
    assertThat(standIn.leaks()).as("result strings not released with FreeStringC").isZero();
  }
}
