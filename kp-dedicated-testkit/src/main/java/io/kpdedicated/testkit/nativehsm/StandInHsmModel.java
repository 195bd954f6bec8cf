package io.kpdedicated.testkit.nativehsm;

import com.sun.jna.Pointer;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.testkit.HsmUnitAccess;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HSM behind the C stand-in library, modelled in Java on an {@link InMemoryDedicatedCloud}'s
 * units through {@link HsmUnitAccess}: a unit claimed over REST is the unit a library session opens
 * on, {@code ImportMBKC} loads the master key rebuilt from the stand-in's share files into that
 * unit, {@code AddUserC} adds the {@code kmsCryptoUser} to it, and its state follows
 * ({@code claimed} to {@code initialized} or {@code kms-authorized}, then {@code kms-initialized}).
 *
 * <p>What each export checks and answers:
 *
 * <ul>
 *   <li>{@code CreateSessionC}: port 1..65535, user {@code ADMIN}, a {@code Bearer} token the
 *       {@linkplain Builder#tokenCheck token check} accepts, an existing unit, and an admin key file
 *       in the {@linkplain StandInFiles stand-in format} that its passphrase opens; else handle 0.
 *   <li>Every session call: {@code 0xC7000600} for an unknown handle, {@code 0x00000008} when the
 *       session's token (or the headers' {@code Authorization}) is no longer accepted,
 *       {@code 0xB1B39DD1} for a unit gone, {@code 0xB1B3C350} in maintenance, {@code 0xB1B39FC5}
 *       before the claim, {@code 0xC7000300} when the unit was claimed with another admin key.
 *   <li>{@code GenerateMBKC} ({@code AES}, 32, n, k, a name padded to 8): a random key split with
 *       Shamir into the keyspec's share files (stand-in format, left world-readable like the real
 *       library's files); it does not load the key.
 *   <li>{@code ImportMBKC} (slot 3): rebuilds the key from at least k share files
 *       ({@code 0xB906100E} for a wrong passphrase) and loads it; the same key again is a success,
 *       another key {@code 0xB1B39FC4}.
 *   <li>{@code AddUserC}: the {@code kmsCryptoUser} of the cloud's metadata only: name, the
 *       {@code <file>#} credential file's {@code MOD=}/{@code PEXP=}, {@code cred_hash} and
 *       {@code CXI_GROUP=SLOT_%04d} must match ({@code 0xC7000C05}); an existing user is
 *       {@code 0xC7000C01}.
 *   <li>{@code ListUsersC}, {@code ListMBKKeysC}: text tables; the key check value is
 *       {@linkplain #nativeCheckValue(byte[]) two groups of 16 hex digits}.
 * </ul>
 *
 * <p>Fault injection on the native path: any status and message for the next N calls of an export
 * (optionally of one unit, before or after the call took effect), any answer text, latency through
 * the {@linkplain Builder#sleeper(Sleeper) sleeper}, and a hook run inside every call. Every call is
 * recorded with its exact arguments. Thread-safe.
 */
public final class StandInHsmModel implements StandInLibrary.Handler {
  /** Status the handler returns when the model itself failed (a test bug); see {@link #errors()}. */
  public static final long MODEL_ERROR = 0xC7000006L;

  /** The permission column of the administrator in {@code ListUsersC}. */
  public static final String ADMIN_ROW = "ADMIN 22000000 RSA sign Z[0]";

  private static final int POINTER_SIZE = 8;

  /**
   * One call as the library received it.
   *
   * @param fn the export
   * @param handle the session handle (0 for calls without one)
   * @param unitId the session's unit, or the {@code CreateSessionC} argument, or null
   * @param strings the string arguments in header order (NULL as null)
   * @param numbers the numeric arguments in header order
   * @param credentialFileContent for {@code AddUserC} with {@code <file>#}, the file's content at
   *     the time of the call ({@code <missing>} if absent), else null
   */
  public record Call(String fn, long handle, String unitId, List<String> strings,
      List<Long> numbers, String credentialFileContent) {
    /**
     * Copies the lists.
     *
     * @param fn the export
     * @param handle the session handle (0 for calls without one)
     * @param unitId the session's unit, or the {@code CreateSessionC} argument, or null
     * @param strings the string arguments in header order (NULL as null)
     * @param numbers the numeric arguments in header order
     * @param credentialFileContent for {@code AddUserC} with {@code <file>#}, the file's content
     *     at the time of the call ({@code <missing>} if absent), else null
     */
    public Call {
      strings = Collections.unmodifiableList(new ArrayList<>(strings));
      numbers = List.copyOf(numbers);
    }

    /**
     * Returns a string argument.
     *
     * @param i its position
     * @return the argument
     */
    public String str(int i) {
      return strings.get(i);
    }

    /**
     * Returns a numeric argument.
     *
     * @param i its position
     * @return the argument
     */
    public long num(int i) {
      return numbers.get(i);
    }
  }

  private final Sleeper sleeper;
  private final StandInLibrary control;
  private final StandInAnswers answers;
  private final StandInFaults faults = new StandInFaults();
  private final StandInExports exports;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private volatile Consumer<Call> hook = c -> { };

  private StandInHsmModel(Builder b, StandInLibrary control) {
    this.sleeper = b.sleeper;
    this.control = control;
    this.answers = new StandInAnswers(control);
    this.exports = new StandInExports(HsmUnitAccess.of(b.cloud), answers, b.tokenCheck, b.random);
  }

  /**
   * Starts a builder for a model over a cloud.
   *
   * @param cloud the cloud whose units the model serves
   * @return the builder
   */
  public static Builder builder(InMemoryDedicatedCloud cloud) {
    return new Builder(cloud);
  }

  /**
   * Returns the key check value the stand-in reports for a key in {@code ListMBKKeysC}: the first 8
   * bytes of AES-256-ECB of 16 zero bytes, a colon, and the first 8 bytes of AES-256-ECB of 16
   * {@code 0xFF} bytes, in lower-case hex (the stand-in's own choice; IBM's is not documented).
   *
   * @param key the AES-256 key
   * @return {@code 16hex:16hex}
   */
  public static String nativeCheckValue(byte[] key) {
    try {
      Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
      byte[] zeros = c.doFinal(new byte[16]);
      byte[] ones = new byte[16];
      Arrays.fill(ones, (byte) 0xFF);
      byte[] high = c.doFinal(ones);
      HexFormat hex = HexFormat.of();
      return hex.formatHex(zeros, 0, 8) + ":" + hex.formatHex(high, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is missing from this JVM", e);
    }
  }

  // ---------------------------------------------------------------- fault injection

  /**
   * Makes the next {@code times} calls of an export fail with a status and message before they
   * take effect ({@code CreateSessionC} answers handle 0).
   *
   * @param fn the export, e.g. {@code ImportMBKC}
   * @param times how many calls
   * @param status the status, read as unsigned 32-bit
   * @param message the result text, or null for none
   */
  public void fail(String fn, int times, long status, String message) {
    faults.add(fn, times, new StandInFaults.Fault(null, status, message, false));
  }

  /**
   * Makes the next {@code times} calls of an export on one unit fail before they take effect.
   *
   * @param fn the export
   * @param unitId the unit
   * @param times how many calls
   * @param status the status
   * @param message the result text, or null for none
   */
  public void failOnUnit(String fn, String unitId, int times, long status, String message) {
    faults.add(fn, times, new StandInFaults.Fault(Objects.requireNonNull(unitId, "unitId"), status,
        message, false));
  }

  /**
   * Makes the next {@code times} calls of an export take effect and then report a failure (the
   * answer was lost on the way).
   *
   * @param fn the export
   * @param times how many calls
   * @param status the status
   * @param message the result text, or null for none
   */
  public void failAfterEffect(String fn, int times, long status, String message) {
    faults.add(fn, times, new StandInFaults.Fault(null, status, message, true));
  }

  /**
   * Makes every later successful call of an export answer exactly these bytes (no NUL inside).
   *
   * @param fn the export
   * @param text the answer
   */
  public void answerRaw(String fn, byte[] text) {
    faults.answerRaw(fn, text);
  }

  /**
   * Makes every later successful call of an export answer this text.
   *
   * @param fn the export
   * @param text the answer
   */
  public void answer(String fn, String text) {
    answerRaw(fn, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Makes every later call of an export wait this long (through the sleeper) before it is served.
   *
   * @param fn the export
   * @param latency the wait, zero to remove
   */
  public void latency(String fn, Duration latency) {
    faults.latency(fn, latency);
  }

  /** Removes every fault, answer and latency. */
  public void clearFaults() {
    faults.clear();
  }

  /**
   * Runs {@code hook} inside every call, after it is recorded and before it is served; an exception
   * it throws is recorded in {@link #errors()} and the call answers {@link #MODEL_ERROR}.
   *
   * @param hook the hook
   */
  public void hook(Consumer<Call> hook) {
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  // ---------------------------------------------------------------- views

  /** {@return every call so far} */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * Returns the calls of one export.
   *
   * @param fn the export
   * @return its calls, in order
   */
  public List<Call> calls(String fn) {
    List<Call> out = new ArrayList<>();
    for (Call c : calls) {
      if (c.fn().equals(fn)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Returns the only call of one export.
   *
   * @param fn the export
   * @return the call
   * @throws AssertionError if there was not exactly one
   */
  public Call onlyCall(String fn) {
    List<Call> c = calls(fn);
    if (c.size() != 1) {
      throw new AssertionError("expected one call of " + fn + ", got " + c.size());
    }
    return c.get(0);
  }

  /** {@return the errors the model itself raised (a test bug when not empty)} */
  public List<Throwable> errors() {
    return Collections.unmodifiableList(errors);
  }

  /** {@return why {@code CreateSessionC} answered 0, one line per refusal} */
  public List<String> refusedSessions() {
    return exports.sessions().refused();
  }

  /** {@return the units of the open sessions, by handle} */
  public Map<Long, String> openSessions() {
    return exports.sessions().open();
  }

  /** {@return result strings the library handed out that nobody released} */
  public long leaks() {
    return control.StandInAllocations() - control.StandInFrees();
  }

  // ---------------------------------------------------------------- the handler

  @Override
  public long invoke(String fn, long handle, Pointer strs, int nstrs, Pointer nums, int nnums) {
    try {
      List<String> strings = new ArrayList<>();
      for (int i = 0; i < nstrs; i++) {
        Pointer p = strs.getPointer((long) i * POINTER_SIZE);
        strings.add(p == null ? null : p.getString(0, "UTF-8"));
      }
      List<Long> numbers = new ArrayList<>();
      for (int i = 0; i < nnums; i++) {
        numbers.add(nums.getLong(i * 8L));
      }
      String credential = null;
      if (fn.equals("AddUserC") && strings.get(2) != null && strings.get(2).endsWith("#")) {
        Path f = Path.of(strings.get(2).substring(0, strings.get(2).length() - 1));
        credential = Files.exists(f) ? Files.readString(f) : "<missing>";
      }
      StandInSessions.Session s = exports.sessions().get(handle);
      String unitId = fn.equals("CreateSessionC") ? strings.get(2)
          : s == null ? null : s.unitId();
      Call call = new Call(fn, handle, unitId, strings, numbers, credential);
      calls.add(call);
      hook.accept(call);
      StandInFaults.Decision decision = faults.take(fn, unitId);
      if (!decision.latency().isZero()) {
        sleeper.sleep(decision.latency());
      }
      StandInFaults.Fault fault = decision.fault();
      if (fault != null && !fault.afterEffect()) {
        answers.reply(fault.message());
        return fn.equals("CreateSessionC") ? 0 : fault.status();
      }
      long status = exports.serve(call, s);
      if (fault != null) {
        answers.reply(fault.message());
        return fn.equals("CreateSessionC") ? 0 : fault.status();
      }
      if (status == 0 && decision.raw() != null && !fn.equals("CreateSessionC")) {
        answers.replyRaw(decision.raw());
      }
      return status;
    } catch (Throwable t) {
      errors.add(t);
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return MODEL_ERROR;
    }
  }

  /** Builds and registers a {@link StandInHsmModel}. Not thread-safe. */
  public static final class Builder {
    private final InMemoryDedicatedCloud cloud;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private SecureRandom random = new SecureRandom();
    private Predicate<String> tokenCheck = t -> t != null && t.startsWith("Bearer ")
        && t.length() > 7 && t.indexOf(' ', 7) < 0;

    private Builder(InMemoryDedicatedCloud cloud) {
      this.cloud = Objects.requireNonNull(cloud, "cloud");
    }

    /**
     * Sets what waits out injected latency (default: real sleeping).
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the randomness of generated keys, salts and shares (default: a new SecureRandom).
     *
     * @param random the randomness
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Sets which {@code Bearer <token>} strings the library accepts (default: any one-word token
     * after {@code Bearer }); checked at {@code CreateSessionC}, {@code SetTokenGetterC}, before
     * every session call (the session's token) and on the headers' {@code Authorization}.
     *
     * @param check the check, given the full {@code Bearer <token>} text
     * @return this builder
     */
    public Builder tokenCheck(Predicate<String> check) {
      this.tokenCheck = Objects.requireNonNull(check, "check");
      return this;
    }

    /**
     * Builds the model and registers it with the stand-in library, zeroing its counters.
     *
     * @param control the stand-in's control exports
     * @return the registered model
     */
    public StandInHsmModel register(StandInLibrary control) {
      Objects.requireNonNull(control, "control");
      StandInHsmModel model = new StandInHsmModel(this, control);
      control.StandInReset();
      control.StandInRegister(model);
      return model;
    }
  }
}
