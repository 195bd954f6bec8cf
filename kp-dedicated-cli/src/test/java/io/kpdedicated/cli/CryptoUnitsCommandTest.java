package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.InstanceArranger;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kpd crypto-units}: key check values per unit and instances whose units disagree. */
class CryptoUnitsCommandTest {
  private static final String CREDENTIAL = "admin.p12#admin secret";

  @TempDir Path dir;

  private InMemoryDedicatedCloud cloud;
  private ServiceInstance instance;

  @BeforeEach
  void startCloud() {
    cloud = InMemoryDedicatedCloud.builder().seed(11).build();
    instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-units", "us-south", null, 3));
  }

  private CliRunner kpd() {
    CliRunner r = new CliRunner(dir);
    r.transports = settings -> InMemoryTransport.over(cloud);
    r.env.put(Env.API_KEY, "test-api-key");
    r.env.put(Env.TARGET_ADDR, instance.publicEndpoint().toString());
    r.env.put(Env.INSTANCE_ID, instance.guid());
    return r;
  }

  private InstanceArranger arrange() {
    return cloud.arrange(instance.guid());
  }

  /** Claims every unit with a new admin key, through {@code kpd claim}. */
  private void claimAll() {
    assertThat(kpd().run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase", "admin secret").exitCode()).isZero();
    CliRunner.Result claim = kpd().run("claim", "--credential", CREDENTIAL);
    assertThat(claim.exitCode()).as(claim.all()).isZero();
  }

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  private String row(CliRunner.Result r, int unit) {
    String id = arrange().unit(unit).id();
    return r.out().lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow();
  }

  @Test
  void unitsThatAgreeShowOneCheckValueAndExitZero() throws Exception {
    claimAll();
    for (int i = 0; i < 3; i++) {
      arrange().unit(i).withMasterKey("mk1", key(1));
    }

    CliRunner.Result r = kpd().run("crypto-units", "--credential", CREDENTIAL);

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .contains("ID").contains("STATE").contains("KEY CHECK VALUE");
    String value = lastCell(row(r, 0));
    assertThat(value).isNotIn("-", "?");
    for (int i = 0; i < 3; i++) {
      assertThat(row(r, i)).contains("initialized").endsWith("  " + value);
    }
    assertThat(r.all()).doesNotContain("WARNING").doesNotContain("admin secret");

    JsonNode json = new ObjectMapper().readTree(
        kpd().run("crypto-units", "--credential", CREDENTIAL, "--output", "json").out());
    assertThat(json.get("checkValuesAgree").booleanValue()).isTrue();
    for (JsonNode u : json.get("units")) {
      assertThat(u.get("checkValue").asText()).isEqualTo(value);
    }
  }

  @Test
  void unitsWithTwoDifferentKeysAreFlaggedWithBothValuesAndExitThree() throws Exception {
    claimAll();
    arrange().unit(0).withMasterKey("mk1", key(1));
    arrange().unit(1).withMasterKey("mk1", key(1));
    arrange().unit(2).withMasterKey("mk2", key(2));

    CliRunner.Result r = kpd().run("crypto-units", "--credential", CREDENTIAL);

    assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.PARTIAL_FAILURE);
    String first = lastCell(row(r, 0));
    String odd = lastCell(row(r, 2));
    assertThat(first).isNotEqualTo(odd).isNotIn("-", "?");
    assertThat(lastCell(row(r, 1))).isEqualTo(first);
    String warning = r.out().lines().filter(l -> l.startsWith("WARNING")).findFirst()
        .orElseThrow();
    assertThat(warning).contains(first).contains(odd)
        .contains(arrange().unit(2).id()).contains(arrange().unit(0).id())
        .contains("503 no healthy upstream").contains("zeroize").contains("mk import");

    CliRunner.Result json = kpd().run("crypto-units", "--credential", CREDENTIAL, "-o", "json");
    assertThat(json.exitCode()).isEqualTo(ExitCodes.PARTIAL_FAILURE);
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertThat(report.get("checkValuesAgree").booleanValue()).isFalse();
    assertThat(report.get("units").get(2).get("checkValue").asText()).isEqualTo(odd);
    assertThat(json.err()).contains("WARNING").contains(odd);
  }

  @Test
  void withoutACredentialTheColumnShowsQuestionMarksAndSaysToPassCredential() throws Exception {
    claimAll();
    arrange().unit(0).withMasterKey("mk1", key(1));
    arrange().unit(1).withMasterKey("mk1", key(1));

    CliRunner.Result r = kpd().run("crypto-units");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(lastCell(row(r, 0))).isEqualTo("?");
    assertThat(lastCell(row(r, 1))).isEqualTo("?");
    assertThat(lastCell(row(r, 2))).isEqualTo("-");
    assertThat(r.out()).contains("pass --credential");

    JsonNode json = new ObjectMapper().readTree(kpd().run("crypto-units", "-o", "json").out());
    assertThat(json.get("checkValuesAgree").isNull()).isTrue();
    assertThat(json.get("units").get(0).get("checkValue").isNull()).isTrue();
  }

  @Test
  void aUnitClaimedByAnotherAdministratorIsNamedInTheNote() throws Exception {
    claimAll();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    arrange().unit(0).withMasterKey("mk1", key(1));
    arrange().unit(1).claimedBy((RSAPublicKey) g.generateKeyPair().getPublic())
        .withMasterKey("mk1", key(2));

    CliRunner.Result r = kpd().run("crypto-units", "--credential", CREDENTIAL);

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(lastCell(row(r, 1))).isEqualTo("?");
    assertThat(r.out()).contains("'?' on " + arrange().unit(1).id()
        + " = claimed by another administrator");
  }

  private static String lastCell(String row) {
    String[] cells = row.trim().split("\\s+");
    return cells[cells.length - 1];
  }
}
