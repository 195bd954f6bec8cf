package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InstanceSnapshot;

/**
 * The platform lookups the SDK makes around an instance: the Resource Controller (find, create and
 * read instances over the cloud's provisioning model), the Resource Manager (the default resource
 * group) and the Global Catalog (service {@code kms}, plan {@code dedicated}). Every route needs a
 * bearer token; only the Resource Controller calls pass the fault gate. Thread-safe.
 */
final class ProvisioningRoutes {
  private static final String KMS_SERVICE_ID = "kpd-emulator-kms-service";

  private final InMemoryDedicatedCloud cloud;
  private final AccessChecks access;
  private final LoopbackEmulator emulator;

  /**
   * Creates the routes.
   *
   * @param cloud the cloud
   * @param access the token check
   * @param emulator the emulator, whose endpoints instance documents carry
   */
  ProvisioningRoutes(InMemoryDedicatedCloud cloud, AccessChecks access, LoopbackEmulator emulator) {
    this.cloud = cloud;
    this.access = access;
    this.emulator = emulator;
  }

  /**
   * Adds the Resource Controller, Resource Manager and Global Catalog routes to a table.
   *
   * @param table the emulator's route table
   */
  void register(RouteTable table) {
    table.add("GET", "/v2/resource_instances", this::listInstances)
        .add("POST", "/v2/resource_instances", this::createInstance)
        .add("GET", "/v2/resource_instances/{id}", this::getInstance)
        .add("GET", "/v2/resource_groups", this::resourceGroups)
        .add("GET", "/api/v1", this::catalogSearch)
        .add("GET", "/api/v1/{service}/plan", this::catalogPlans);
  }

  private Reply listInstances(EmulatorRequest r) {
    access.authenticate(r);
    String name = r.query().get("name");
    String plan = r.query().get("resource_plan_id");
    cloud.admitCall(Operation.FIND_INSTANCE);
    ArrayNode resources = Json.array();
    if (plan == null || plan.equals(LoopbackEmulator.PLAN_ID)) {
      for (InstanceSnapshot i : cloud.snapshot().instances()) {
        if (name == null || i.instance().name().equals(name)) {
          resources.add(instanceJson(i.instance()));
        }
      }
    }
    ObjectNode o = Json.object();
    o.put("rows_count", resources.size());
    o.putNull("next_url");
    o.set("resources", resources);
    return Reply.json(200, o);
  }

  private Reply createInstance(EmulatorRequest r) {
    access.authenticate(r);
    JsonNode body = Json.objectBody(r);
    String name = Json.requiredText(body, "name");
    String target = Json.requiredText(body, "target");
    String plan = Json.requiredText(body, "resource_plan_id");
    if (!plan.equals(LoopbackEmulator.PLAN_ID)) {
      throw new Refusal(400, "RC-InvalidPlan", "resource_plan_id '" + plan + "' is not the Key"
          + " Protect Dedicated plan (" + LoopbackEmulator.PLAN_ID + ")");
    }
    JsonNode group = body.get("resource_group");
    String groupId = group == null || group.isNull() ? null : group.asText();
    JsonNode params = body.get("parameters");
    JsonNode units = params == null ? null : params.get("crypto_units");
    int count = units == null || units.isNull() ? InstanceRequest.DEFAULT_CRYPTO_UNITS
        : units.isIntegralNumber() ? units.intValue() : -1;
    InstanceRequest request;
    try {
      request = new InstanceRequest(name, target, groupId, count);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "RC-InvalidParameters", e.getMessage());
    }
    return Reply.json(201, instanceJson(cloud.createInstance(request)));
  }

  private Reply getInstance(EmulatorRequest r) {
    access.authenticate(r);
    return Reply.json(200, instanceJson(cloud.getInstance(r.param("id"))));
  }

  /**
   * Returns the Resource Controller's document of an instance, endpoints pointing at the emulator
   * (public {@code http://127.0.0.1:<port>}, private {@code http://localhost:<port>}) once the
   * instance has them.
   *
   * @param si the instance
   * @return the document
   */
  ObjectNode instanceJson(ServiceInstance si) {
    ObjectNode o = Json.object();
    o.put("id", si.id()).put("guid", si.guid()).put("crn", si.crn()).put("url",
        "/v2/resource_instances/" + si.guid());
    o.put("name", si.name()).put("region_id", si.region()).put("resource_id", KMS_SERVICE_ID)
        .put("resource_plan_id", LoopbackEmulator.PLAN_ID)
        .put("resource_group_id", LoopbackEmulator.RESOURCE_GROUP_ID)
        .put("type", "service_instance").put("state", si.rawState());
    InstanceState st = si.state();
    String opState = st == InstanceState.ACTIVE ? "succeeded"
        : st == InstanceState.FAILED ? "failed" : "in progress";
    String description = st == InstanceState.ACTIVE ? "Completed create instance operation"
        : st == InstanceState.FAILED ? "Failed create instance operation"
        : "Started create instance operation";
    o.putObject("last_operation").put("type", "create").put("async", true).put("state", opState)
        .put("description", description);
    o.putObject("parameters").put("crypto_units", si.cryptoUnits());
    ObjectNode ext = o.putObject("extensions");
    ext.put("crypto_units", si.cryptoUnits());
    ObjectNode endpoints = ext.putObject("endpoints");
    if (si.publicEndpoint() != null) {
      endpoints.put("public", emulator.publicEndpoint().toString());
      endpoints.put("private", emulator.privateEndpoint().toString());
    }
    return o;
  }

  private Reply resourceGroups(EmulatorRequest r) {
    access.authenticate(r);
    String name = r.query().get("name");
    ArrayNode a = Json.array();
    if (name == null || name.equals(LoopbackEmulator.RESOURCE_GROUP_NAME)) {
      a.addObject().put("id", LoopbackEmulator.RESOURCE_GROUP_ID)
          .put("name", LoopbackEmulator.RESOURCE_GROUP_NAME).put("default", true)
          .put("state", "ACTIVE");
    }
    ObjectNode o = Json.object();
    o.set("resources", a);
    return Reply.json(200, o);
  }

  private Reply catalogSearch(EmulatorRequest r) {
    access.authenticate(r);
    ArrayNode a = Json.array();
    String q = r.query().getOrDefault("q", "");
    if (q.isEmpty() || q.contains("kms")) {
      a.addObject().put("id", KMS_SERVICE_ID).put("name", "kms").put("kind", "service");
    }
    ObjectNode o = Json.object().put("count", a.size());
    o.set("resources", a);
    return Reply.json(200, o);
  }

  private Reply catalogPlans(EmulatorRequest r) {
    access.authenticate(r);
    String serviceId = r.param("service");
    ArrayNode a = Json.array();
    if (serviceId.equals(KMS_SERVICE_ID) || serviceId.equals("kms")) {
      a.addObject().put("id", LoopbackEmulator.PLAN_ID).put("name", "dedicated")
          .put("kind", "plan");
    }
    ObjectNode o = Json.object().put("count", a.size());
    o.set("resources", a);
    return Reply.json(200, o);
  }
}
