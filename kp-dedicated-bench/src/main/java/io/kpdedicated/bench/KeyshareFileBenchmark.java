package io.kpdedicated.bench;

import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareSetInfo;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.Passphrase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one keyshare file with the default KDF parameters: writing (KDF, AES-GCM, atomic
 * write with fsync) and opening (KDF, authentication). Each invocation handles a 2-of-2 set, so
 * {@link OperationsPerInvocation} reports the time per file; opening includes rebuilding the key
 * from the two shares and checking its check value, which is negligible next to the KDF.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class KeyshareFileBenchmark {
  /** The KDF at its default (OWASP) cost. */
  @Param({"argon2id", "scrypt"})
  public String kdf;

  private Path dir;
  private MasterKey key;
  private Passphrase first;
  private Passphrase second;
  private List<KeyshareLocation> writeTargets;
  private List<KeyshareLocation> readTargets;
  private KeyshareWriteOptions options;

  /** Writes one set to open and prepares the targets to write. */
  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("kpd-bench");
    key = MasterKey.generate("bench", new SecureRandom());
    first = Passphrase.of("first-benchmark-passphrase");
    second = Passphrase.of("second-benchmark-passphrase");
    KdfParameters parameters =
        "scrypt".equals(kdf) ? KdfParameters.owaspScrypt() : KdfParameters.owaspArgon2id();
    options = KeyshareWriteOptions.builder().kdf(parameters).overwrite(true).build();
    writeTargets =
        List.of(
            new KeyshareLocation(dir.resolve("w1.json"), first),
            new KeyshareLocation(dir.resolve("w2.json"), second));
    readTargets =
        List.of(
            new KeyshareLocation(dir.resolve("r1.json"), first),
            new KeyshareLocation(dir.resolve("r2.json"), second));
    Keyshares.write(key, 2, readTargets, options);
  }

  /** Removes the files and wipes the secrets. */
  @TearDown
  public void tearDown() throws IOException {
    key.close();
    first.close();
    second.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** Writes one keyshare file (time per file). */
  @Benchmark
  @OperationsPerInvocation(2)
  public KeyshareSetInfo writeFile() {
    return Keyshares.write(key, 2, writeTargets, options);
  }

  /** Opens one keyshare file with its passphrase (time per file). */
  @Benchmark
  @OperationsPerInvocation(2)
  public KeyshareSetInfo openFile() {
    return Keyshares.verify(readTargets);
  }
}
