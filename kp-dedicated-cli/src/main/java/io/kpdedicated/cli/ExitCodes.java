package io.kpdedicated.cli;

/**
 * The exit codes of {@code kpd}. Scripts can rely on them; they are also listed in {@code kpd --help}
 * and in the README.
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>done: every targeted unit reached the goal</td></tr>
 *   <tr><td>1</td><td>internal error (a bug in kpd; run again with {@code --verbose} and report it)</td></tr>
 *   <tr><td>2</td><td>bad input: usage error, missing or unreadable file, wrong passphrase, invalid
 *       value, a file that would be overwritten; nothing was changed</td></tr>
 *   <tr><td>3</td><td>partial failure: the command ran, but at least one crypto unit failed or does
 *       not match; the others kept their progress; kpd prints the command that retries only the
 *       failed units</td></tr>
 *   <tr><td>4</td><td>cloud or transport error before any per-unit work: the service refused a
 *       call (token, instance, list) or could not be reached</td></tr>
 *   <tr><td>5</td><td>cancelled: a confirmation was declined</td></tr>
 * </table>
 */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** Internal error (a bug). */
  public static final int INTERNAL = 1;
  /** Bad input or usage; nothing was changed. */
  public static final int BAD_INPUT = 2;
  /** At least one crypto unit failed; the others kept their progress. */
  public static final int PARTIAL_FAILURE = 3;
  /** The cloud refused a call or could not be reached. */
  public static final int CLOUD_ERROR = 4;
  /** A confirmation was declined. */
  public static final int CANCELLED = 5;

  /** The exit code section of every command's help. */
  static final String HELP_SECTION =
      "Exit codes:%n"
          + "  0  done%n"
          + "  1  internal error (run again with --verbose and report it)%n"
          + "  2  bad input (usage, file, passphrase, value); nothing was changed%n"
          + "  3  partial failure: some crypto units failed; the retry command is printed%n"
          + "  4  cloud or transport error%n"
          + "  5  cancelled (confirmation declined)%n";

  private ExitCodes() {}
}
