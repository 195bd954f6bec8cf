package io.kpdedicated.bench;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Measures a whole initialization against the in-memory cloud when every crypto-unit call takes
 * 50 ms (really slept), for 3 and 32 units, one unit at a time and with the initializer's default
 * concurrency. Shows how much the per-unit work overlaps.
 *
 * <p>The instance exists and is active before the timed run starts (provisioning is not measured);
 * keyshares use cheap KDF parameters, so the time is the crypto-unit work.
 *
 * <p>For each case it prints the median wall time of the measured runs, the number of sequential
 * phases (crypto-unit calls one unit goes through, counted by the cloud), the ratio of the wall
 * time to {@code phases x 50 ms} (1.0 would be every unit in parallel with no overhead; the number
 * of units would be one unit after the other), and that ratio's ideal for the concurrency used.
 *
 * <p>Run: {@code mvn -B -Pbench -pl kp-dedicated-bench -am package -DskipTests}, then
 * {@code java -Dio.kpdedicated.testKdfCost=true -cp kp-dedicated-bench/target/benchmarks.jar
 * io.kpdedicated.bench.InitializationBench} (the property allows the cheap keyshare KDF)
 * (argument: measured runs per case, default 3). Not thread-safe; a program, not a library class.
 */
public final class InitializationBench {
  private static final Duration LATENCY = Duration.ofMillis(50);
  private static final Set<Operation> UNIT_OPERATIONS = EnumSet.of(Operation.CLAIM,
      Operation.ZEROIZE, Operation.OPEN_SESSION, Operation.LIST_USERS, Operation.ADD_USER,
      Operation.LIST_MASTER_KEYS, Operation.IMPORT_MASTER_KEY);

  private final AdminIdentity admin;
  private final List<KeyPair> importKeys;
  private final KeyshareWriteOptions cheapKdf =
      KeyshareWriteOptions.builder().kdf(KdfParameters.argon2id(8, 1, 1)).build();

  private InitializationBench(AdminIdentity admin, List<KeyPair> importKeys) {
    this.admin = admin;
    this.importKeys = importKeys;
  }

  /**
   * Runs the benchmark and prints a table to standard output.
   *
   * @param args optional: the number of measured runs per case (default 3)
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    SecureRandom random = new SecureRandom();
    List<KeyPair> importKeys = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      importKeys.add(rsa(random));
    }
    try (AdminIdentity admin = AdminIdentity.generate("bench-admin", 2048, random)) {
      InitializationBench bench = new InitializationBench(admin, List.copyOf(importKeys));
      PrintStream out = System.out;
      out.printf(Locale.ROOT, "Initialization against the in-memory cloud, %d ms per crypto-unit"
          + " call, median of %d runs (after one warm-up run)%n", LATENCY.toMillis(), runs);
      out.printf(Locale.ROOT, "%-6s %-12s %10s %7s %16s %14s%n", "units", "concurrency",
          "wall (ms)", "phases", "wall/(phases*50)", "ideal ratio");
      for (int units : new int[] {3, 32}) {
        for (Integer concurrency : Arrays.asList(1, null)) {
          bench.measure(units, concurrency, runs, out);
        }
      }
    }
  }

  private void measure(int units, Integer concurrency, int runs, PrintStream out)
      throws IOException {
    run(units, concurrency);
    long[] wall = new long[runs];
    int phases = 0;
    for (int i = 0; i < runs; i++) {
      Result r = run(units, concurrency);
      wall[i] = r.wallNanos;
      phases = r.phases;
    }
    Arrays.sort(wall);
    double medianMs = wall[runs / 2] / 1e6;
    double ratio = medianMs / (phases * (double) LATENCY.toMillis());
    int effective = concurrency != null ? concurrency : Math.min(units, 8);
    int ideal = (units + effective - 1) / effective;
    out.printf(Locale.ROOT, "%-6d %-12s %10.0f %7d %16.2f %14d%n", units,
        concurrency != null ? concurrency.toString() : "default(" + effective + ")", medianMs,
        phases, ratio, ideal);
  }

  private record Result(long wallNanos, int phases) {}

  private Result run(int units, Integer concurrency) throws IOException {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
        .unitsPerInstance(units)
        .provisioningPolls(0)
        .importKeyPairs(importKeys)
        .sleeper(Sleeper.SYSTEM)
        .build();
    // The request asks for 3 units (all the service allows); the cloud gives the instance `units`.
    // The initializer refuses to reuse an instance whose count differs from its request, so the
    // benchmark names the existing instance instead of create-or-reuse.
    String guid = cloud.arrange()
        .activeInstance(InstanceRequest.named("bench").withCryptoUnits(3)).guid();
    for (int i = 0; i < units; i++) {
      cloud.faults().onAnyOperation().unitIndex(i).always().latency(LATENCY);
    }
    Path dir = Files.createTempDirectory("kpd-bench");
    try {
      List<KeyshareLocation> shares = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        shares.add(new KeyshareLocation(dir.resolve("share-" + i + ".json"),
            Passphrase.of("bench passphrase " + i)));
      }
      DedicatedInitializer.Builder builder = DedicatedInitializer.builder()
          .transport(InMemoryTransport.over(cloud))
          .instance(InstanceSelector.existing(guid))
          .adminIdentity(AdminIdentitySource.of(admin))
          .masterKey(MasterKeySource.generate("mk1", 2, shares))
          .keyshareWriteOptions(cheapKdf);
      if (concurrency != null) {
        builder.concurrency(concurrency);
      }
      DedicatedInitializer initializer = builder.build();
      long start = System.nanoTime();
      InitializationResult result = initializer.run();
      long wall = System.nanoTime() - start;
      if (!result.succeeded() || result.units().size() != units) {
        throw new IllegalStateException("the benchmark run did not initialize every unit: "
            + result);
      }
      String unit0 = cloud.snapshot().onlyInstance().unit(0).id();
      int phases = 0;
      for (Operation op : UNIT_OPERATIONS) {
        phases += cloud.stats().calls(op, unit0);
      }
      return new Result(wall, phases);
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static KeyPair rsa(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
