package io.kpdedicated.nativehsm;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The HSM behind the C stand-in library, modelled in Java: sessions, units with users and a master
 * key, share files and admin key files written like the real library (world-readable, so the SDK
 * must restrict them), plus fault injection (any status and message for the next N calls of an
 * export, any raw answer text, a hook run inside a call). Records every call with its exact
 * arguments. One instance is registered at a time.
 */
public final class StandInHsm implements StandInLibrary.Handler {
  /** Status the handler returns when the model itself failed (a test bug), recorded in errors. */
  static final long MODEL_ERROR = 0xC7000006L;

  /** One call as the library received it. */
  public record Call(String fn, long handle, List<String> strings, List<Long> numbers,
      String credentialFileContent) {
    String str(int i) {
      return strings.get(i);
    }

    long num(int i) {
      return numbers.get(i);
    }
  }

  /** A unit's model. */
  public static final class Unit {
    final String id;
    final Map<String, String> users = new LinkedHashMap<>();
    String masterKeyName;
    String checkValue;

    Unit(String id) {
      this.id = id;
      users.put("ADMIN", "ADMIN 22000000 RSA sign Z[0]");
    }
  }

  private record Fault(long status, String message) {}

  private final StandInLibrary control;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final Map<Long, String> sessions = new ConcurrentHashMap<>();
  private final Map<String, Unit> units = new ConcurrentHashMap<>();
  private final Map<String, Deque<Fault>> faults = new HashMap<>();
  private final Map<String, byte[]> rawAnswers = new HashMap<>();
  private final AtomicLong nextHandle = new AtomicLong(0x1000);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Consumer<Call> hook = c -> { };
  private volatile boolean recordCalls = true;
  private volatile String masterKeyCheckValue = "fdca29d11b2fff3b:caaf20ff34786279";

  private StandInHsm(StandInLibrary control) {
    this.control = control;
  }

  /** Registers a fresh model with the stand-in library and zeroes its counters. */
  public static StandInHsm register(StandInLibrary control) {
    StandInHsm hsm = new StandInHsm(control);
    control.StandInReset();
    control.StandInRegister(hsm);
    return hsm;
  }

  /** Adds a unit. */
  public Unit addUnit(String id) {
    Unit u = new Unit(id);
    units.put(id, u);
    return u;
  }

  /** Returns a unit. */
  public Unit unit(String id) {
    return units.get(id);
  }

  /** Makes the next {@code times} calls of {@code fn} fail with a status and message. */
  public synchronized void fail(String fn, int times, long status, String message) {
    Deque<Fault> q = faults.computeIfAbsent(fn, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(new Fault(status, message));
    }
  }

  /** Makes every later successful call of {@code fn} answer exactly these bytes. */
  public synchronized void answerRaw(String fn, byte[] text) {
    rawAnswers.put(fn, text);
  }

  /** Makes every later successful call of {@code fn} answer this text. */
  public void answer(String fn, String text) {
    answerRaw(fn, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs {@code hook} inside every call, before the model answers. */
  public void hook(Consumer<Call> hook) {
    this.hook = hook;
  }

  /** Turns the call record on or off (off for benchmarks: the record grows with every call). */
  public void recordCalls(boolean on) {
    this.recordCalls = on;
  }

  /** Sets the check value a generated or imported master key reports. */
  public void masterKeyCheckValue(String kcv) {
    this.masterKeyCheckValue = kcv;
  }

  /** Returns every call so far. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Returns the calls of one export. */
  public List<Call> calls(String fn) {
    List<Call> out = new ArrayList<>();
    for (Call c : calls) {
      if (c.fn().equals(fn)) {
        out.add(c);
      }
    }
    return out;
  }

  /** Returns the only call of one export. */
  public Call onlyCall(String fn) {
    List<Call> c = calls(fn);
    if (c.size() != 1) {
      throw new AssertionError("expected one call of " + fn + ", got " + c.size());
    }
    return c.get(0);
  }

  /** Returns errors the model itself raised (must be empty). */
  public List<Throwable> errors() {
    return Collections.unmodifiableList(errors);
  }

  /** Returns the most calls that were inside the library at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Returns open session handles. */
  public Map<Long, String> sessions() {
    return Map.copyOf(sessions);
  }

  /** Result strings the stand-in allocated and nobody freed. */
  public long leaks() {
    return control.StandInAllocations() - control.StandInFrees();
  }

  @Override
  public long invoke(String fn, long handle, Pointer strs, int nstrs, Pointer nums, int nnums) {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
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
      String credentialContent = null;
      if (fn.equals("AddUserC") && strings.get(2) != null && strings.get(2).endsWith("#")) {
        Path f = Path.of(strings.get(2).substring(0, strings.get(2).length() - 1));
        credentialContent = Files.exists(f) ? Files.readString(f) : "<missing>";
      }
      Call call = new Call(fn, handle, Collections.unmodifiableList(strings), List.copyOf(numbers),
          credentialContent);
      if (recordCalls) {
        calls.add(call);
      }
      hook.accept(call);
      Fault fault;
      byte[] raw;
      synchronized (this) {
        Deque<Fault> q = faults.get(fn);
        fault = q == null ? null : q.poll();
        raw = rawAnswers.get(fn);
      }
      if (fault != null) {
        control.StandInReply(cstr(fault.message()));
        return fn.equals("CreateSessionC") ? 0 : fault.status();
      }
      long status = model(call);
      if (status == 0 && raw != null) {
        control.StandInReply(withNul(raw));
      }
      return status;
    } catch (Throwable t) {
      errors.add(t);
      return MODEL_ERROR;
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static final int POINTER_SIZE = 8;

  private long model(Call c) throws IOException {
    switch (c.fn()) {
      case "CreateSessionC": {
        String unitId = c.str(2);
        if (!units.containsKey(unitId)) {
          return 0;
        }
        long h = nextHandle.getAndIncrement();
        sessions.put(h, unitId);
        return h;
      }
      case "CloseSessionC":
        return sessions.remove(c.handle()) != null ? 0 : 1;
      case "SetTokenGetterC":
        return sessions.containsKey(c.handle()) ? 0 : 0xC7000600L;
      case "ListUsersC": {
        Unit u = session(c);
        StringBuilder sb = new StringBuilder("Found " + u.users.size() + " users\n"
            + "Name      Permission  Mechanism  Attributes\n");
        for (String row : u.users.values()) {
          sb.append(row).append('\n');
        }
        reply(sb.toString());
        return 0;
      }
      case "AddUserC": {
        Unit u = session(c);
        String name = c.str(0);
        if (u.users.containsKey(name)) {
          reply("user " + name + " already exists");
          return 0xC7000C01L;
        }
        u.users.put(name, name + " 00000002 RSA sign I[0]A[" + c.str(4) + "]");
        reply("user added");
        return 0;
      }
      case "GenerateMBKC": {
        Unit u = session(c);
        for (String spec : c.str(0).split(",")) {
          Path f = Path.of(spec.substring(0, spec.indexOf('#')));
          Files.writeString(f, "share of " + c.str(2).strip() + "\n");
          f.toFile().setReadable(true, false);
        }
        u.masterKeyName = c.str(2).strip();
        u.checkValue = masterKeyCheckValue;
        reply("master key generated");
        return 0;
      }
      case "ImportMBKC": {
        Unit u = session(c);
        u.masterKeyName = "KPMK";
        u.checkValue = masterKeyCheckValue;
        reply("master key imported");
        return 0;
      }
      case "ListMBKKeysC": {
        Unit u = session(c);
        StringBuilder sb = new StringBuilder("slot name     len algo type k date       time     kcv\n");
        if (u.checkValue != null) {
          sb.append(String.format(Locale.ROOT, "%-4d %-8s %3d %-4s %-4s %d %s %s %s%n", 3,
              u.masterKeyName, 32, "AES", "MBK", 2, "2024-05-01", "10:11:12", u.checkValue));
        }
        reply(sb.toString());
        return 0;
      }
      case "GetCryptoUnitIDC":
        reply(session(c).id);
        return 0;
      case "GenerateRSAKeyC": {
        Path f = Path.of(c.str(1));
        RSAPublicKey key = newKey((int) c.num(0));
        Files.writeString(f, "# admin key of " + c.str(2) + "\nMOD=" + key.getModulus().toString(16)
            + "\nPEXP=" + key.getPublicExponent().toString(16) + "\nPRIV=encrypted\n");
        f.toFile().setReadable(true, false);
        reply("key generated");
        return 0;
      }
      default:
        return 0;
    }
  }

  private Unit session(Call c) {
    String unitId = sessions.get(c.handle());
    if (unitId == null) {
      throw new IllegalStateException(c.fn() + " on unknown session handle " + c.handle());
    }
    return units.get(unitId);
  }

  private void reply(String text) {
    control.StandInReply(cstr(text));
  }

  private static byte[] cstr(String text) {
    return text == null ? null : withNul(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] withNul(byte[] b) {
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  private static final Map<Integer, RSAPublicKey> KEYS = new ConcurrentHashMap<>();

  static RSAPublicKey newKey(int bits) {
    return KEYS.computeIfAbsent(bits, b -> {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(b);
        return (RSAPublicKey) g.generateKeyPair().getPublic();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
