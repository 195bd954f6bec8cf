package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DedicatedInitializerBuilderTest {
  private static final FakeSigner SIGNER = new FakeSigner();

  private static final DedicatedTransport TRANSPORT = new DedicatedTransport() {
    @Override
    public ProvisioningApi provisioning() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CryptoUnitApi cryptoUnits() {
      throw new UnsupportedOperationException();
    }

    @Override
    public io.kpdedicated.core.spi.HsmBackend hsm() {
      throw new UnsupportedOperationException();
    }
  };

  private static KeyshareLocation share(String path) {
    return new KeyshareLocation(Path.of(path), Passphrase.of("correct horse " + path));
  }

  private static DedicatedInitializer.Builder complete() {
    return DedicatedInitializer.builder()
        .transport(TRANSPORT)
        .instance(InstanceSelector.createOrReuse(InstanceRequest.named("kpd-test")))
        .adminIdentity(AdminIdentitySource.of(SIGNER))
        .masterKey(MasterKeySource.generate("mk1", 2, List.of(share("a.share"), share("b.share"))));
  }

  @Test
  void buildsFromTheRequiredSettings() {
    assertThatCode(() -> complete().build()).doesNotThrowAnyException();
  }

  @Test
  void saysWhichRequiredSettingIsMissingAndHowToSetIt() {
    assertThatThrownBy(() -> DedicatedInitializer.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transport is not set").hasMessageContaining("transport(...)");
    assertThatThrownBy(() -> DedicatedInitializer.builder().transport(TRANSPORT).build())
        .hasMessageContaining("instance is not set")
        .hasMessageContaining("InstanceSelector.createOrReuse");
    assertThatThrownBy(() -> DedicatedInitializer.builder().transport(TRANSPORT)
        .instance(InstanceSelector.existing("crn:1")).build())
        .hasMessageContaining("adminIdentity is not set");
    assertThatThrownBy(() -> DedicatedInitializer.builder().transport(TRANSPORT)
        .instance(InstanceSelector.existing("crn:1"))
        .adminIdentity(AdminIdentitySource.of(SIGNER)).build())
        .hasMessageContaining("masterKey is not set")
        .hasMessageContaining("MasterKeySource.generate");
  }

  @Test
  void settersRejectNullAtOnce() {
    DedicatedInitializer.Builder b = DedicatedInitializer.builder();
    assertThatThrownBy(() -> b.transport(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("transport");
    assertThatThrownBy(() -> b.instance(null)).hasMessage("instance");
    assertThatThrownBy(() -> b.adminIdentity(null)).hasMessage("adminIdentity");
    assertThatThrownBy(() -> b.masterKey(null)).hasMessage("masterKey");
    assertThatThrownBy(() -> b.retryPolicy(null)).hasMessage("retryPolicy");
    assertThatThrownBy(() -> b.retryConfig(null)).hasMessage("retryConfig");
    assertThatThrownBy(() -> b.waitPolicy(null)).hasMessage("waitPolicy");
    assertThatThrownBy(() -> b.listener(null)).hasMessage("listener");
    assertThatThrownBy(() -> b.clock(null)).hasMessage("clock");
    assertThatThrownBy(() -> b.sleeper(null)).hasMessage("sleeper");
    assertThatThrownBy(() -> b.random(null)).hasMessage("random");
    assertThatThrownBy(() -> b.targetUnits(null)).hasMessage("targetUnits");
    assertThatThrownBy(() -> b.supportedRegions(null)).hasMessage("supportedRegions");
  }

  @Test
  void refusesARegionDedicatedDoesNotSupport() {
    InstanceRequest frankfurt = new InstanceRequest("kpd", "eu-de", null, 2);
    assertThatThrownBy(() -> complete().instance(InstanceSelector.createOrReuse(frankfurt)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("region 'eu-de' is not supported")
        .hasMessageContaining("us-south")
        .hasMessageContaining("supportedRegions(...)");
  }

  @Test
  void acceptsARegionAddedToTheSupportedList() {
    InstanceRequest frankfurt = new InstanceRequest("kpd", "eu-de", null, 3);
    assertThatCode(() -> complete().supportedRegions(Set.of("us-south", "EU-DE"))
        .instance(InstanceSelector.createOrReuse(frankfurt)).build()).doesNotThrowAnyException();
  }

  @Test
  void theLastOfRetryPolicyAndRetryConfigWinsAndTheRegistryIsReachable() {
    RetryRegistry registry = RetryRegistry.ofDefaults();
    DedicatedInitializer init = complete().retryPolicy(RetryPolicy.defaults())
        .retryConfig(RetryConfig.ofDefaults()).retryRegistry(registry).build();
    assertThat(init.retryRegistry()).isSameAs(registry);
  }

  @Test
  void refusesAnIdentityFileThatIsAlsoAKeyshareFile() {
    assertThatThrownBy(() -> complete()
        .adminIdentity(AdminIdentitySource.generate(Path.of("x/../a.share"), null, "admin"))
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("same file");
  }

  @Test
  void boundsConcurrencyAndRefusesEmptyTargets() {
    assertThatThrownBy(() -> complete().concurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency must be 1 to 64");
    assertThatThrownBy(() -> complete().targetUnits(Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leave it unset");
    assertThatThrownBy(() -> complete().targetUnits(Set.of(" ")))
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> complete().supportedRegions(Set.of()))
        .hasMessageContaining("at least one region");
  }

  @Test
  void neverShowsPassphrasesInTheInitializerOrItsSources() {
    MasterKeySource source = MasterKeySource.generate("mk1", 2,
        List.of(share("a.share"), share("b.share")));
    AdminIdentitySource identity = AdminIdentitySource.generate(Path.of("admin.p12"),
        Passphrase.of("correct horse identity"), "admin");

    assertThat(source.toString() + identity + complete().build())
        .doesNotContain("correct horse").contains("a.share");
  }

  @Test
  void theInitializerShowsItsInstanceAndConcurrencyOnly() {
    InstanceSelector selector = InstanceSelector.createOrReuse(InstanceRequest.named("kpd-test"));

    String text = complete().instance(selector).concurrency(3).build().toString();

    assertThat(text).isEqualTo("DedicatedInitializer[instance=" + selector + ", concurrency=3]")
        .contains("kpd-test").doesNotContain("correct horse", "a.share");
  }
}
