package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.CannedHttpClient.Canned;
import io.kpdedicated.http.internal.Clients;
import io.kpdedicated.http.internal.HttpCaller;
import io.kpdedicated.http.internal.ResourceControllerClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link ResourceControllerClient} against canned answers: the page limit, relative next pages,
 * the plan and CRN filters, catalog and group lookups that find nothing, and sparse documents.
 */
class ResourceControllerClientTest {
  private static final URI RC = URI.create("https://rc.example.test");
  private static final URI RM = URI.create("https://rm.example.test");
  private static final URI GC = URI.create("https://gc.example.test");
  private static final String CRN = "crn:v1:bluemix:public:kms:us-south:a/acct:";

  private final List<HttpRequest> sent = new ArrayList<>();

  private static Canned json(String body) {
    return new Canned(200, Map.of("Content-Type", List.of("application/json")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private HttpCaller caller(Function<HttpRequest, Canned> answers) {
    CannedHttpClient client = new CannedHttpClient(r -> {
      sent.add(r);
      return answers.apply(r);
    });
    return new HttpCaller(Clients.of(client), TokenProvider.of("t"), Duration.ofSeconds(5), 1 << 20,
        "corr", new MutableClock(Instant.parse("2030-01-01T00:00:00Z")));
  }

  private ResourceControllerClient client(String planId, String group, Function<HttpRequest, Canned> answers) {
    return new ResourceControllerClient(caller(answers), RC, RM, GC, planId, group);
  }

  private static String instance(String name, String crn, String plan) {
    return "{\"id\":\"" + crn + name + "::\",\"guid\":\"g-" + name + "\",\"crn\":\"" + crn + name
        + "::\",\"name\":\"" + name + "\",\"state\":\"active\""
        + (plan == null ? "" : ",\"resource_plan_id\":\"" + plan + "\"") + "}";
  }

  private static String body(HttpRequest r) {
    return RequestBodies.read(r);
  }

  @Test
  void followsAtMostFiftyPages() {
    ResourceControllerClient c = client("p", null,
        r -> json("{\"resources\":[],\"next_url\":\"/v2/resource_instances?start=again\"}"));

    assertThat(c.findInstanceByName("kp")).isEmpty();
    assertThat(sent).hasSize(50);
  }

  @Test
  void followsANextUrlWithoutLeadingSlashBelowTheResourceController() {
    ResourceControllerClient c = client("p", null, r -> r.uri().getQuery().contains("start=2")
        ? json("{\"resources\":[" + instance("kp", CRN, "p") + "]}")
        : json("{\"resources\":[],\"next_url\":\"v2/resource_instances?start=2\"}"));

    assertThat(c.findInstanceByName("kp")).map(ServiceInstance::guid).contains("g-kp");
    assertThat(sent.get(1).uri()).isEqualTo(URI.create("https://rc.example.test/v2/resource_instances?start=2"));
  }

  @Test
  void anInstanceOfTheConfiguredPlanIsFoundWhateverItsCrn() {
    ResourceControllerClient c = client("plan-1", null,
        r -> json("{\"resources\":[" + instance("kp", "crn:v1:bluemix:public:other:", "plan-1") + "]}"));

    assertThat(c.findInstanceByName("kp")).isPresent();
    assertThat(sent.get(0).uri().getRawQuery()).isEqualTo("name=kp&resource_plan_id=plan-1");
  }

  @Test
  void withoutAPlanTheCrnDecidesAndAShortCrnIsGivenTheBenefitOfTheDoubt() {
    ResourceControllerClient c = client(null, null, r -> json("{\"resources\":["
        + "{\"id\":\"i-short\",\"guid\":\"g-short\",\"crn\":\"a:b:c:d\",\"name\":\"kp\"}," + instance("kp2", CRN, null) + ","
        + instance("kp3", "crn:v1:bluemix:public:cloudantnosqldb:", null) + "]}"));

    assertThat(c.findInstanceByName("kp")).map(ServiceInstance::crn).contains("a:b:c:d");
    assertThat(c.findInstanceByName("kp2")).isPresent();
    assertThat(c.findInstanceByName("kp3")).isEmpty();
    assertThat(sent.get(0).uri().getRawQuery()).isEqualTo("name=kp");
  }

  @Test
  void aCatalogWithoutTheServiceIsANotFoundErrorSayingHowToSetThePlan() {
    ResourceControllerClient c = client(null, null, r -> json("{\"resources\":[{\"name\":\"other\","
        + "\"id\":\"x\"}]}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> c.createInstance(InstanceRequest.named("kp")));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("The Global Catalog has no service named 'kms'");
    assertThat(e.retryable()).isFalse();
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("KP_DEDICATED_PLAN_ID"));
    assertThat(sent).hasSize(1);
  }

  @Test
  void withoutAGroupNameTheRequestNamesNoGroup() {
    ResourceControllerClient c = client("plan-1", null, r -> json(instance("kp", CRN, "plan-1")));

    c.createInstance(new InstanceRequest("kp", "eu-de", null, 3));

    assertThat(sent).hasSize(1);
    assertThat(body(sent.get(0))).isEqualTo("{\"name\":\"kp\",\"target\":\"eu-de\","
        + "\"resource_plan_id\":\"plan-1\",\"parameters\":{\"crypto_units\":3}}");
  }

  @Test
  void aGroupListWithoutTheNameIsANotFoundError() {
    ResourceControllerClient c = client("plan-1", "prod", r -> json("{\"resources\":[{\"name\":\"dev\","
        + "\"id\":\"d\"}]}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> c.createInstance(InstanceRequest.named("kp")));

    assertThat(e.getMessage()).isEqualTo("No resource group is named 'prod'");
    assertThat(sent.get(0).uri()).isEqualTo(URI.create("https://rm.example.test/v2/resource_groups?name=prod"));
  }

  @Test
  void aSparseDocumentGetsTheIdAsCrnAndEmptyNameAndState() {
    ResourceControllerClient c = client("p", null, r -> json("{\"id\":\"i-1\",\"guid\":\"g-1\","
        + "\"extensions\":{\"crypto_units\":null},\"parameters\":{\"crypto_units\":2}}"));

    ServiceInstance si = c.getInstance("i-1");

    assertThat(si.crn()).isEqualTo("i-1");
    assertThat(si.name()).isEmpty();
    assertThat(si.rawState()).isEmpty();
    assertThat(si.cryptoUnits()).isEqualTo(2);
    assertThat(si.lastOperation()).isNull();
  }

  @Test
  void theExtensionsUnitCountWinsOverTheRequestedOne() {
    ResourceControllerClient c = client("p", null, r -> json("{\"id\":\"i-1\",\"guid\":\"g-1\","
        + "\"extensions\":{\"crypto_units\":3},\"parameters\":{\"crypto_units\":2}}"));

    assertThat(c.getInstance("i-1").cryptoUnits()).isEqualTo(3);
  }

  @Test
  void aMalformedDocumentIsATypedError() {
    ResourceControllerClient c = client("p", null, r -> json("{\"id\":\"i-1\",\"guid\":\"g-1\","
        + "\"extensions\":{\"endpoints\":{\"public\":\"https://\"}}}"));

    TransportException e = catchThrowableOfType(TransportException.class, () -> c.getInstance("i-1"));

    assertThat(e.operation()).isEqualTo(Operation.GET_INSTANCE);
    assertThat(e.getMessage()).contains("the public endpoint (8 characters) is not a URL");
  }

  @Test
  void aCopyWithAnotherCallerSendsThroughItAndKeepsTheSettings() {
    List<HttpRequest> other = new ArrayList<>();
    ResourceControllerClient original = client("plan-7", null, r -> json(instance("kp", CRN, "plan-7")));
    HttpCaller otherCaller = new HttpCaller(Clients.of(new CannedHttpClient(r -> {
      other.add(r);
      return json(instance("kp", CRN, "plan-7"));
    })), TokenProvider.of("t"), Duration.ofSeconds(5), 1 << 20, "corr-2",
        new MutableClock(Instant.parse("2030-01-01T00:00:00Z")));

    original.withCaller(otherCaller).createInstance(InstanceRequest.named("kp"));

    assertThat(sent).isEmpty();
    assertThat(other).hasSize(1);
    assertThat(body(other.get(0))).contains("\"resource_plan_id\":\"plan-7\"");
    assertThat(original.toString()).isEqualTo("ResourceControllerClient[https://rc.example.test]");
  }
}
