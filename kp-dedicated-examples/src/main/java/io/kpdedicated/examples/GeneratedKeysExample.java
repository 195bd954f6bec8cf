package io.kpdedicated.examples;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Embedding example 1: initialize an instance with a newly generated administrator key and a new
 * master key split into 3 keyshares (any 2 rebuild it).
 *
 * <p>Run: {@code java -cp kpd.jar io.kpdedicated.examples.GeneratedKeysExample [FOLDER]}. Without
 * {@code IBMCLOUD_API_KEY} it runs against an in-memory cloud. The passphrases come from the caller;
 * here from environment variables, as a stand-in for your secret store.
 */
public final class GeneratedKeysExample {
  private GeneratedKeysExample() {}

  /**
   * Runs the example.
   *
   * @param args optional: the folder for the key files (default: a new temporary folder)
   * @throws IOException if the folder cannot be created
   */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("kpd-example-");
    ExampleCloud cloud = ExampleCloud.fromEnvironment(System.getenv());
    System.out.println("Running against " + cloud.description() + "; files in " + dir);
    // Passphrases belong in a secret store; the environment stands in for one here.
    try (Passphrase admin = passphrase("EXAMPLE_ADMIN_PASSPHRASE", "admin passphrase 1");
        Passphrase s1 = passphrase("EXAMPLE_SHARE1_PASSPHRASE", "share one passphrase");
        Passphrase s2 = passphrase("EXAMPLE_SHARE2_PASSPHRASE", "share two passphrase");
        Passphrase s3 = passphrase("EXAMPLE_SHARE3_PASSPHRASE", "share three passphrase")) {
      InitializationResult result = initialize(cloud, dir, admin, List.of(s1, s2, s3));
      for (UnitOutcome u : result.units()) {
        System.out.println(u.unitId() + "  " + u.finalState().wireValue() + "  "
            + u.checkValueIfKnown().map(Object::toString).orElse("-"));
      }
    }
  }

  /**
   * Initializes every crypto unit: admin key {@code dir/admin.p12}, keyshares
   * {@code dir/share-1.json} to {@code -N.json}, 2 of them needed.
   *
   * @param cloud where to run
   * @param dir the folder for the new files
   * @param adminPassphrase protects the admin key file
   * @param sharePassphrases one per keyshare file (at least 2)
   * @return every unit's outcome
   * @throws io.kpdedicated.core.PartialFailureException if some units failed; run again to finish
   */
  public static InitializationResult initialize(ExampleCloud cloud, Path dir,
      Passphrase adminPassphrase, List<Passphrase> sharePassphrases) {
    List<KeyshareLocation> shares = new ArrayList<>();
    for (int i = 0; i < sharePassphrases.size(); i++) {
      shares.add(new KeyshareLocation(dir.resolve("share-" + (i + 1) + ".json"),
          sharePassphrases.get(i)));
    }
    DedicatedInitializer initializer = DedicatedInitializer.builder()
        .transport(cloud.transport())
        .instance(cloud.instance())
        .adminIdentity(AdminIdentitySource.generate(dir.resolve("admin.p12"), adminPassphrase,
            "admin"))
        .masterKey(MasterKeySource.generate("mk1", 2, shares))
        .build();
    return initializer.run();
  }

  private static Passphrase passphrase(String variable, String fallback) {
    String value = System.getenv(variable);
    return Passphrase.of(value == null || value.isBlank() ? fallback : value);
  }
}
