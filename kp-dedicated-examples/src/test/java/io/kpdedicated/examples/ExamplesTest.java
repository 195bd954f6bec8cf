package io.kpdedicated.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How to test code that embeds the initializer: run it against the in-memory cloud of
 * kp-dedicated-testkit, with a manual clock whose sleeper returns at once, and assert on the
 * cloud's snapshot.
 */
class ExamplesTest {
  @TempDir Path dir;

  private final ManualClock clock = ManualClock.at(Instant.parse("2025-01-01T00:00:00Z"));

  private InMemoryDedicatedCloud cloud() {
    return InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .provisioningPolls(0).seed(11).build();
  }

  @Test
  void generatedKeysExampleLeavesEveryUnitKmsInitializedWithTheKeysharesKey() throws Exception {
    InMemoryDedicatedCloud cloud = cloud();
    InitializationResult result;
    try (Passphrase admin = Passphrase.of("admin passphrase");
        Passphrase s1 = Passphrase.of("share one passphrase");
        Passphrase s2 = Passphrase.of("share two passphrase");
        Passphrase s3 = Passphrase.of("share three passphrase")) {
      result = GeneratedKeysExample.initialize(ExampleCloud.inMemory(cloud), dir, admin,
          List.of(s1, s2, s3));

      assertThat(result.units()).extracting(UnitOutcome::finalState)
          .containsOnly(UnitState.KMS_INITIALIZED);
      assertThat(cloud.snapshot().onlyInstance().states()).containsOnly(UnitState.KMS_INITIALIZED);
      assertThat(Keyshares.verify(List.of(new KeyshareLocation(dir.resolve("share-1.json"), s1),
          new KeyshareLocation(dir.resolve("share-3.json"), s3))).checkValue().hex())
          .isEqualTo(result.checkValue().orElseThrow().text());
    }
  }

  @Test
  void anAdministratorFromAJcaKeyStoreSignsEveryHsmCommand() throws Exception {
    Path p12 = dir.resolve("admin.p12");
    try (Passphrase pass = Passphrase.of("admin passphrase");
        AdminIdentity created = AdminIdentity.generate("admin", 2048, new SecureRandom())) {
      created.save(p12, pass, false, 10_000);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    char[] password = "admin passphrase".toCharArray();
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, password);
    }
    InMemoryDedicatedCloud cloud = cloud();

    try (AdminIdentity admin = BringYourOwnAdminExample.fromJcaKeyStore(store,
            store.aliases().nextElement(), password);
        Passphrase s1 = Passphrase.of("share one passphrase");
        Passphrase s2 = Passphrase.of("share two passphrase")) {
      BringYourOwnAdminExample.CountingSigner signer =
          new BringYourOwnAdminExample.CountingSigner(admin);
      InitializationResult result = BringYourOwnAdminExample.initialize(
          ExampleCloud.inMemory(cloud), signer, List.of(
              new KeyshareLocation(dir.resolve("share-1.json"), s1),
              new KeyshareLocation(dir.resolve("share-2.json"), s2)));

      assertThat(result.succeeded()).isTrue();
      assertThat(signer.count()).isPositive();
      assertThat(cloud.snapshot().onlyInstance().units())
          .allSatisfy(u -> assertThat(u.admin()).isEqualTo(admin.publicKey()));
    }
  }

  @Test
  void retryExampleRidesOutInjectedFaultsWithoutSleepingForReal() throws Exception {
    InMemoryDedicatedCloud faulty = RetryAndProgressExample.faultyCloud();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    InitializationResult result = RetryAndProgressExample.initialize(
        ExampleCloud.inMemory(faulty), dir, clock.sleeper(),
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(result.succeeded()).isTrue();
    assertThat(faulty.snapshot().onlyInstance().states()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(clock.sleeps()).isNotEmpty();
    String progress = printed.toString(StandardCharsets.UTF_8);
    assertThat(progress).contains("retry 1 of claim").contains("[100%]");
    assertThat(progress).doesNotContain("share one passphrase").doesNotContain("admin passphrase");
  }

  @Test
  void generatedKeysExampleRefusesIbmCloudWithoutAFolderAndItsOwnPassphrases() {
    Map<String, String> all = new HashMap<>(Map.of("IBMCLOUD_API_KEY", "key"));
    GeneratedKeysExample.PASSPHRASE_VARIABLES.forEach(v -> all.put(v, "a passphrase"));
    Map<String, String> oneMissing = new HashMap<>(all);
    oneMissing.remove("EXAMPLE_SHARE2_PASSPHRASE");

    assertThat(GeneratedKeysExample.refusal(all, new String[] {"keys"})).isEmpty();
    assertThat(GeneratedKeysExample.refusal(all, new String[0])).get().asString()
        .contains("FOLDER");
    assertThat(GeneratedKeysExample.refusal(oneMissing, new String[] {"keys"})).get().asString()
        .contains("EXAMPLE_SHARE2_PASSPHRASE");
    assertThat(GeneratedKeysExample.refusal(Map.of(), new String[0])).isEmpty();
  }

  @Test
  void anExampleFolderIsDeletedWithTheKeyFilesInIt() throws Exception {
    Path folder;
    try (ExampleFolder example = ExampleFolder.create()) {
      folder = example.path();
      Files.createDirectory(folder.resolve("sub"));
      Files.writeString(folder.resolve("sub/share-1.json"), "{}");
      Files.writeString(folder.resolve("admin.p12"), "key");
    }

    assertThat(folder).doesNotExist();
  }
}
