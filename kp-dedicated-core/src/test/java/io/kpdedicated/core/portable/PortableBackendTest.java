package io.kpdedicated.core.portable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The portable backend on its own: what it wraps, what it refuses, what it wipes. */
class PortableBackendTest {
  private static final FakeSigner SIGNER = new FakeSigner();
  private static final InstanceTarget TARGET =
      new InstanceTarget(URI.create("https://g.api.us-south.kms.appdomain.cloud"), "g");

  /** A session that records what it was asked. */
  private static final class Recording implements PortableHsmBackend.PortableSession {
    final List<String> log = new ArrayList<>();
    MasterKey imported;

    @Override
    public String unitId() {
      return "u1";
    }

    @Override
    public List<CryptoUser> listUsers() {
      log.add("listUsers");
      return List.of();
    }

    @Override
    public void addUser(NewUser user) {
      log.add("addUser " + user.name());
    }

    @Override
    public List<MasterKeyInfo> listMasterKeys() {
      log.add("listMasterKeys");
      return List.of(new MasterKeyInfo("mk1", PortableHsmBackend.checkValueOf(
          new KeyCheckValue("00aabbccdd"))));
    }

    @Override
    public MasterKeyInfo importMasterKey(MasterKey key) {
      imported = key;
      log.add("import " + key.name());
      return new MasterKeyInfo(key.name(), PortableHsmBackend.checkValueOf(key.checkValue()));
    }

    @Override
    public void close() {
      log.add("close");
    }
  }

  private static PrepareContext context() {
    return new PrepareContext(false, new SecureRandom(), Clock.systemUTC(),
        KdfCost.forTestsOnly());
  }

  @Test
  void aSessionPassesEveryCallToThePortableSessionOpenedWithTheSigner() {
    Recording inner = new Recording();
    List<Object> opened = new ArrayList<>();
    PortableHsmBackend backend = new PortableHsmBackend("portable: test", (t, id, signer) -> {
      opened.add(t);
      opened.add(id);
      opened.add(signer);
      return inner;
    });
    AdminCredential admin = PortableHsmBackend.credentialOf(SIGNER);

    try (MasterKey key = MasterKey.generate("mk1", new SecureRandom());
        PreparedMasterKey prepared = PortableHsmBackend.preparedKeyOf(key)) {
      HsmSession s = backend.openSession(TARGET, "u1", admin);
      assertThat(s.unitId()).isEqualTo("u1");
      assertThat(s.listUsers()).isEmpty();
      s.addUser(NewUser.admin("kmsCryptoUser", RsaKeys.toPkcs1Pem(SIGNER.publicKey())));
      assertThat(s.listMasterKeys()).singleElement()
          .satisfies(k -> assertThat(k.checkValue().text()).isEqualToIgnoringCase("00aabbccdd"));
      MasterKeyInfo loaded = s.importMasterKey(prepared);
      s.close();

      assertThat(opened).containsExactly(TARGET, "u1", SIGNER);
      assertThat(inner.imported).isSameAs(key);
      assertThat(loaded.checkValue()).isEqualTo(prepared.checkValue().orElseThrow());
      assertThat(inner.log).containsExactly("listUsers", "addUser kmsCryptoUser",
          "listMasterKeys", "import mk1", "close");
    }
    assertThat(backend.description()).isEqualTo("portable: test");
  }

  @Test
  void refusesCredentialsAndKeysItDidNotPrepare() {
    PortableHsmBackend backend = new PortableHsmBackend("p", (t, id, s) -> new Recording());
    AdminCredential foreign = new AdminCredential() {
      @Override
      public String claimPublicKeyPem() {
        return "pem";
      }

      @Override
      public IdentityAction action() {
        return IdentityAction.USE_GIVEN;
      }

      @Override
      public String description() {
        return "foreign";
      }

      @Override
      public void close() {}
    };
    PreparedMasterKey foreignKey = new PreparedMasterKey() {
      @Override
      public String keyName() {
        return "mk1";
      }

      @Override
      public Optional<io.kpdedicated.core.model.CheckValue> checkValue() {
        return Optional.empty();
      }

      @Override
      public boolean checkedOffline() {
        return false;
      }

      @Override
      public boolean needsGeneration() {
        return false;
      }

      @Override
      public KeysharesAction action() {
        return KeysharesAction.USE_GIVEN;
      }

      @Override
      public String description() {
        return "foreign";
      }

      @Override
      public void close() {}
    };

    assertThatThrownBy(() -> backend.openSession(TARGET, "u1", foreign))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("portable backend");
    HsmSession s = backend.openSession(TARGET, "u1", PortableHsmBackend.credentialOf(SIGNER));
    assertThatThrownBy(() -> s.importMasterKey(foreignKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("portable backend");
    assertThatThrownBy(() -> s.generateMasterKey(foreignKey))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aKeyGivenByTheCallerIsNeverWipedButOneTheRunPreparedIs() throws Exception {
    MasterKey given = MasterKey.generate("mk1", new SecureRandom());
    PreparedMasterKey wrapped = PortableHsmBackend.preparedKeyOf(given);

    assertThat(wrapped.keyName()).isEqualTo("mk1");
    assertThat(wrapped.checkedOffline()).isTrue();
    assertThat(wrapped.needsGeneration()).isFalse();
    assertThat(wrapped.action()).isEqualTo(KeysharesAction.USE_GIVEN);
    assertThat(wrapped.checkValue()).contains(PortableHsmBackend.checkValueOf(given.checkValue()));
    assertThat(wrapped.toString()).contains("mk1", given.checkValue().hex());
    wrapped.close();
    assertThat(given.isDestroyed()).isFalse();
    assertThatThrownBy(((PortableMasterKey) wrapped)::key)
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("wiped");

    MasterKey owned = MasterKey.generate("mk2", new SecureRandom());
    PortableMasterKey prepared = new PortableMasterKey(owned, true, KeysharesAction.GENERATE, "d");
    assertThat(prepared.key()).isSameAs(owned);
    prepared.close();
    assertThat(owned.isDestroyed()).isTrue();
    given.close();
  }

  @Test
  void aSignerGivenByTheCallerIsUsedAsItIsAndClaimsWithItsPublicKey() {
    AdminCredential admin = PortableHsmBackend.credentialOf(SIGNER);

    assertThat(admin.action()).isEqualTo(IdentityAction.USE_GIVEN);
    assertThat(admin.claimPublicKeyPem()).isEqualTo(RsaKeys.toPkcs1Pem(SIGNER.publicKey()))
        .startsWith("-----BEGIN RSA PUBLIC KEY-----\n");
    assertThat(admin.toString()).isEqualTo("PortableCredential[USE_GIVEN]");
    admin.close();
    // still usable: the caller owns it
    assertThat(admin.claimPublicKeyPem()).isEqualTo(RsaKeys.toPkcs1Pem(SIGNER.publicKey()));
  }

  @Test
  void preparesAProvidedSignerWithoutTouchingFiles() {
    PortableHsmBackend backend = new PortableHsmBackend("p", (t, id, s) -> new Recording());

    AdminCredential admin = backend.prepareAdmin(AdminIdentitySource.of(SIGNER), context());

    assertThat(admin.action()).isEqualTo(IdentityAction.USE_GIVEN);
    assertThat(((PortableCredential) admin).signer()).isSameAs(SIGNER);
    assertThat(admin.description()).contains("given by the caller");
  }
}
