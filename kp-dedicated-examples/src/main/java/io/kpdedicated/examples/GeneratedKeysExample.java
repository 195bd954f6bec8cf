package io.kpdedicated.examples;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Embedding example 1: initialize an instance with a newly generated administrator key and a new
 * master key split into 3 keyshares (any 2 rebuild it).
 *
 * <p>Run (from the repository root, after {@code mvn package}):
 * {@code java -cp kp-dedicated-examples/target/examples.jar io.kpdedicated.examples.GeneratedKeysExample [FOLDER]}.
 * Without {@code IBMCLOUD_API_KEY} it runs against an in-memory cloud. The passphrases come from
 * the caller; here from environment variables, as a stand-in for your secret store (on IBM Cloud
 * they are required, see {@link #main(String[])}).
 */
public final class GeneratedKeysExample {
  private GeneratedKeysExample() {}

  /** The environment variables holding the passphrases, admin first. */
  static final List<String> PASSPHRASE_VARIABLES = List.of("EXAMPLE_ADMIN_PASSPHRASE",
      "EXAMPLE_SHARE1_PASSPHRASE", "EXAMPLE_SHARE2_PASSPHRASE", "EXAMPLE_SHARE3_PASSPHRASE");
  private static final List<String> DEMO_PASSPHRASES = List.of("admin passphrase 1",
      "share one passphrase", "share two passphrase", "share three passphrase");

  /**
   * Runs the example. On the in-memory cloud without a folder argument the key files go to a
   * temporary folder deleted at the end. On IBM Cloud it needs the folder and every
   * {@link #PASSPHRASE_VARIABLES passphrase variable}: the fallback passphrases written here must
   * never protect a real master key; without them it exits with code 2.
   *
   * @param args optional: the folder for the key files (default: a temporary folder)
   * @throws IOException if the folder cannot be created
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    Optional<String> refusal = refusal(env, args);
    if (refusal.isPresent()) {
      System.err.println("error: " + refusal.get());
      System.exit(2);
    }
    ExampleCloud cloud = ExampleCloud.fromEnvironment(env);
    try (ExampleFolder temporary = args.length > 0 ? null : ExampleFolder.create()) {
      Path dir = temporary == null ? Path.of(args[0]) : temporary.path();
      System.out.println("Running against " + cloud.description() + "; files in " + dir
          + (temporary == null ? "" : " (deleted at the end; give a FOLDER to keep them)"));
      // Passphrases belong in a secret store; the environment stands in for one here.
      List<Passphrase> passphrases = new ArrayList<>();
      try {
        for (int i = 0; i < PASSPHRASE_VARIABLES.size(); i++) {
          String value = env.get(PASSPHRASE_VARIABLES.get(i));
          passphrases.add(Passphrase.of(value == null || value.isBlank()
              ? DEMO_PASSPHRASES.get(i) : value));
        }
        InitializationResult result = initialize(cloud, dir, passphrases.get(0),
            passphrases.subList(1, passphrases.size()));
        for (UnitOutcome u : result.units()) {
          System.out.println(u.unitId() + "  " + u.finalState().wireValue() + "  "
              + u.checkValueIfKnown().map(Object::toString).orElse("-"));
        }
      } finally {
        passphrases.forEach(Passphrase::close);
      }
    }
  }

  /**
   * Says why {@link #main(String[])} must not run: on IBM Cloud without a folder or without every
   * passphrase variable.
   *
   * @param env the environment
   * @param args the program arguments
   * @return the reason, or empty when the example may run
   */
  static Optional<String> refusal(Map<String, String> env, String[] args) {
    boolean passphrasesGiven = PASSPHRASE_VARIABLES.stream()
        .noneMatch(v -> env.getOrDefault(v, "").isBlank());
    if (!ExampleCloud.targetsIbmCloud(env) || (args.length > 0 && passphrasesGiven)) {
      return Optional.empty();
    }
    return Optional.of("on IBM Cloud this example needs a FOLDER argument to keep the key files in"
        + " and the passphrases in " + String.join(", ", PASSPHRASE_VARIABLES)
        + " (its built-in passphrases are for the in-memory cloud only)");
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
}
