package io.kpdedicated.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code kpd}: initializes IBM Cloud Key Protect Dedicated instances from the command line. The
 * entry point of {@code kpd.jar}.
 *
 * <p>Run in-process (tests, embedding) with {@link #execute(CliContext, String...)}; each call builds
 * a fresh command tree, so calls are independent and may run on different threads.
 */
@Command(
    name = "kpd",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Kpd.Version.class,
    description = {
        "Initializes IBM Cloud Key Protect Dedicated instances: every crypto unit claimed, loaded with"
            + " one master key and kms-initialized.",
        "",
        "Start with 'kpd init': with no IBMCLOUD_API_KEY in the environment it runs against an"
            + " embedded loopback emulator."
    },
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%n",
    footer = {
        ExitCodes.HELP_SECTION,
        "Passphrases, safest first:%n"
            + "  - the prompt (no echo): give the file alone, e.g. \"share1.json\"%n"
            + "  - an environment variable: {\"file\":F,\"passphraseEnv\":VAR},%n    or --passphrase-env VAR%n"
            + "  - a file: {\"file\":F,\"passphraseFile\":P}, --passphrase-file P,%n"
            + "    or --passphrases FILE with one line F#P per key file%n"
            + "  - on the command line (visible to other local users): F#P, --passphrase P%n"
            + "  F#P is split at the first '#', so a passphrase may contain '#'.%n",
    })
public final class Kpd extends KpdCommand {
  /** The name of the command that prints the shell completion script (picocli's). */
  static final String COMPLETION = "generate-completion";

  /**
   * The commands, in the order {@code kpd --help} lists them. Built into the command tree on
   * demand ({@link #commandLine(CliContext, String...)}): a run builds only the command it runs.
   */
  private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("init", InitCommand.class);
    COMMANDS.put("plan", PlanCommand.class);
    COMMANDS.put("sig-key", SigKeyCommand.class);
    COMMANDS.put("mk", MkCommand.class);
    COMMANDS.put("crypto-units", CryptoUnitsCommand.class);
    COMMANDS.put("claim", ClaimCommand.class);
    COMMANDS.put("user", UserCommand.class);
    COMMANDS.put("zeroize", ZeroizeCommand.class);
    COMMANDS.put("instance", InstanceCommand.class);
    COMMANDS.put("emulator", EmulatorCommand.class);
    COMMANDS.put(COMPLETION, AutoComplete.GenerateCompletion.class);
  }

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  /**
   * Runs {@code kpd} in this process and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      // The JDK's HTTP server writes headers and body separately; without TCP_NODELAY every
      // answer of the embedded emulator waits for a delayed ACK.
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    int code = execute(CliContext.system(), args);
    System.out.flush();
    System.err.flush();
    endHttpClientSelectors();
    System.exit(code);
  }

  /**
   * Lets the process end as soon as the command is done. At exit a JDK 17 VM waits about 0.3 s
   * while any thread is inside native code, and the selector thread of every
   * {@code java.net.http.HttpClient} sits in {@code epoll_wait} until its client is garbage
   * collected (JDK 17 has no {@code HttpClient.close()}). Interrupting that thread makes it close
   * its selector and end; the command is over, so no request is cut short.
   */
  private static void endHttpClientSelectors() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 8];
    int n = root.enumerate(threads);
    for (int i = 0; i < n; i++) {
      Thread t = threads[i];
      if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
        t.interrupt();
        try {
          t.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Runs {@code kpd} with the given context and returns the exit code ({@link ExitCodes}).
   *
   * @param ctx the context (environment, output, terminal...)
   * @param args the command line
   * @return the exit code
   */
  public static int execute(CliContext ctx, String... args) {
    return commandLine(ctx, args).execute(args);
  }

  /**
   * Builds the command tree bound to {@code ctx}, with kpd's error handling: one line per error on
   * the error writer, the stack trace only with {@code --verbose}, secrets given on the command line
   * redacted.
   *
   * @param ctx the context
   * @return a new command line
   */
  public static CommandLine commandLine(CliContext ctx) {
    return build(ctx, COMMANDS.keySet());
  }

  /**
   * Like {@link #commandLine(CliContext)}, with only the commands {@code args} need: the one it
   * names, or none for {@code --version}; all of them for help, completion and errors (which
   * suggest names). Building a command loads its classes, so {@code kpd --version} and single
   * commands start faster.
   *
   * @param ctx the context
   * @param args the command line that will be executed
   * @return a new command line
   */
  public static CommandLine commandLine(CliContext ctx, String... args) {
    return build(ctx, needed(args));
  }

  /** Returns the names of the commands a run with {@code args} needs in its tree. */
  static Collection<String> needed(String... args) {
    for (String a : args) {
      if (a.equals("--verbose")) {
        continue;
      }
      if (a.equals("-V") || a.equals("--version")) {
        return List.of();
      }
      if (COMMANDS.containsKey(a) && !a.equals(COMPLETION)) {
        return List.of(a);
      }
      break;
    }
    return COMMANDS.keySet();
  }

  private static CommandLine build(CliContext ctx, Collection<String> commands) {
    Objects.requireNonNull(ctx, "ctx");
    CommandLine cl = new CommandLine(Kpd.class, new ContextFactory(ctx));
    for (String name : commands) {
      cl.addSubcommand(name, COMMANDS.get(name));
    }
    if (cl.getSubcommands().containsKey(COMPLETION)) {
      CommandLine completion = cl.getSubcommands().get(COMPLETION);
      completion.getCommandSpec().usageMessage().description(
          "Print a bash/zsh completion script for kpd to standard output.",
          "Load it in the current shell with: source <(kpd " + COMPLETION + ")",
          "or install it: kpd " + COMPLETION + " > /etc/bash_completion.d/kpd");
    }
    cl.setOut(ctx.out());
    cl.setErr(ctx.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Kpd::onBadUsage);
    cl.setExecutionExceptionHandler(Kpd::onFailure);
    return cl;
  }

  @Override
  int run() {
    spec.commandLine().usage(ctx().out());
    return ExitCodes.OK;
  }

  private static int onBadUsage(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    String message = ex instanceof UnmatchedArgumentException u
        ? unmatched(u.getUnmatched(), u.getSuggestions())
        : Redactor.redact(ex.getMessage(), List.of(args));
    err.println("error: " + message + " (see '" + name + " --help')");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  /**
   * Describes arguments the parser did not recognize without quoting any value: after a misspelled
   * option such as {@code --pasphrase} comes a passphrase the redactor cannot know is one.
   */
  static String unmatched(List<String> unmatched, List<String> suggestions) {
    List<String> options = unmatched.stream().filter(a -> a.startsWith("-") && a.length() > 1)
        .map(a -> "'" + (a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a) + "'")
        .toList();
    long others = unmatched.size() - options.size();
    StringBuilder line = new StringBuilder();
    if (!options.isEmpty()) {
      line.append(options.size() == 1 ? "unknown option " : "unknown options ")
          .append(String.join(", ", options));
    }
    if (others > 0) {
      line.append(line.length() == 0 ? "" : " and ").append(others)
          .append(others == 1 ? " unexpected argument (not repeated here: it may be a passphrase)"
              : " unexpected arguments (not repeated here: they may be passphrases)");
    }
    if (!suggestions.isEmpty()) {
      line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
    }
    return line.toString();
  }

  private static int onFailure(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    List<String> args = parseResult.originalArgs();
    Failures.Report report = Failures.describe(ex);
    err.println("error: " + Redactor.redact(report.line(), args));
    if (isVerbose(parseResult)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return report.exitCode();
  }

  private static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult pr = parseResult; pr != null;
        pr = pr.hasSubcommand() ? pr.subcommand() : null) {
      if (pr.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Creates commands and hands them the context. */
  private static final class ContextFactory implements IFactory {
    private final IFactory delegate = CommandLine.defaultFactory();
    private final CliContext ctx;

    ContextFactory(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K object = delegate.create(cls);
      if (object instanceof KpdCommand command) {
        command.context(ctx);
      }
      return object;
    }
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Kpd.class.getPackage().getImplementationVersion();
      return new String[] {"kpd " + (v == null ? "(development build)" : v)};
    }
  }
}
