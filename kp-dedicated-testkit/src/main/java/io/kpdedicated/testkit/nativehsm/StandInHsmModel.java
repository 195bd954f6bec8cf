package io.kpdedicated.testkit.nativehsm;

import com.sun.jna.Pointer;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.crypto.Shamir;
import io.kpdedicated.testkit.HsmUnitAccess;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.UnitSnapshot;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
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
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
      Locale.ROOT);

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
    /** Copies the lists. */
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

  private record Fault(String unitId, long status, String message, boolean afterEffect) {}

  private record Session(String guid, String unitId, RSAPublicKey admin, String token) {}

  private final HsmUnitAccess units;
  private final Sleeper sleeper;
  private final SecureRandom random;
  private final Predicate<String> tokenCheck;
  private final StandInLibrary control;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final List<String> refusedSessions = new CopyOnWriteArrayList<>();
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, String> nativeCheckValues = new ConcurrentHashMap<>();
  private final Map<String, Deque<Fault>> faults = new HashMap<>();
  private final Map<String, byte[]> rawAnswers = new HashMap<>();
  private final Map<String, Duration> latencies = new HashMap<>();
  private final AtomicLong nextHandle = new AtomicLong(0x5000);
  private volatile Consumer<Call> hook = c -> { };

  private StandInHsmModel(Builder b, StandInLibrary control) {
    this.units = HsmUnitAccess.of(b.cloud);
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.tokenCheck = b.tokenCheck;
    this.control = control;
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
    addFault(fn, times, new Fault(null, status, message, false));
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
    addFault(fn, times, new Fault(Objects.requireNonNull(unitId, "unitId"), status, message,
        false));
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
    addFault(fn, times, new Fault(null, status, message, true));
  }

  private synchronized void addFault(String fn, int times, Fault fault) {
    Objects.requireNonNull(fn, "fn");
    Deque<Fault> q = faults.computeIfAbsent(fn, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(fault);
    }
  }

  /**
   * Makes every later successful call of an export answer exactly these bytes (no NUL inside).
   *
   * @param fn the export
   * @param text the answer
   */
  public synchronized void answerRaw(String fn, byte[] text) {
    rawAnswers.put(Objects.requireNonNull(fn, "fn"), text.clone());
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
  public synchronized void latency(String fn, Duration latency) {
    latencies.put(Objects.requireNonNull(fn, "fn"), Objects.requireNonNull(latency, "latency"));
  }

  /** Removes every fault, answer and latency. */
  public synchronized void clearFaults() {
    faults.clear();
    rawAnswers.clear();
    latencies.clear();
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

  /** Returns every call so far. */
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

  /** Returns the errors the model itself raised (a test bug when not empty). */
  public List<Throwable> errors() {
    return Collections.unmodifiableList(errors);
  }

  /** Returns why {@code CreateSessionC} answered 0, one line per refusal. */
  public List<String> refusedSessions() {
    return List.copyOf(refusedSessions);
  }

  /** Returns the units of the open sessions, by handle. */
  public Map<Long, String> openSessions() {
    Map<Long, String> out = new LinkedHashMap<>();
    sessions.forEach((h, s) -> out.put(h, s.unitId()));
    return out;
  }

  /** Returns result strings the library handed out that nobody released. */
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
      Session s = sessions.get(handle);
      String unitId = fn.equals("CreateSessionC") ? strings.get(2)
          : s == null ? null : s.unitId();
      Call call = new Call(fn, handle, unitId, strings, numbers, credential);
      calls.add(call);
      hook.accept(call);
      Duration latency;
      Fault fault;
      byte[] raw;
      synchronized (this) {
        latency = latencies.getOrDefault(fn, Duration.ZERO);
        fault = takeFault(fn, unitId);
        raw = rawAnswers.get(fn);
      }
      if (!latency.isZero()) {
        sleeper.sleep(latency);
      }
      if (fault != null && !fault.afterEffect()) {
        reply(fault.message());
        return fn.equals("CreateSessionC") ? 0 : fault.status();
      }
      long status = serve(call, s);
      if (fault != null) {
        reply(fault.message());
        return fn.equals("CreateSessionC") ? 0 : fault.status();
      }
      if (status == 0 && raw != null && !fn.equals("CreateSessionC")) {
        control.StandInReply(withNul(raw));
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

  private Fault takeFault(String fn, String unitId) {
    Deque<Fault> q = faults.get(fn);
    if (q == null) {
      return null;
    }
    for (var it = q.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.unitId() == null || f.unitId().equals(unitId)) {
        it.remove();
        return f;
      }
    }
    return null;
  }

  private long serve(Call c, Session s) throws IOException {
    switch (c.fn()) {
      case "CreateSessionC":
        return createSession(c);
      case "GenerateRSAKeyC":
        return generateAdminKey(c);
      case "GetLastErrorC":
        return 0;
      case "CloseSessionC":
        return sessions.remove(c.handle()) != null ? 0 : 0xC7000600L;
      default:
        break;
    }
    if (s == null) {
      reply("invalid session handle " + c.handle());
      return 0xC7000600L;
    }
    if (c.fn().equals("SetTokenGetterC")) {
      if (!tokenCheck.test(c.str(0))) {
        reply("the IAM token is not valid");
        return 0x00000008L;
      }
      sessions.put(c.handle(), new Session(s.guid(), s.unitId(), s.admin(), c.str(0)));
      return 0;
    }
    if (!tokenCheck.test(s.token())) {
      reply("the session's IAM token is no longer valid");
      return 0x00000008L;
    }
    UnitSnapshot unit = units.unit(s.guid(), s.unitId()).orElse(null);
    if (unit == null) {
      reply("crypto unit " + s.unitId() + " not found");
      return 0xB1B39DD1L;
    }
    if (unit.state() == io.kpdedicated.core.model.UnitState.MAINTENANCE) {
      reply("crypto unit " + s.unitId() + " is in maintenance");
      return 0xB1B3C350L;
    }
    if (unit.admin() == null) {
      reply("crypto unit " + s.unitId() + " must be claimed first");
      return 0xB1B39FC5L;
    }
    if (!sameKey(unit.admin(), s.admin())) {
      reply("authentication failed: the admin key is not the one unit " + s.unitId()
          + " was claimed with");
      return 0xC7000300L;
    }
    switch (c.fn()) {
      case "GetAuthStateC":
        control.StandInReplyInt(1);
        return 0;
      case "GetCryptoUnitIDC":
        reply(s.unitId());
        return 0;
      case "ListUsersC":
        units.recordCall(Operation.LIST_USERS, s.unitId());
        reply(usersTable(unit));
        return 0;
      case "ListMBKKeysC":
        units.recordCall(Operation.LIST_MASTER_KEYS, s.unitId());
        reply(masterKeyTable(unit));
        return 0;
      case "AddUserC":
        units.recordCall(Operation.ADD_USER, s.unitId());
        return headersRefused(c.str(5)) ? 0x00000008L : addUser(c, s);
      case "GenerateMBKC":
        return headersRefused(c.str(3)) ? 0x00000008L : generateMasterKey(c);
      case "ImportMBKC":
        units.recordCall(Operation.IMPORT_MASTER_KEY, s.unitId());
        return headersRefused(c.str(1)) ? 0x00000008L : importMasterKey(c, s);
      default:
        reply(c.fn() + " is not supported by the stand-in");
        return 0xC7000004L;
    }
  }

  private long createSession(Call c) {
    String endpoint = c.str(0);
    long port = c.num(0);
    String guid = c.str(1);
    String unitId = c.str(2);
    String refusal = null;
    StandInFiles.AdminKey key = null;
    if (endpoint == null || !(endpoint.startsWith("https://") || endpoint.startsWith("http://"))) {
      refusal = "endpoint without scheme: " + endpoint;
    } else if (port < 1 || port > 65535) {
      refusal = "port out of range: " + port;
    } else if (!"ADMIN".equals(c.str(3))) {
      refusal = "user is not ADMIN: " + c.str(3);
    } else if (!tokenCheck.test(c.str(6))) {
      refusal = "IAM token not accepted";
    } else if (units.unit(guid, unitId).isEmpty()) {
      refusal = "no unit " + unitId + " in instance " + guid;
    } else if (c.str(4) == null) {
      refusal = "no key file";
    } else {
      try {
        key = StandInFiles.readAdminKey(Path.of(c.str(4)));
        if (!key.opensWith(c.str(5))) {
          refusal = "the passphrase does not open key file " + c.str(4);
        }
      } catch (IOException | StandInFiles.FormatException e) {
        refusal = "key file " + c.str(4) + " unreadable: " + e.getMessage();
      }
    }
    if (refusal != null) {
      refusedSessions.add(refusal);
      return 0;
    }
    units.recordCall(Operation.OPEN_SESSION, unitId);
    long h = nextHandle.getAndIncrement();
    sessions.put(h, new Session(guid, unitId, key.publicKey(), c.str(6)));
    return h;
  }

  private long generateAdminKey(Call c) throws IOException {
    Path file = Path.of(c.str(1));
    if (Files.exists(file)) {
      reply("key file " + file + " exists");
      return 0xB9061006L;
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize((int) c.num(0), random);
      RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
      StandInFiles.writeAdminKey(file, c.str(2) == null ? "" : c.str(2), key, c.str(3), random);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      reply("cannot generate an RSA key of " + c.num(0) + " bits");
      return 0xC700000AL;
    }
    reply("key generated");
    return 0;
  }

  private long addUser(Call c, Session s) {
    CryptoUserMetadata m = units.cloud().metadata();
    String name = c.str(0);
    String problem = null;
    if (!"kmsCryptoUser".equals(c.str(1))) {
      problem = "the stand-in adds only the kmsCryptoUser, got type " + c.str(1);
    } else if (!m.userName().equals(name)) {
      problem = "the kmsCryptoUser must be named " + m.userName();
    } else if (c.credentialFileContent() == null || c.credentialFileContent().equals("<missing>")) {
      problem = "the credential must be <file>#, naming an existing file";
    } else if (!sameKey(credentialKey(c.credentialFileContent()), RsaKeys.fromPem(m.publicKeyPem()))) {
      problem = "the credential file does not hold the metadata's public key";
    } else if (!sha256Hex(m.publicKeyPem()).equals(c.str(3))) {
      problem = "cred_hash is not the SHA-256 of the metadata's public key";
    } else if (!(NewUser.CXI_GROUP + "=" + m.cxiGroup()).equals(c.str(4))) {
      problem = "attributes must be " + NewUser.CXI_GROUP + "=" + m.cxiGroup();
    }
    if (problem != null) {
      reply(problem);
      return 0xC7000C05L;
    }
    HsmUnitAccess.Outcome o = units.addUser(s.guid(), s.unitId(), new CryptoUser(name,
        UserType.KMS_CRYPTO_USER, Map.of(NewUser.CXI_GROUP, m.cxiGroup())));
    switch (o) {
      case DONE:
        reply("user " + name + " added");
        return 0;
      case CONFLICT:
        reply("user " + name + " already exists");
        return 0xC7000C01L;
      default:
        return refusal(o, s.unitId());
    }
  }

  private long generateMasterKey(Call c) throws IOException {
    String keyspec = c.str(0);
    long keylen = c.num(0);
    int n = (int) c.num(1);
    int k = (int) c.num(2);
    String name = c.str(2);
    List<String[]> files = parseKeyspec(keyspec);
    if (!"AES".equals(c.str(1)) || keylen != 32 || files == null || files.size() != n || k < 2
        || k > n || name == null || name.length() != 8 || name.isBlank()) {
      reply("invalid master key arguments");
      return 0xC7000001L;
    }
    for (String[] f : files) {
      if (Files.exists(Path.of(f[0]))) {
        reply("share file " + f[0] + " exists");
        return 0xB9061006L;
      }
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] setBytes = new byte[8];
    random.nextBytes(setBytes);
    String setId = HexFormat.of().formatHex(setBytes);
    List<byte[]> shares = Shamir.split(key, k, n, random);
    try {
      for (int i = 0; i < n; i++) {
        StandInFiles.writeShare(Path.of(files.get(i)[0]), new StandInFiles.Share(setId,
            name.strip(), i + 1, n, k, shares.get(i)), files.get(i)[1], random);
      }
      nativeCheckValues.put(kcvKey(key), nativeCheckValue(key));
    } finally {
      Arrays.fill(key, (byte) 0);
      shares.forEach(b -> Arrays.fill(b, (byte) 0));
    }
    reply("master key generated into " + n + " shares, threshold " + k);
    return 0;
  }

  private long importMasterKey(Call c, Session s) throws IOException {
    if (c.num(0) != 3) {
      reply("the master key goes to slot 3, not " + c.num(0));
      return 0xC700000AL;
    }
    List<String[]> files = parseKeyspec(c.str(0));
    if (files == null) {
      reply("invalid keyspec");
      return 0xC7000001L;
    }
    List<StandInFiles.Share> shares = new ArrayList<>();
    for (String[] f : files) {
      Path p = Path.of(f[0]);
      if (!Files.isReadable(p)) {
        reply("cannot open share file " + p);
        return 0xB9061003L;
      }
      try {
        shares.add(StandInFiles.readShare(p, f[1]));
      } catch (StandInFiles.FormatException e) {
        reply(e.getMessage());
        return 0xB9061005L;
      } catch (StandInFiles.WrongPassphraseException e) {
        reply("cannot decrypt key file " + p);
        return 0xB906100EL;
      }
    }
    StandInFiles.Share first = shares.get(0);
    if (shares.stream().anyMatch(x -> !x.setId().equals(first.setId()))
        || shares.size() < first.k()) {
      reply("need " + first.k() + " shares of one master key, got " + shares.size());
      return 0xC7000001L;
    }
    List<byte[]> raw = new ArrayList<>();
    shares.forEach(x -> raw.add(x.share()));
    byte[] key = Shamir.combine(raw);
    try {
      nativeCheckValues.put(kcvKey(key), nativeCheckValue(key));
      HsmUnitAccess.Outcome o = units.loadMasterKey(s.guid(), s.unitId(), first.name(), key);
      switch (o) {
        case DONE:
        case UNCHANGED:
          reply("master key " + first.name() + " imported into slot 3");
          return 0;
        case CONFLICT:
          reply("crypto unit " + s.unitId() + " holds another master key");
          return 0xB1B39FC4L;
        default:
          return refusal(o, s.unitId());
      }
    } finally {
      Arrays.fill(key, (byte) 0);
      raw.forEach(b -> Arrays.fill(b, (byte) 0));
    }
  }

  private long refusal(HsmUnitAccess.Outcome o, String unitId) {
    switch (o) {
      case NOT_CLAIMED:
        reply("crypto unit " + unitId + " must be claimed first");
        return 0xB1B39FC5L;
      case UNAVAILABLE:
        reply("crypto unit " + unitId + " is not available");
        return 0xB1B3C350L;
      default:
        reply("crypto unit " + unitId + " not found");
        return 0xB1B39DD1L;
    }
  }

  private boolean headersRefused(String headers) {
    if (headers == null) {
      return false;
    }
    for (String pair : headers.split("%")) {
      if (pair.startsWith("Authorization=") && !tokenCheck.test(pair.substring(14))) {
        reply("the headers' IAM token is not valid");
        return true;
      }
    }
    return false;
  }

  private String usersTable(UnitSnapshot unit) {
    StringBuilder sb = new StringBuilder("Found " + unit.users().size() + " users\n"
        + "Name                                      Permission  Mechanism  Attributes\n");
    for (CryptoUser u : unit.users()) {
      if (u.type() == UserType.ADMIN) {
        sb.append(ADMIN_ROW).append('\n');
        continue;
      }
      StringBuilder attrs = new StringBuilder("I[0]");
      if (!u.attributes().isEmpty()) {
        List<String> kv = new ArrayList<>();
        u.attributes().forEach((key, v) -> kv.add(key + "=" + v));
        Collections.sort(kv);
        attrs.append("A[").append(String.join(";", kv)).append(']');
      }
      sb.append(u.name()).append(" 00000002 RSA sign ").append(attrs).append('\n');
    }
    return sb.toString();
  }

  private String masterKeyTable(UnitSnapshot unit) {
    StringBuilder sb = new StringBuilder("slot name     len algo type k date       time     kcv\n");
    MasterKeyInfo mk = unit.masterKey();
    if (mk != null) {
      String kcv = nativeCheckValues.get(mk.checkValue().text());
      if (kcv == null) {
        kcv = derivedCheckValue(mk.checkValue().text());
      }
      String[] dateTime = LocalDateTime.ofInstant(units.cloud().clock().instant(), ZoneOffset.UTC)
          .format(DATE).split(" ");
      sb.append(String.format(Locale.ROOT, "%-4d %-8s %3d %-4s %-4s %d %s %s %s%n", 3, mk.name(),
          32, "AES", "MBK", 2, dateTime[0], dateTime[1], kcv));
    }
    return sb.toString();
  }

  /** For a key loaded without this model (arranged in the cloud): a value derived from its KCV. */
  private static String derivedCheckValue(String kcvHex) {
    String h = sha256Hex("stand-in kcv " + kcvHex);
    return h.substring(0, 16) + ":" + h.substring(16, 32);
  }

  private static String kcvKey(byte[] key) {
    return io.kpdedicated.crypto.KeyCheckValue.of(key).hex();
  }

  /** Splits {@code path#pass,path#pass}; null when malformed. */
  private static List<String[]> parseKeyspec(String keyspec) {
    if (keyspec == null || keyspec.isEmpty()) {
      return null;
    }
    List<String[]> out = new ArrayList<>();
    for (String part : keyspec.split(",", -1)) {
      int hash = part.indexOf('#');
      if (hash <= 0 || hash == part.length() - 1 || part.indexOf('#', hash + 1) >= 0) {
        return null;
      }
      out.add(new String[] {part.substring(0, hash), part.substring(hash + 1)});
    }
    return out;
  }

  private static RSAPublicKey credentialKey(String content) {
    String mod = null;
    String pexp = null;
    for (String line : content.split("\n")) {
      if (line.startsWith("MOD=")) {
        mod = line.substring(4).strip();
      } else if (line.startsWith("PEXP=")) {
        pexp = line.substring(5).strip();
      }
    }
    if (mod == null || pexp == null) {
      return null;
    }
    try {
      return (RSAPublicKey) java.security.KeyFactory.getInstance("RSA").generatePublic(
          new java.security.spec.RSAPublicKeySpec(new BigInteger(mod, 16),
              new BigInteger(pexp, 16)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean sameKey(RSAPublicKey a, RSAPublicKey b) {
    return a != null && b != null && a.getModulus().equals(b.getModulus())
        && a.getPublicExponent().equals(b.getPublicExponent());
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private void reply(String text) {
    control.StandInReply(text == null ? null : withNul(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] withNul(byte[] b) {
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
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
