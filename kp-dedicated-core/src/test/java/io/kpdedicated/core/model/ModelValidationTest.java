package io.kpdedicated.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The checks of the model records: each required text refused on its own, by name. */
class ModelValidationTest {
  private static final URI PUBLIC =
      URI.create("https://g1.api.us-south.kms.appdomain.cloud");
  private static final URI PRIVATE =
      URI.create("https://g1.api.private.us-south.kms.appdomain.cloud");
  private static final CheckValue CV = new CheckValue("AAAA");
  private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----";

  /** A missing text is refused naming the field; a blank one too, with what is wrong. */
  private static void refusesMissingAndBlank(String field, Function<String, Object> build) {
    assertThatThrownBy(() -> build.apply(null)).isInstanceOf(NullPointerException.class)
        .hasMessage(field);
    for (String blank : new String[] {"", " ", "\t\n"}) {
      assertThatThrownBy(() -> build.apply(blank)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(field + " must not be blank");
    }
  }

  private static ServiceInstance instance(String id, String guid) {
    return new ServiceInstance(id, guid, "crn:1", "kp", InstanceState.ACTIVE, "active",
        "us-south", PUBLIC, null, 2, null);
  }

  @Test
  void aCryptoUnitNeedsItsId() {
    refusesMissingAndBlank("id", id -> new CryptoUnit(id, "i1", UnitState.CLAIMED, "claimed"));
  }

  @Test
  void aServiceInstanceNeedsItsIdAndGuidEachOnItsOwn() {
    refusesMissingAndBlank("id", id -> instance(id, "g1"));
    refusesMissingAndBlank("guid", guid -> instance("crn:1", guid));
    assertThat(instance("crn:1", "g1").publicTarget())
        .contains(new InstanceTarget(PUBLIC, "g1"));
  }

  @Test
  void aNewUserNeedsItsNameAndPublicKeyEachOnItsOwn() {
    refusesMissingAndBlank("name", name -> NewUser.admin(name, PEM));
    refusesMissingAndBlank("publicKeyPem", pem -> NewUser.admin("alice", pem));
  }

  @Test
  void aCryptoUserNeedsItsName() {
    refusesMissingAndBlank("name", name -> new CryptoUser(name, UserType.ADMIN, Map.of()));
  }

  @Test
  void anInstanceTargetNeedsItsGuid() {
    refusesMissingAndBlank("instanceGuid", guid -> new InstanceTarget(PUBLIC, guid));
  }

  @Test
  void aMasterKeyNeedsItsName() {
    refusesMissingAndBlank("name", name -> new MasterKeyInfo(name, CV));
  }

  @Test
  void aUnitWithAKnownStateTakesItsWireValueAndWithUnknownKeepsWhatTheServiceSaid() {
    CryptoUnit odd = CryptoUnit.of("u1", "i1", "Being-Serviced");
    assertThat(odd.state()).isEqualTo(UnitState.UNKNOWN);

    CryptoUnit initialized = odd.withState(UnitState.KMS_INITIALIZED);
    CryptoUnit stillOdd = odd.withState(UnitState.UNKNOWN);

    assertThat(initialized).isEqualTo(
        new CryptoUnit("u1", "i1", UnitState.KMS_INITIALIZED, "kms-initialized"));
    assertThat(stillOdd).isEqualTo(
        new CryptoUnit("u1", "i1", UnitState.UNKNOWN, "Being-Serviced"));
    assertThat(CryptoUnit.of("u2", "i1", null).rawState()).isEmpty();
  }

  @Test
  void onlyAnEndpointOnThePrivateNetworkIsPrivate() {
    assertThat(new InstanceTarget(PUBLIC, "g1").isPrivateEndpoint()).isFalse();
    assertThat(new InstanceTarget(PRIVATE, "g1").isPrivateEndpoint()).isTrue();
    assertThat(new InstanceTarget(URI.create("urn:kp:g1"), "g1").isPrivateEndpoint()).isFalse();
  }

  @Test
  void aNewUserShowsItsTypeNameAndAttributesButNotItsKey() {
    NewUser user = new NewUser(UserType.KMS_CRYPTO_USER, "kmsCryptoUser", PEM,
        Map.of(NewUser.CXI_GROUP, "SLOT_0007"));

    assertThat(user).hasToString(
        "NewUser[type=kmsCryptoUser, name=kmsCryptoUser, attributes={CXI_GROUP=SLOT_0007}]");
    assertThat(NewUser.admin("alice", PEM).toString()).doesNotContain("MIIB", "BEGIN");
  }
}
