package io.kpdedicated.testkit.junit;

import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.Testbed;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives tests an in-memory {@link Testbed}: a cloud, a manual clock, fast
 * keys and an initializer builder wired to them. Test and lifecycle methods receive by parameter
 * the {@link Testbed}, its {@link InMemoryDedicatedCloud}, its {@link ManualClock} or its
 * {@link DedicatedTransport}.
 *
 * <pre>{@code
 * @ExtendWith(InMemoryCloudExtension.class)
 * class MyTest {
 *   @Test
 *   void initializes(Testbed bed, InMemoryDedicatedCloud cloud) {
 *     bed.initializer().run();
 *     assertThat(cloud.snapshot().onlyInstance().states()).containsOnly(UnitState.KMS_INITIALIZED);
 *   }
 * }
 *
 * // or, configured: a new testbed for every test, three units
 * @RegisterExtension
 * InMemoryCloudExtension cloud = new InMemoryCloudExtension(b -> b.units(3)).perTest();
 * }</pre>
 *
 * <p>Scope ({@link FixtureScope}): by default one testbed per test class when the extension is
 * registered on the class ({@code @ExtendWith}, or {@code @RegisterExtension} on a static field),
 * one per test when registered on an instance field; {@link #perTest()} and {@link #perClass()}
 * choose explicitly. A testbed shared by a class is {@linkplain Testbed#reset() reset} before every
 * test but the first (no instance, fault or call count of one test is seen by the next) unless
 * {@link #keepStateBetweenTests()} says otherwise. The testbed lives in the extension store and
 * JUnit closes it (deleting its keyshare folder) when its test or class ends.
 *
 * <p>Immutable and thread-safe; the configuration methods return new extensions.
 */
public final class InMemoryCloudExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private final Consumer<Testbed.Builder> settings;
  private final FixtureScope scope;
  private final boolean resetBetweenTests;
  private final ScopedFixture<Testbed> fixture;

  /** Creates the extension with the testbed's defaults (two units) and {@link FixtureScope#AUTO}. */
  public InMemoryCloudExtension() {
    this(b -> { });
  }

  /**
   * Creates the extension with a configured testbed.
   *
   * @param settings adjusts the testbed builder (units, instance name, cloud settings); called
   *     for every testbed made; it must not call {@code overEmulator} (use
   *     {@link LoopbackEmulatorExtension#withTestbed(Consumer)} for that)
   */
  public InMemoryCloudExtension(Consumer<Testbed.Builder> settings) {
    this(settings, FixtureScope.AUTO, true);
  }

  private InMemoryCloudExtension(Consumer<Testbed.Builder> settings, FixtureScope scope,
      boolean resetBetweenTests) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.scope = scope;
    this.resetBetweenTests = resetBetweenTests;
    this.fixture = new ScopedFixture<>(InMemoryCloudExtension.class, this::newTestbed,
        Testbed::reset, Testbed::close, scope, resetBetweenTests);
  }

  private Testbed newTestbed() {
    Testbed.Builder b = Testbed.builder();
    settings.accept(b);
    return b.build();
  }

  /** {@return a copy that makes a new testbed for every test} */
  public InMemoryCloudExtension perTest() {
    return new InMemoryCloudExtension(settings, FixtureScope.PER_TEST, resetBetweenTests);
  }

  /** {@return a copy that shares one testbed between the tests of a class} */
  public InMemoryCloudExtension perClass() {
    return new InMemoryCloudExtension(settings, FixtureScope.PER_CLASS, resetBetweenTests);
  }

  /**
   * Returns a copy that does not reset a testbed shared by a class between its tests, so each test
   * sees what the earlier ones left (for tests written as steps of one story).
   *
   * @return the copy
   */
  public InMemoryCloudExtension keepStateBetweenTests() {
    return new InMemoryCloudExtension(settings, scope, false);
  }

  /**
   * Returns the testbed for a context, making it if needed.
   *
   * @param context the context of a test, or of the class for a testbed shared by the class
   * @return the testbed
   * @throws ParameterResolutionException for a per-test testbed asked for outside a test
   */
  public Testbed testbed(ExtensionContext context) {
    return fixture.get(context);
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
    return type == Testbed.class || type == InMemoryDedicatedCloud.class
        || type == ManualClock.class || type == DedicatedTransport.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Testbed bed = fixture.get(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == Testbed.class) {
      return bed;
    }
    if (type == InMemoryDedicatedCloud.class) {
      return bed.cloud();
    }
    if (type == ManualClock.class) {
      return bed.clock();
    }
    if (type == DedicatedTransport.class) {
      return bed.transport();
    }
    throw new ParameterResolutionException("cannot resolve " + parameter.getParameter());
  }

  @Override
  public String toString() {
    return "InMemoryCloudExtension[" + scope + (resetBetweenTests ? "" : ", keeps state") + "]";
  }
}
