package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the settings and a plan's backend show of themselves. */
class InternalTextsTest {

  @Test
  void theSettingsShowTheInstanceAndConcurrencyButNoPassphrase() {
    InstanceSelector selector = InstanceSelector.createOrReuse(InstanceRequest.named("kpd-test"));
    MasterKeySource key = MasterKeySource.generate("mk1", 2, List.of(
        new KeyshareLocation(Path.of("a.share"), Passphrase.of("correct horse a")),
        new KeyshareLocation(Path.of("b.share"), Passphrase.of("correct horse b"))));
    AdminIdentitySource identity = AdminIdentitySource.generate(Path.of("admin.p12"),
        Passphrase.of("correct horse identity"), "admin");

    InitializerSettings settings = new InitializerSettings(new FakeCloud(), selector, identity,
        key, KdfCost.forTestsOnly(), Set.of("us-south"), RetryConfig.ofDefaults(),
        RetryRegistry.ofDefaults(), WaitPolicy.provisioningDefaults(),
        WaitPolicy.maintenanceDefaults(), 4, null, event -> { }, Clock.systemUTC(),
        duration -> { }, new SecureRandom(), false);

    assertThat(settings.toString())
        .isEqualTo("InitializerSettings[instance=" + selector + ", concurrency=4]")
        .doesNotContain("correct horse", "a.share", "admin.p12");
  }

  @Test
  void aPlansBackendDescribesItselfAsTheRealOne() {
    FakeCloud cloud = new FakeCloud();

    assertThat(new DryRun(cloud).hsm().description()).isEqualTo(cloud.hsm().description())
        .isEqualTo("portable: fake");
  }
}
