package io.kpdedicated.testkit.junit;

/**
 * How long the fixture of {@link InMemoryCloudExtension} or {@link LoopbackEmulatorExtension}
 * lives. Whatever the scope, the extension store holds it and JUnit closes it when its scope ends.
 */
public enum FixtureScope {
  /**
   * Follows how the extension is registered: one fixture per test class when JUnit calls the
   * extension for the class ({@code @ExtendWith} on the class, or {@code @RegisterExtension} on a
   * static field), else (an instance field) one per test.
   */
  AUTO,
  /** A new fixture for every test, closed after it. */
  PER_TEST,
  /**
   * One fixture for the tests of a class, closed after the class; reset before every test but the
   * first unless the extension says otherwise. Not for tests of one class that run concurrently.
   */
  PER_CLASS
}
