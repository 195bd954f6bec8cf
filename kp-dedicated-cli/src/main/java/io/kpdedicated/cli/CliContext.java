package io.kpdedicated.cli;

import io.kpdedicated.core.Sleeper;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@code kpd} command takes from the world around it: environment variables, the
 * output streams, the terminal, the working directory, time, sleeping, randomness and how to reach
 * the cloud. {@link #system()} is the real process; tests build their own with {@link #builder()}
 * so that commands run in-process with captured output, a scripted terminal and no real sleeps.
 *
 * <p>Immutable apart from the randomness made on first use; thread-safe; the writers it holds are
 * shared.
 */
public final class CliContext {
  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Terminal terminal;
  private final Path workingDirectory;
  private final Clock clock;
  private final Sleeper sleeper;
  /** Made on first use: creating a SecureRandom costs start-up time commands like --help skip. */
  private SecureRandom random;
  private final TransportFactory transports;
  private final EmbeddedCloud.Factory embedded;
  private final Foreground foreground;

  private CliContext(Builder b) {
    this.env = Map.copyOf(b.env);
    this.out = b.out;
    this.err = b.err;
    this.terminal = b.terminal;
    this.workingDirectory = b.workingDirectory.toAbsolutePath().normalize();
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.transports = b.transports;
    this.embedded = b.embedded;
    this.foreground = b.foreground;
  }

  /** {@return the context of this process: real environment, stdout/stderr, console, clock} */
  public static CliContext system() {
    Charset cs = Charset.defaultCharset();
    return builder()
        .env(System.getenv())
        .out(new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true))
        .err(new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true))
        .terminal(Terminal.system())
        .workingDirectory(Path.of("").toAbsolutePath())
        .build();
  }

  /** {@return a builder with the defaults: empty environment, no terminal, system clock} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return an environment variable, empty when unset or blank}
   *
   * @param name the variable name
   */
  public Optional<String> env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  /** {@return all environment variables (unmodifiable)} */
  public Map<String, String> environment() {
    return env;
  }

  /** {@return where normal output goes} */
  public PrintWriter out() {
    return out;
  }

  /** {@return where errors and prompts' side notes go} */
  public PrintWriter err() {
    return err;
  }

  /** {@return the terminal} */
  public Terminal terminal() {
    return terminal;
  }

  /** {@return the directory relative paths are resolved against (absolute, normalized)} */
  public Path workingDirectory() {
    return workingDirectory;
  }

  /**
   * Resolves a path given on the command line against the working directory.
   *
   * @param path the path as given, relative or absolute
   * @return the absolute, normalized path
   */
  public Path resolve(Path path) {
    return workingDirectory.resolve(path).normalize();
  }

  /** {@return the clock} */
  public Clock clock() {
    return clock;
  }

  /** {@return the sleeper used for retries and polling} */
  public Sleeper sleeper() {
    return sleeper;
  }

  /** {@return the randomness for keys, passphrases and nonces} */
  public synchronized SecureRandom random() {
    if (random == null) {
      random = new SecureRandom();
    }
    return random;
  }

  /** {@return how transports to the cloud are made} */
  public TransportFactory transports() {
    return transports;
  }

  /** {@return how the embedded cloud of {@code kpd init} without cloud settings is started} */
  public EmbeddedCloud.Factory embedded() {
    return embedded;
  }

  /** {@return how foreground commands wait until they are stopped} */
  public Foreground foreground() {
    return foreground;
  }

  /** Builds {@link CliContext}s. Not thread-safe; setters reject null. */
  public static final class Builder {
    private Map<String, String> env = Map.of();
    private PrintWriter out = new PrintWriter(System.out, true);
    private PrintWriter err = new PrintWriter(System.err, true);
    private Terminal terminal = Terminal.none();
    private Path workingDirectory = Path.of("");
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private SecureRandom random;
    private TransportFactory transports = TransportFactory.http();
    private EmbeddedCloud.Factory embedded = EmbeddedCloud.loopback();
    private Foreground foreground = Foreground.untilProcessStops();

    private Builder() {}

    /**
     * Sets the environment variables (copied).
     *
     * @param env the environment variables
     * @return this builder
     */
    public Builder env(Map<String, String> env) {
      this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
      return this;
    }

    /**
     * Sets the output writer.
     *
     * @param out the writer for normal output
     * @return this builder
     */
    public Builder out(PrintWriter out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /**
     * Sets the error writer.
     *
     * @param err the writer for errors and side notes
     * @return this builder
     */
    public Builder err(PrintWriter err) {
      this.err = Objects.requireNonNull(err, "err");
      return this;
    }

    /**
     * Sets the terminal (default: none, never prompts).
     *
     * @param terminal the terminal to prompt on
     * @return this builder
     */
    public Builder terminal(Terminal terminal) {
      this.terminal = Objects.requireNonNull(terminal, "terminal");
      return this;
    }

    /**
     * Sets the working directory.
     *
     * @param dir the directory relative paths are resolved against
     * @return this builder
     */
    public Builder workingDirectory(Path dir) {
      this.workingDirectory = Objects.requireNonNull(dir, "workingDirectory");
      return this;
    }

    /**
     * Sets the clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the sleeper (tests pass one that returns at once).
     *
     * @param sleeper the sleeper for retries and polling
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the randomness (default: a new SecureRandom).
     *
     * @param random the randomness for keys, passphrases and nonces
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Sets how transports are made (default: the REST transport).
     *
     * @param transports the factory of transports to the cloud
     * @return this builder
     */
    public Builder transports(TransportFactory transports) {
      this.transports = Objects.requireNonNull(transports, "transports");
      return this;
    }

    /**
     * Sets how the embedded cloud is started (default: the loopback emulator).
     *
     * @param embedded the factory of embedded clouds
     * @return this builder
     */
    public Builder embedded(EmbeddedCloud.Factory embedded) {
      this.embedded = Objects.requireNonNull(embedded, "embedded");
      return this;
    }

    /**
     * Sets how foreground commands wait (default: until the process stops).
     *
     * @param foreground how foreground commands wait
     * @return this builder
     */
    public Builder foreground(Foreground foreground) {
      this.foreground = Objects.requireNonNull(foreground, "foreground");
      return this;
    }

    /** {@return the context} */
    public CliContext build() {
      return new CliContext(this);
    }
  }
}
