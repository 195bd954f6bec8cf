package io.kpdedicated.testkit.junit;

import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.Testbed;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.net.URI;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a {@link LoopbackEmulator} on a free loopback port for tests and
 * stops it when they are done. Test methods, constructors and lifecycle methods receive by
 * parameter the {@link LoopbackEmulator}, its {@link InMemoryDedicatedCloud}, an
 * {@link EmulatorBaseUri @EmulatorBaseUri} {@code URI} or an {@link EmulatorApiKey @EmulatorApiKey}
 * {@code String}; with {@link #withTestbed(Consumer)} also the {@link Testbed}, its
 * {@link ManualClock} and its {@link DedicatedTransport} (HTTP to the emulator).
 *
 * <pre>{@code
 * @ExtendWith(LoopbackEmulatorExtension.class)
 * class MyTest {
 *   @Test
 *   void initializes(LoopbackEmulator emulator, @EmulatorBaseUri URI base, @EmulatorApiKey String key) {
 *     HttpTransport transport = HttpTransport.fromEnvironment(emulator.environment());
 *   }
 * }
 *
 * // to configure the emulator:
 * @RegisterExtension
 * static LoopbackEmulatorExtension emulator = new LoopbackEmulatorExtension(
 *     () -> LoopbackEmulator.builder().provisioningPolls(0));
 *
 * // a testbed over the emulator: manual clock, instant waits, an initializer speaking HTTP
 * @RegisterExtension
 * static LoopbackEmulatorExtension bed = LoopbackEmulatorExtension.withTestbed(b -> b.units(3));
 * }</pre>
 *
 * <p>The emulator of the default constructor runs on the system clock: an initializer built
 * against it with default settings really sleeps between provisioning polls (5 s) and retries
 * (500 ms and more). {@link #withTestbed(Consumer)} puts the emulator, the HTTP transport and the
 * initializers on one manual clock instead (see the emulator's documentation on instant waits).
 *
 * <p>Scope ({@link FixtureScope}): by default one emulator per test class when the extension is
 * registered on the class ({@code @ExtendWith}, or {@code @RegisterExtension} on a static field),
 * one per test when registered on an instance field; {@link #perTest()} and {@link #perClass()}
 * choose explicitly. An emulator shared by a class is reset before every test but the first unless
 * {@link #keepStateBetweenTests()} says otherwise: its cloud forgets every instance, fault and call
 * count ({@link InMemoryDedicatedCloud#reset()}; a testbed also deletes its keyshare files); the
 * port, the API key and the tokens already issued stay. The emulator lives in the extension store
 * and JUnit stops it when its test or class ends, also when a test fails.
 *
 * <p>Immutable and thread-safe; the configuration methods return new extensions.
 */
public final class LoopbackEmulatorExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private final Supplier<Served> factory;
  private final boolean servesTestbed;
  private final FixtureScope scope;
  private final boolean resetBetweenTests;
  private final ScopedFixture<Served> fixture;

  /** Creates the extension with the emulator's defaults and {@link FixtureScope#AUTO}. */
  public LoopbackEmulatorExtension() {
    this(LoopbackEmulator::builder);
  }

  /**
   * Creates the extension with a configured emulator.
   *
   * @param configuration returns a fresh builder (not yet built) for every emulator made
   */
  public LoopbackEmulatorExtension(Supplier<LoopbackEmulator.Builder> configuration) {
    this(plain(configuration), false, FixtureScope.AUTO, true);
  }

  private LoopbackEmulatorExtension(Supplier<Served> factory, boolean servesTestbed,
      FixtureScope scope, boolean resetBetweenTests) {
    this.factory = factory;
    this.servesTestbed = servesTestbed;
    this.scope = scope;
    this.resetBetweenTests = resetBetweenTests;
    this.fixture = new ScopedFixture<>(LoopbackEmulatorExtension.class, factory, Served::reset,
        Served::close, scope, resetBetweenTests);
  }

  private static Supplier<Served> plain(Supplier<LoopbackEmulator.Builder> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    return () -> new Served(configuration.get().build().start(), null);
  }

  /**
   * Returns an extension whose emulator serves a {@link Testbed}: one manual clock for the cloud,
   * the emulator's tokens, the HTTP transport and the initializers, so nothing really sleeps.
   *
   * @param settings adjusts the testbed builder (units, instance name, cloud settings); the
   *     extension makes it serve over an emulator with the emulator's defaults
   * @return the extension, with {@link FixtureScope#AUTO}
   */
  public static LoopbackEmulatorExtension withTestbed(Consumer<Testbed.Builder> settings) {
    Objects.requireNonNull(settings, "settings");
    return new LoopbackEmulatorExtension(() -> {
      Testbed.Builder b = Testbed.builder();
      settings.accept(b);
      Testbed bed = b.overEmulator().build();
      return new Served(bed.emulator().orElseThrow(), bed);
    }, true, FixtureScope.AUTO, true);
  }

  /** {@return a copy that starts a new emulator for every test} */
  public LoopbackEmulatorExtension perTest() {
    return new LoopbackEmulatorExtension(factory, servesTestbed, FixtureScope.PER_TEST,
        resetBetweenTests);
  }

  /** {@return a copy that shares one emulator between the tests of a class} */
  public LoopbackEmulatorExtension perClass() {
    return new LoopbackEmulatorExtension(factory, servesTestbed, FixtureScope.PER_CLASS,
        resetBetweenTests);
  }

  /**
   * Returns a copy that does not reset an emulator shared by a class between its tests, so each
   * test sees what the earlier ones left.
   *
   * @return the copy
   */
  public LoopbackEmulatorExtension keepStateBetweenTests() {
    return new LoopbackEmulatorExtension(factory, servesTestbed, scope, false);
  }

  /**
   * Returns the emulator for a context, starting it if needed.
   *
   * @param context the context of a test, or of the class for an emulator shared by the class
   * @return the running emulator
   * @throws ParameterResolutionException for a per-test emulator asked for outside a test
   */
  public LoopbackEmulator emulator(ExtensionContext context) {
    return fixture.get(context).emulator();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    fixture.beforeAll(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    fixture.beforeEach(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LoopbackEmulator.class || type == InMemoryDedicatedCloud.class
        || (type == URI.class && parameter.isAnnotated(EmulatorBaseUri.class))
        || (type == String.class && parameter.isAnnotated(EmulatorApiKey.class))
        || (servesTestbed && (type == Testbed.class || type == ManualClock.class
            || type == DedicatedTransport.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Served served = fixture.get(context);
    LoopbackEmulator e = served.emulator();
    Class<?> type = parameter.getParameter().getType();
    if (type == LoopbackEmulator.class) {
      return e;
    }
    if (type == InMemoryDedicatedCloud.class) {
      return e.cloud();
    }
    if (type == URI.class) {
      return e.baseUri();
    }
    if (type == String.class) {
      return e.apiKey();
    }
    Testbed bed = served.testbed();
    if (type == Testbed.class) {
      return bed;
    }
    if (type == ManualClock.class) {
      return bed.clock();
    }
    return bed.transport();
  }

  @Override
  public String toString() {
    return "LoopbackEmulatorExtension[" + (servesTestbed ? "testbed, " : "") + scope + (resetBetweenTests ? "" : ", keeps state") + "]";
  }

  /** A running emulator, and the testbed it serves when it serves one. */
  private record Served(LoopbackEmulator emulator, Testbed testbed) {
    void reset() {
      if (testbed != null) {
        testbed.reset();
      } else {
        emulator.cloud().reset();
      }
    }

    void close() {
      if (testbed != null) {
        testbed.close();
      } else {
        emulator.close();
      }
    }
  }
}
