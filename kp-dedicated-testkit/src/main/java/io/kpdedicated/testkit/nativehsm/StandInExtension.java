package io.kpdedicated.testkit.nativehsm;

import io.kpdedicated.nativehsm.IbmKmsCryptoLibrary;
import io.kpdedicated.nativehsm.NativeHsm;
import io.kpdedicated.nativehsm.NativeLibraryLocator;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for tests over the C stand-in of IBM's HSM library. It loads the library the
 * way users do ({@link NativeLibraryLocator} with {@code KEYPROTECT_LIB_PATH} naming the stand-in's
 * folder, see {@link StandInLibrary#directory()}), once per JVM. Before each test it zeroes the
 * stand-in's counters; after each test it fails the test if any result string was not released
 * with {@code FreeStringC}, was released twice or was never the library's, or if the registered
 * model raised an error of its own.
 *
 * <pre>{@code
 * @RegisterExtension
 * final StandInExtension standIn = new StandInExtension();
 *
 * @Test
 * void importsOverTheLibrary() {
 *   StandInHsmModel model = standIn.register(cloud);   // serves the cloud's units
 *   NativeHsm hsm = standIn.hsm();                     // the SDK's facade over the stand-in
 *   try (NativeSession s = hsm.openSession(SessionParameters.of(endpoint, guid, unitId, keyFile,
 *       passphrase), accessToken)) { ... }
 * }
 * }</pre>
 *
 * <p>Tests using it must not run in parallel with each other: the stand-in has one handler.
 */
public final class StandInExtension implements BeforeEachCallback, AfterEachCallback {
  private static IbmKmsCryptoLibrary library;
  private static StandInLibrary control;
  /** The handler the C side holds; kept reachable so the JVM never collects it. */
  private static volatile StandInHsmModel pinned;

  private volatile StandInHsmModel model;

  /** Creates the extension. */
  public StandInExtension() {}

  /**
   * Returns IBM's library interface bound to the stand-in, loaded through
   * {@link NativeLibraryLocator} (once per JVM).
   *
   * @return the library
   * @throws IllegalStateException if the stand-in was not built
   */
  public static synchronized IbmKmsCryptoLibrary library() {
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

  /**
   * Returns the stand-in's control exports.
   *
   * @return the control interface
   */
  public static synchronized StandInLibrary control() {
    library();
    return control;
  }

  /**
   * Returns the SDK's facade over the stand-in, calls serialized.
   *
   * @return a new facade
   */
  public NativeHsm hsm() {
    return new NativeHsm(library(), true);
  }

  /**
   * Registers a model serving a cloud's units with default settings.
   *
   * @param cloud the cloud
   * @return the registered model
   */
  public StandInHsmModel register(InMemoryDedicatedCloud cloud) {
    return register(cloud, b -> b);
  }

  /**
   * Registers a configured model serving a cloud's units.
   *
   * @param cloud the cloud
   * @param configuration adjusts the builder (sleeper, randomness, token check)
   * @return the registered model
   */
  public StandInHsmModel register(InMemoryDedicatedCloud cloud,
      UnaryOperator<StandInHsmModel.Builder> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    StandInHsmModel m = configuration.apply(StandInHsmModel.builder(cloud)).register(control());
    this.model = m;
    pinned = m;
    return m;
  }

  /** {@return the model registered in this test, or null} */
  public StandInHsmModel model() {
    return model;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    control().StandInReset();
    model = null;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    StandInLibrary c = control();
    StringBuilder problems = new StringBuilder();
    StandInHsmModel m = model;
    if (m != null && !m.errors().isEmpty()) {
      problems.append("errors inside the stand-in model: ").append(m.errors()).append("; ");
    }
    long leaks = c.StandInAllocations() - c.StandInFrees();
    if (leaks != 0) {
      problems.append(leaks).append(" result string(s) not released with FreeStringC; ");
    }
    if (c.StandInDoubleFrees() != 0) {
      problems.append(c.StandInDoubleFrees()).append(" double free(s); ");
    }
    if (c.StandInForeignFrees() != 0) {
      problems.append(c.StandInForeignFrees())
          .append(" FreeStringC call(s) on pointers the library never returned; ");
    }
    if (problems.length() > 0) {
      throw new AssertionError("stand-in library check failed: " + problems);
    }
  }
}
