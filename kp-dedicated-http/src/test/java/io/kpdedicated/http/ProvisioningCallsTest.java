package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.http.StubServer.Answer;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProvisioningCallsTest {
  private static final String GUID = "5d6ea6bf-3fac-4637-8e9f-b6fad5a82976";
  private static final String CRN = "crn:v1:bluemix:public:kms:us-south:a/acc1:" + GUID + "::";

  private StubServer rc;

  @BeforeEach
  void start() throws Exception {
    rc = new StubServer();
  }

  @AfterEach
  void stop() {
    rc.close();
  }

  private HttpTransport.Builder builder() {
    return HttpTransport.builder().tokenProvider(TokenProvider.of("tok"))
        .resourceControllerEndpoint(rc.baseUri()).globalCatalogEndpoint(rc.baseUri());
  }

  static String doc(String name, String crn, String guid, String state, String plan) {
    return "{\"id\":\"" + crn + "\",\"guid\":\"" + guid + "\",\"crn\":\"" + crn + "\",\"name\":\"" + name
        + "\",\"region_id\":\"us-south\",\"resource_plan_id\":\"" + plan + "\",\"state\":\"" + state
        + "\",\"last_operation\":{\"type\":\"create\",\"state\":\"in progress\"},"
        + "\"parameters\":{\"crypto_units\":3},\"extensions\":{\"endpoints\":{"
        + "\"public\":\"https://" + guid + ".api.us-south.kms.appdomain.cloud\","
        + "\"private\":\"https://" + guid + ".api.private.us-south.kms.appdomain.cloud\"}}}";
  }

  @Test
  void readsAnInstanceDocumentWithItsEndpointsAndUnitCount() {
    rc.on("GET", "/v2/resource_instances/" + CRN.replace(":", "%3A").replace("/", "%2F"),
        Answer.json(200, doc("kp", CRN, GUID, "provisioning", "plan-1")));

    ServiceInstance si = builder().build().provisioning().getInstance(CRN);

    assertThat(si.id()).isEqualTo(CRN);
    assertThat(si.guid()).isEqualTo(GUID);
    assertThat(si.state()).isEqualTo(InstanceState.PROVISIONING);
    assertThat(si.region()).isEqualTo("us-south");
    assertThat(si.cryptoUnits()).isEqualTo(3);
    assertThat(si.publicEndpoint()).isEqualTo(URI.create("https://" + GUID + ".api.us-south.kms.appdomain.cloud"));
    assertThat(si.privateEndpoint().getHost()).contains(".api.private.");
    assertThat(si.lastOperation()).isEqualTo("create in progress");
    assertThat(rc.requests().get(0).header("Authorization")).isEqualTo("Bearer tok");
  }

  @Test
  void theLastOperationDescriptionIsShownOnceInsteadOfTypeAndState() {
    String body = doc("kp", CRN, GUID, "active", "plan-1").replace(
        "{\"type\":\"create\",\"state\":\"in progress\"}",
        "{\"type\":\"create\",\"state\":\"succeeded\","
            + "\"description\":\"Completed create instance operation\"}");
    rc.on("GET", "/v2/resource_instances/" + GUID, Answer.json(200, body));

    ServiceInstance si = builder().build().provisioning().getInstance(GUID);

    assertThat(si.lastOperation()).isEqualTo("Completed create instance operation");
  }

  @Test
  void anUnknownInstanceIsANotFoundServiceError() {
    rc.on("GET", "/v2/resource_instances/nope", Answer.json(404,
        "{\"message\":\"Instance not found\",\"status_code\":404,\"error_code\":\"RC-ResourceInstance-404\","
            + "\"transaction_id\":\"tx-1\"}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> builder().build().provisioning().getInstance("nope"));

    assertThat(e.operation()).isEqualTo(Operation.GET_INSTANCE);
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.serviceCode()).contains("RC-ResourceInstance-404");
    assertThat(e.requestId()).contains("tx-1");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void findsByExactNameAmongKmsInstancesAcrossPages() {
    rc.on("GET", "/v2/resource_instances", Answer.json(200, "{\"rows_count\":2,\"next_url\":"
        + "\"/v2/resource_instances?name=kp&start=p2\",\"resources\":["
        + doc("kp-other", CRN, GUID, "active", "p") + ","
        + doc("kp", "crn:v1:bluemix:public:cloud-object-storage:global:a/acc1:x::", "x", "active", "p")
        + "]}"), Answer.json(200, "{\"rows_count\":1,\"next_url\":null,\"resources\":["
        + doc("kp", CRN, GUID, "active", "p") + "]}"));

    Optional<ServiceInstance> found = builder().build().provisioning().findInstanceByName("kp");

    assertThat(found).map(ServiceInstance::guid).contains(GUID);
    assertThat(rc.requests()).extracting(StubServer.Recorded::query)
        .containsExactly("name=kp", "name=kp&start=p2");
  }

  @Test
  void findsNothingWhenOnlyRemovedInstancesHaveTheName() {
    rc.on("GET", "/v2/resource_instances", Answer.json(200, "{\"resources\":["
        + doc("kp", CRN, GUID, "removed", "p") + "]}"));

    assertThat(builder().build().provisioning().findInstanceByName("kp")).isEmpty();
  }

  @Test
  void twoInstancesWithTheNameAreAClearErrorListingBoth() {
    String crn2 = CRN.replace(GUID, "second");
    rc.on("GET", "/v2/resource_instances", Answer.json(200, "{\"resources\":["
        + doc("kp", CRN, GUID, "active", "p") + "," + doc("kp", crn2, "second", "active", "p") + "]}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> builder().build().provisioning().findInstanceByName("kp"));

    assertThat(e.getMessage()).contains(CRN, crn2);
    assertThat(e.retryable()).isFalse();
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("id"));
  }

  @Test
  void filtersByTheConfiguredPlanId() {
    rc.on("GET", "/v2/resource_instances", Answer.json(200, "{\"resources\":["
        + doc("kp", CRN, GUID, "active", "standard-plan") + "]}"));

    assertThat(builder().resourcePlanId("dedicated-plan").build().provisioning().findInstanceByName("kp"))
        .isEmpty();
    assertThat(rc.requests().get(0).query()).isEqualTo("name=kp&resource_plan_id=dedicated-plan");
  }

  @Test
  void createsWithNameTargetGroupPlanAndCryptoUnits() throws Exception {
    rc.on("POST", "/v2/resource_instances", Answer.json(201, doc("kp", CRN, GUID, "provisioning", "plan-1")));

    ServiceInstance si = builder().resourcePlanId("plan-1").build().provisioning()
        .createInstance(new InstanceRequest("kp", "us-south", "rg-1", 3));

    assertThat(si.state()).isEqualTo(InstanceState.PROVISIONING);
    JsonNode body = new ObjectMapper().readTree(rc.requests().get(0).body());
    assertThat(body.get("name").asText()).isEqualTo("kp");
    assertThat(body.get("target").asText()).isEqualTo("us-south");
    assertThat(body.get("resource_group").asText()).isEqualTo("rg-1");
    assertThat(body.get("resource_plan_id").asText()).isEqualTo("plan-1");
    assertThat(body.get("parameters").get("crypto_units").isInt()).isTrue();
    assertThat(body.get("parameters").get("crypto_units").asInt()).isEqualTo(3);
  }

  @Test
  void looksUpThePlanInTheGlobalCatalogAndTheGroupByNameOnce() throws Exception {
    rc.on("GET", "/api/v1", Answer.json(200,
        "{\"resources\":[{\"id\":\"kms-svc\",\"name\":\"kms\",\"kind\":\"service\"}]}"));
    rc.on("GET", "/api/v1/kms-svc/plan", Answer.json(200, "{\"resources\":["
        + "{\"id\":\"std\",\"name\":\"tiered-pricing\"},{\"id\":\"ded-plan\",\"name\":\"dedicated\"}]}"));
    rc.on("GET", "/v2/resource_groups", Answer.json(200,
        "{\"resources\":[{\"id\":\"rg-42\",\"name\":\"prod\",\"default\":false}]}"));
    rc.on("POST", "/v2/resource_instances", Answer.json(201, doc("kp", CRN, GUID, "provisioning", "ded-plan")));
    HttpTransport t = builder().resourceManagerEndpoint(rc.baseUri()).resourceGroupName("prod").build();

    t.provisioning().createInstance(InstanceRequest.named("kp"));
    t.provisioning().createInstance(InstanceRequest.named("kp"));

    assertThat(rc.requests("GET", "/api/v1").get(0).query()).isEqualTo("q=name%3Akms%20kind%3Aservice");
    assertThat(rc.requests("GET", "/api/v1/kms-svc/plan")).hasSize(1);
    assertThat(rc.requests("GET", "/v2/resource_groups").get(0).query()).isEqualTo("name=prod");
    JsonNode body = new ObjectMapper().readTree(rc.requests("POST", "/v2/resource_instances").get(0).body());
    assertThat(body.get("resource_plan_id").asText()).isEqualTo("ded-plan");
    assertThat(body.get("resource_group").asText()).isEqualTo("rg-42");
    assertThat(body.get("parameters").get("crypto_units").asInt()).isEqualTo(2);
  }

  @Test
  void anUnknownResourceGroupNameIsANotFoundError() {
    rc.on("GET", "/v2/resource_groups", Answer.json(200, "{\"resources\":[]}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> builder()
        .resourcePlanId("p").resourceGroupName("nope").build().provisioning()
        .createInstance(InstanceRequest.named("kp")));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).contains("nope");
    assertThat(rc.requests("POST", "/v2/resource_instances")).isEmpty();
  }
}
