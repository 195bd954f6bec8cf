package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output json}: standard output is exactly one JSON document of the documented shape
 * (parsed here), progress goes to standard error, and no secret is in either.
 */
class JsonOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path dir;

  private static JsonNode parse(CliRunner.Result r) throws Exception {
    return JSON.readTree(r.out());
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private CliRunner cloudMode(InMemoryDedicatedCloud cloud, ServiceInstance instance) {
    CliRunner r = new CliRunner(dir);
    r.transports = settings -> InMemoryTransport.over(cloud);
    r.env.put(Env.API_KEY, "test-api-key");
    r.env.put(Env.TARGET_ADDR, instance.publicEndpoint().toString());
    r.env.put(Env.INSTANCE_ID, instance.guid());
    return r;
  }

  @Test
  void initWritesOneDocumentWithEveryUnitsOutcomeAndProgressOnStandardError() throws Exception {
    CliRunner.Result r = new CliRunner(dir).run("init", "--crypto-units", "3", "--output", "json");

    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode report = parse(r);
    assertThat(fields(report)).containsExactly("command", "exitCode", "succeeded", "embedded",
        "instanceId", "targetAddr", "checkValue", "outDir", "passphrasesFile", "units",
        "retryCommand");
    assertThat(report.get("command").asText()).isEqualTo("init");
    assertThat(report.get("exitCode").asInt()).isZero();
    assertThat(report.get("succeeded").asBoolean()).isTrue();
    assertThat(report.get("embedded").asBoolean()).isTrue();
    assertThat(report.get("retryCommand").isNull()).isTrue();
    String kcv = report.get("checkValue").asText();
    assertThat(kcv).matches("[0-9A-F]{10}");
    assertThat(report.get("units")).hasSize(3);
    for (JsonNode unit : report.get("units")) {
      assertThat(fields(unit)).containsExactly("id", "stateBefore", "stateAfter", "steps",
          "attempts", "checkValue", "status", "failure");
      assertThat(unit.get("stateBefore").asText()).isEqualTo("reserved");
      assertThat(unit.get("stateAfter").asText()).isEqualTo("kms-initialized");
      assertThat(texts(unit.get("steps"))).containsExactly("claim", "import-master-key",
          "add-crypto-user", "verify");
      assertThat(unit.get("attempts").asInt()).isPositive();
      assertThat(unit.get("checkValue").asText()).isEqualTo(kcv);
      assertThat(unit.get("status").asText()).isEqualTo("succeeded");
      assertThat(unit.get("failure").isNull()).isTrue();
    }
    assertThat(r.err()).contains("No IBMCLOUD_API_KEY").contains("Executing operation claim");
    assertThat(r.out()).doesNotContain("Executing operation");

    Path passphrases = Path.of(report.get("passphrasesFile").asText());
    assertThat(passphrases.getParent()).isEqualTo(Path.of(report.get("outDir").asText()));
    for (String line : Files.readAllLines(passphrases)) {
      if (!line.startsWith("#")) {
        assertThat(r.all()).doesNotContain(line.substring(line.indexOf('#') + 1));
      }
    }
  }

  @Test
  void aFailedUnitCarriesItsMessageWhetherRetryableAndTheRetryCommand() throws Exception {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().seed(3).build();
    ServiceInstance instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-prod", "us-south", null, 2));
    String second = cloud.snapshot(instance.guid()).unit(1).id();
    cloud.faults().on(Operation.IMPORT_MASTER_KEY).unit(second).times(1)
        .error(400, "BAD_REQUEST", "refused once");

    CliRunner.Result r = cloudMode(cloud, instance).run("init", "--out", "run1", "-o", "json");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.PARTIAL_FAILURE);
    JsonNode report = parse(r);
    assertThat(report.get("exitCode").asInt()).isEqualTo(ExitCodes.PARTIAL_FAILURE);
    assertThat(report.get("succeeded").asBoolean()).isFalse();
    assertThat(report.get("embedded").asBoolean()).isFalse();
    assertThat(report.get("instanceId").asText()).isEqualTo(instance.guid());
    assertThat(report.get("retryCommand").asText()).startsWith("kpd init")
        .contains("--out run1").endsWith("--id " + second);
    JsonNode failed = null;
    for (JsonNode unit : report.get("units")) {
      if (unit.get("id").asText().equals(second)) {
        failed = unit;
      } else {
        assertThat(unit.get("status").asText()).isEqualTo("succeeded");
      }
    }
    assertThat(failed).isNotNull();
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("stateAfter").asText()).isNotEqualTo("kms-initialized");
    JsonNode failure = failed.get("failure");
    assertThat(fields(failure)).containsExactly("message", "retryable", "remediation");
    assertThat(failure.get("message").asText()).contains("refused once");
    assertThat(failure.get("retryable").isBoolean()).isTrue();
    assertThat(failure.get("retryable").asBoolean()).isFalse();
  }

  @Test
  void planWritesWhatInitWouldDoPerUnit() throws Exception {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().seed(9).build();
    ServiceInstance instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-prod", "us-south", null, 2));

    CliRunner.Result r = cloudMode(cloud, instance).run("plan", "--output", "json");

    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode plan = parse(r);
    assertThat(fields(plan)).containsExactly("command", "exitCode", "instanceAction", "instance",
        "instanceSteps", "adminIdentity", "keyshares", "unitsKnown", "units", "problems",
        "nothingToDo");
    assertThat(plan.get("adminIdentity").asText()).isEqualTo("generate");
    assertThat(plan.get("unitsKnown").asBoolean()).isTrue();
    assertThat(plan.get("problems")).isEmpty();
    assertThat(plan.get("units")).hasSize(2);
    for (JsonNode unit : plan.get("units")) {
      assertThat(fields(unit)).containsExactly("id", "state", "targeted", "steps", "note");
      assertThat(unit.get("state").asText()).isEqualTo("reserved");
      assertThat(unit.get("targeted").asBoolean()).isTrue();
      assertThat(texts(unit.get("steps"))).contains("claim", "import-master-key");
    }
    assertThat(cloud.stats().totalChanges()).isZero();
  }

  @Test
  void theRunbookCommandsReportAsJson() throws Exception {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().seed(11).build();
    ServiceInstance instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-json", "us-south", null, 2));

    JsonNode sigKey = parse(cloudMode(cloud, instance).run("sig-key", "generate", "--file",
        "admin.p12", "--passphrase", "admin secret", "--output", "json"));
    assertThat(fields(sigKey)).containsExactly("file", "algorithm", "passphraseProtected",
        "fingerprint");
    assertThat(sigKey.get("algorithm").asText()).isEqualTo("RSA-2048");
    assertThat(sigKey.get("passphraseProtected").asBoolean()).isTrue();

    JsonNode generated = parse(cloudMode(cloud, instance).run("mk", "generate",
        "--keyshare-files", "[\"s1.json#share one\",\"s2.json#share two\"]",
        "--keyshare-minimum", "2", "--key-name", "mk1", "--output", "json"));
    assertThat(fields(generated)).containsExactly("command", "keyName", "checkValue", "setId",
        "minimum", "count", "files");
    JsonNode verified = parse(cloudMode(cloud, instance).run("mk", "verify",
        "--keyshare-files", "[\"s1.json#share one\",\"s2.json#share two\"]", "-o", "json"));
    assertThat(verified.get("command").asText()).isEqualTo("mk verify");
    assertThat(verified.get("checkValue").asText())
        .isEqualTo(generated.get("checkValue").asText());

    CliRunner.Result claim = cloudMode(cloud, instance).run("claim", "--credential",
        "admin.p12", "--passphrase", "admin secret", "--output", "json");
    assertThat(claim.exitCode()).as(claim.all()).isZero();
    JsonNode claimed = parse(claim);
    assertThat(fields(claimed)).containsExactly("command", "exitCode", "units", "retryCommand");
    assertThat(claimed.get("command").asText()).isEqualTo("claim");
    assertThat(claimed.get("units")).hasSize(2);
    for (JsonNode unit : claimed.get("units")) {
      assertThat(fields(unit)).containsExactly("id", "result", "note", "failure");
      assertThat(unit.get("result").asText()).isEqualTo("ok");
    }
    assertThat(claim.err()).contains("Executing operation claim");

    JsonNode units = parse(cloudMode(cloud, instance).run("crypto-units", "--output", "json"));
    assertThat(fields(units)).containsExactly("instanceId", "units", "checkValuesAgree");
    assertThat(units.get("instanceId").asText()).isEqualTo(instance.guid());
    for (JsonNode unit : units.get("units")) {
      assertThat(fields(unit)).containsExactly("id", "instanceId", "state", "checkValue");
    }

    JsonNode got = parse(cloudMode(cloud, instance).run("instance", "get", "kp-json", "-o",
        "json"));
    assertThat(got.get("guid").asText()).isEqualTo(instance.guid());
    assertThat(claim.all()).doesNotContain("admin secret");
  }
}
