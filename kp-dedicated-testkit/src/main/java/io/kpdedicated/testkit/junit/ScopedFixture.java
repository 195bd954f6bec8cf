package io.kpdedicated.testkit.junit;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * The lifecycle both extensions share: where a fixture lives in the extension store (the test's or
 * the test class's), when it is made, reset and closed. Values in the store are
 * {@link AutoCloseable}, so JUnit closes them when their context ends (after the test, or after
 * the class), also when a test fails.
 *
 * @param <F> the fixture
 */
final class ScopedFixture<F> {
  private static final String FIXTURE = "fixture";
  private static final String CLASS_SCOPE = "class-scope";

  private final ExtensionContext.Namespace namespace;
  private final Supplier<F> factory;
  private final Consumer<F> reset;
  private final Consumer<F> close;
  private final FixtureScope scope;
  private final boolean resetBetweenTests;

  ScopedFixture(Class<?> owner, Supplier<F> factory, Consumer<F> reset, Consumer<F> close,
      FixtureScope scope, boolean resetBetweenTests) {
    this.namespace = ExtensionContext.Namespace.create(owner);
    this.factory = Objects.requireNonNull(factory, "factory");
    this.reset = Objects.requireNonNull(reset, "reset");
    this.close = Objects.requireNonNull(close, "close");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.resetBetweenTests = resetBetweenTests;
  }

  /** Notes that the extension sees the class: with {@link FixtureScope#AUTO}, one per class. */
  void beforeAll(ExtensionContext context) {
    classContext(context).getStore(namespace).put(CLASS_SCOPE, Boolean.TRUE);
  }

  /** Makes the test's fixture, or resets the class's one when an earlier test used it. */
  void beforeEach(ExtensionContext context) {
    if (perClass(context)) {
      Held<F> held = classHeld(context);
      if (held.used && resetBetweenTests) {
        reset.accept(held.fixture);
      }
      held.used = true;
    } else {
      testHeld(context).used = true;
    }
  }

  /**
   * Returns the fixture for a context: the test's, or the class's.
   *
   * @throws ParameterResolutionException for a per-test fixture asked for outside a test
   */
  F get(ExtensionContext context) {
    if (perClass(context)) {
      return classHeld(context).fixture;
    }
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("a fixture made per test exists only inside a test:"
          + " take it as a parameter of the test or of a @BeforeEach method, not of the"
          + " constructor or a @BeforeAll method, or make the extension perClass()");
    }
    return testHeld(context).fixture;
  }

  private boolean perClass(ExtensionContext context) {
    return switch (scope) {
      case PER_CLASS -> true;
      case PER_TEST -> false;
      case AUTO -> Boolean.TRUE.equals(classContext(context).getStore(namespace)
          .get(CLASS_SCOPE, Boolean.class));
    };
  }

  @SuppressWarnings("unchecked")
  private Held<F> classHeld(ExtensionContext context) {
    return classContext(context).getStore(namespace).getOrComputeIfAbsent(FIXTURE,
        k -> new Held<>(factory.get(), close), Held.class);
  }

  @SuppressWarnings("unchecked")
  private Held<F> testHeld(ExtensionContext context) {
    return context.getStore(namespace).getOrComputeIfAbsent(FIXTURE,
        k -> new Held<>(factory.get(), close), Held.class);
  }

  /** The context of the innermost test class around {@code context}. */
  static ExtensionContext classContext(ExtensionContext context) {
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

  /** A fixture in the store; JUnit closes it when the context that holds it ends. */
  private static final class Held<F> implements AutoCloseable {
    final F fixture;
    private final Consumer<F> close;
    volatile boolean used;

    Held(F fixture, Consumer<F> close) {
      this.fixture = fixture;
      this.close = close;
    }

    @Override
    public void close() {
      close.accept(fixture);
    }
  }
}
