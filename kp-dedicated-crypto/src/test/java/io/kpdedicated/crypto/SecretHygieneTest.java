package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.crypto.internal.Hex;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the bad-input paths with known secrets while capturing standard output, standard error and
 * every log record, then scans all of it, every exception (message, causes, stack trace) and every
 * {@code toString()} for the passphrases and the key bytes (hex and base64).
 */
class SecretHygieneTest {
  private static final String[] PASSPHRASES = {
    "Pa55-share-one!", "Pa55-share-two!", "Pa55-share-three!", "Wr0ng-guess-xyz", "Admin-Pa55phrase"
  };

  @TempDir Path dir;

  private final List<String> texts = new ArrayList<>();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;
  private Handler logHandler;
  private Level savedLevel;
  private final StringBuilder logs = new StringBuilder();

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(sink);
    System.setErr(sink);
    Logger root = Logger.getLogger("");
    savedLevel = root.getLevel();
    root.setLevel(Level.ALL);
    Logger.getLogger("io.kpdedicated").setLevel(Level.ALL);
    logHandler =
        new Handler() {
          private final SimpleFormatter formatter = new SimpleFormatter();

          @Override
          public void publish(LogRecord record) {
            logs.append(formatter.format(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logHandler.setLevel(Level.ALL);
    root.addHandler(logHandler);
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
    Logger root = Logger.getLogger("");
    root.removeHandler(logHandler);
    root.setLevel(savedLevel);
    Logger.getLogger("io.kpdedicated").setLevel(null);
  }

  private void expectFailure(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      record(e);
      return;
    }
    throw new AssertionError("expected a failure");
  }

  private void record(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    texts.add(trace.toString());
    for (Throwable t = e; t != null; t = t.getCause()) {
      texts.add(String.valueOf(t.getMessage()));
      texts.add(t.toString());
      if (t instanceof KeyFileException k) {
        texts.add(String.valueOf(k.remediation().orElse("")));
      }
    }
  }

  @Test
  void noPassphraseOrKeyByteEverAppearsInMessagesToStringsOutputOrLogs() throws Exception {
    List<String> secrets = new ArrayList<>(List.of(PASSPHRASES));
    List<Passphrase> ps = new ArrayList<>();
    for (String p : PASSPHRASES) {
      ps.add(Passphrase.of(p));
    }
    MasterKey key = MasterKey.generate("mk", new SecureRandom());
    byte[] keyBytes = key.copyKeyBytes();
    secrets.add(Hex.upper(keyBytes));
    secrets.add(Hex.lower(keyBytes));
    secrets.add(Hex.upper(keyBytes).substring(0, 16));
    secrets.add(Hex.lower(keyBytes).substring(0, 16));
    secrets.add(Base64.getEncoder().encodeToString(keyBytes));
    secrets.add(Base64.getEncoder().encodeToString(keyBytes).substring(0, 16));
    secrets.add("Pa55!");

    List<KeyshareLocation> set = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      set.add(new KeyshareLocation(dir.resolve("share-" + (i + 1) + ".json"), ps.get(i)));
    }
    KeyshareWriteOptions options = TestSupport.cheapOptions(5);
    KeyshareSetInfo info = Keyshares.write(key, 2, set, options);
    texts.add(info.toString());
    texts.add(options.toString());
    texts.add(key.toString());
    set.forEach(l -> texts.add(l.toString()));
    ps.forEach(p -> texts.add(p.toString()));
    texts.add(Keyshares.readHeader(set.get(0).path()).toString());
    texts.add(Keyshares.readHeader(set.get(0).path()).describe());
    // The files hold no secret in clear either.
    for (KeyshareLocation l : set) {
      texts.add(Files.readString(l.path()));
    }

    // Wrong passphrase.
    KeyshareLocation wrong = new KeyshareLocation(set.get(1).path(), ps.get(3));
    expectFailure(() -> Keyshares.rebuild(List.of(set.get(0), wrong)));
    // Too few, duplicate.
    expectFailure(() -> Keyshares.verify(List.of(set.get(0))));
    expectFailure(() -> Keyshares.verify(List.of(set.get(0), set.get(0))));
    // Already exists.
    expectFailure(() -> Keyshares.write(key, 2, set, options));
    // Write failure.
    List<KeyshareLocation> unwritable =
        List.of(set.get(0), new KeyshareLocation(dir.resolve("none").resolve("x.json"), ps.get(1)));
    expectFailure(
        () -> Keyshares.write(key, 2, unwritable, options.toBuilder().overwrite(true).build()));
    // Edited, truncated, unknown version, not JSON.
    Path edited = dir.resolve("edited.json");
    Files.writeString(
        edited, Files.readString(set.get(2).path()).replace("\"keyName\" : \"mk\"", "\"keyName\" : \"mx\""));
    expectFailure(
        () -> Keyshares.rebuild(List.of(set.get(0), new KeyshareLocation(edited, ps.get(2)))));
    Path truncated = dir.resolve("truncated.json");
    byte[] content = Files.readAllBytes(set.get(2).path());
    Files.write(truncated, java.util.Arrays.copyOf(content, content.length - 40));
    expectFailure(() -> Keyshares.readHeader(truncated));
    Path version = dir.resolve("version.json");
    Files.writeString(version, Files.readString(set.get(2).path()).replace("\"version\" : 1", "\"version\" : 9"));
    expectFailure(() -> Keyshares.readHeader(version));
    Path notJson = dir.resolve("not.json");
    Files.writeString(notJson, "Pa55-share-one! is not json");
    expectFailure(() -> Keyshares.readHeader(notJson));
    // Foreign set.
    try (MasterKey other = MasterKey.generate("other", new SecureRandom())) {
      List<KeyshareLocation> otherSet =
          List.of(
              new KeyshareLocation(dir.resolve("o1.json"), ps.get(0)),
              new KeyshareLocation(dir.resolve("o2.json"), ps.get(1)));
      Keyshares.write(other, 2, otherSet, options);
      expectFailure(() -> Keyshares.rebuild(List.of(set.get(0), otherSet.get(1))));
    }
    // Bad arguments.
    expectFailure(() -> Passphrase.of("Pa55!"));
    expectFailure(() -> MasterKey.of("mk", java.util.Arrays.copyOf(keyBytes, 31)));
    expectFailure(() -> KeyCheckValue.of(java.util.Arrays.copyOf(keyBytes, 20)));
    Passphrase destroyed = Passphrase.of(PASSPHRASES[0]);
    destroyed.destroy();
    expectFailure(destroyed::copyChars);
    // Admin identity with a wrong passphrase, PEM with a wrong passphrase, OAEP that does not open.
    try (AdminIdentity admin = AdminIdentity.generate("hygiene", 2048, new SecureRandom())) {
      Path p12 = dir.resolve("admin.p12");
      admin.save(p12, ps.get(4), false, AdminIdentity.MIN_PBKDF2_ITERATIONS);
      expectFailure(() -> AdminIdentity.load(p12, ps.get(3)));
      expectFailure(() -> AdminIdentity.load(p12, null));
      expectFailure(() -> admin.save(p12, ps.get(4), false, AdminIdentity.MIN_PBKDF2_ITERATIONS));
      texts.add(admin.toString());
      byte[] wrapped = RsaKeys.wrapOaep(admin.publicKey(), keyBytes);
      wrapped[5] ^= 1;
      java.security.PrivateKey privateKey =
          Pkcs12Codec.decode(p12, Files.readAllBytes(p12), PASSPHRASES[4].toCharArray())
              .privateKey();
      assertThat(RsaKeys.unwrapOaep(privateKey, RsaKeys.wrapOaep(admin.publicKey(), keyBytes)))
          .isEqualTo(keyBytes);
      expectFailure(() -> RsaKeys.unwrapOaep(privateKey, wrapped));
      AdminIdentity loaded = AdminIdentity.load(p12, ps.get(4));
      texts.add(loaded.toString());
      loaded.close();
      expectFailure(() -> loaded.sign(keyBytes));
    }
    key.close();
    expectFailure(key::copyKeyBytes);
    texts.add(key.toString());

    System.out.flush();
    System.err.flush();
    texts.add(captured.toString(StandardCharsets.UTF_8));
    texts.add(logs.toString());

    assertThat(texts).isNotEmpty();
    assertThat(logs.toString()).contains("wrote keyshare set"); // logging was really captured
    for (String text : texts) {
      for (String secret : secrets) {
        assertThat(text.toLowerCase(Locale.ROOT))
            .as("a message, toString, output or log line")
            .doesNotContain(secret.toLowerCase(Locale.ROOT));
      }
    }
    ps.forEach(Passphrase::destroy);
  }
}
