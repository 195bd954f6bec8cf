package io.kpdedicated.testkit.junit;

import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts one {@link LoopbackEmulator} per test class (on a free loopback
 * port) and stops it after the class. Test methods, constructors and lifecycle methods receive it
 * by parameter: a {@link LoopbackEmulator}, an {@link EmulatorBaseUri @EmulatorBaseUri} {@code URI}
 * or an {@link EmulatorApiKey @EmulatorApiKey} {@code String}.
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
 * // or, to configure the emulator:
 * @RegisterExtension
 * static LoopbackEmulatorExtension emulator = new LoopbackEmulatorExtension(
 *     () -> LoopbackEmulator.builder().provisioningPolls(0));
 * }</pre>
 *
 * <p>The emulator's state (instances, faults, tokens) is shared by the tests of a class; use
 * distinct instance names or {@code emulator.cloud().faults().clear()} between tests. Thread-safe.
 */
public final class LoopbackEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LoopbackEmulatorExtension.class);
  private static final String KEY = "emulator";

  private final Supplier<LoopbackEmulator.Builder> configuration;

  /** Creates the extension with the emulator's defaults. */
  public LoopbackEmulatorExtension() {
    this(LoopbackEmulator::builder);
  }

  /**
   * Creates the extension with a configured emulator.
   *
   * @param configuration returns a fresh builder for each test class (not yet built)
   */
  public LoopbackEmulatorExtension(Supplier<LoopbackEmulator.Builder> configuration) {
    this.configuration = Objects.requireNonNull(configuration, "configuration");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    emulator(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LoopbackEmulator e = classContext(context).getStore(NAMESPACE).remove(KEY, LoopbackEmulator.class);
    if (e != null) {
      e.close();
    }
  }

  /**
   * Returns the emulator of the test class {@code context} belongs to, starting it if needed.
   *
   * @param context any context of the class (class or method level)
   * @return the running emulator
   */
  public LoopbackEmulator emulator(ExtensionContext context) {
    ExtensionContext.Store store = classContext(context).getStore(NAMESPACE);
    return store.getOrComputeIfAbsent(KEY, k -> configuration.get().build().start(),
        LoopbackEmulator.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent()) {
      Optional<ExtensionContext> parent = c.getParent();
      if (parent.isEmpty()) {
        break;
      }
      c = parent.get();
    }
    return c;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LoopbackEmulator.class
        || (type == URI.class && parameter.isAnnotated(EmulatorBaseUri.class))
        || (type == String.class && parameter.isAnnotated(EmulatorApiKey.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LoopbackEmulator e = emulator(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == LoopbackEmulator.class) {
      return e;
    }
    if (type == URI.class) {
      return e.baseUri();
    }
    if (type == String.class) {
      return e.apiKey();
    }
    throw new ParameterResolutionException("cannot resolve " + parameter.getParameter());
  }
}
