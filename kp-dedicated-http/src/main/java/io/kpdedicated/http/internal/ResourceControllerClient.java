package io.kpdedicated.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.core.spi.ServiceException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Service instances through the Resource Controller ({@code /v2/resource_instances}), resource
 * groups through the Resource Manager ({@code /v2/resource_groups}) and, when no plan id is
 * configured, the plan id of {@code kms}/{@code dedicated} through the Global Catalog. Immutable
 * apart from a cached plan id; thread-safe.
 */
public final class ResourceControllerClient implements ProvisioningApi {
  /** The catalog name of the Key Protect service. */
  public static final String SERVICE_NAME = "kms";
  /** The catalog name of the Dedicated plan. */
  public static final String PLAN_NAME = "dedicated";
  private static final int MAX_PAGES = 50;

  private final HttpCaller caller;
  private final URI resourceController;
  private final URI resourceManager;
  private final URI globalCatalog;
  private final String resourceGroupName;
  private final AtomicReference<String> planId = new AtomicReference<>();

  /**
   * Creates a client.
   *
   * @param caller the caller
   * @param resourceController the Resource Controller endpoint
   * @param resourceManager the Resource Manager endpoint (resource groups)
   * @param globalCatalog the Global Catalog endpoint (plan id lookup)
   * @param planId the plan id, or null to look it up
   * @param resourceGroupName the resource group name to look up when a request names no group, or null
   */
  public ResourceControllerClient(HttpCaller caller, URI resourceController, URI resourceManager,
      URI globalCatalog, String planId, String resourceGroupName) {
    this.caller = Objects.requireNonNull(caller, "caller");
    this.resourceController = Objects.requireNonNull(resourceController, "resourceController");
    this.resourceManager = Objects.requireNonNull(resourceManager, "resourceManager");
    this.globalCatalog = Objects.requireNonNull(globalCatalog, "globalCatalog");
    this.planId.set(planId);
    this.resourceGroupName = resourceGroupName;
  }

  /** Returns a copy that shares configuration but sends through another caller. */
  public ResourceControllerClient withCaller(HttpCaller other) {
    return new ResourceControllerClient(other, resourceController, resourceManager, globalCatalog,
        planId.get(), resourceGroupName);
  }

  @Override
  public Optional<ServiceInstance> findInstanceByName(String name) {
    Objects.requireNonNull(name, "name");
    Wire wire = new Wire(Operation.FIND_INSTANCE, null);
    String known = planId.get();
    String path = "/v2/resource_instances?name=" + enc(name)
        + (known != null ? "&resource_plan_id=" + enc(known) : "");
    List<ServiceInstance> matches = new ArrayList<>();
    URI next = Endpoints.resolve(resourceController, path);
    for (int page = 0; next != null && page < MAX_PAGES; page++) {
      HttpCaller.Result r = caller.execute(new HttpCaller.Call(Operation.FIND_INSTANCE, "GET", next));
      JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the instance list");
      JsonNode resources = wire.array(root, "resources");
      for (int i = 0; i < resources.size(); i++) {
        JsonNode doc = wire.requireObject(resources.get(i), "instance " + i + " of the list");
        ServiceInstance si = toInstance(wire, doc);
        if (si.name().equals(name) && isKmsDedicated(wire, doc, si, known)
            && si.state() != InstanceState.REMOVED && si.state() != InstanceState.PENDING_RECLAMATION) {
          matches.add(si);
        }
      }
      String nextUrl = wire.optText(root, "next_url");
      next = nextUrl == null || nextUrl.isBlank() ? null : resolveNext(wire, nextUrl);
    }
    if (matches.size() > 1) {
      throw HttpServiceException.builder(Operation.FIND_INSTANCE, 409,
              matches.size() + " Key Protect Dedicated instances are named '" + name + "': "
                  + matches.stream().map(ServiceInstance::id).collect(Collectors.joining(", ")))
          .kind(FailureKind.INVALID_REQUEST)
          .serviceCode("AMBIGUOUS_INSTANCE_NAME")
          .remediation("Select the instance by id or GUID instead of by name, or rename the others.")
          .build();
    }
    return matches.stream().findFirst();
  }

  /**
   * Resolves the next page's URL against the Resource Controller. A URL that does not parse, or
   * that points at another scheme, host or port (where the bearer token would follow it), is a
   * malformed answer.
   */
  private URI resolveNext(Wire wire, String nextUrl) {
    URI u;
    try {
      if (nextUrl.startsWith("/")) {
        return Endpoints.resolve(resourceController, nextUrl);
      }
      u = URI.create(nextUrl);
      if (!u.isAbsolute()) {
        return Endpoints.resolve(resourceController, "/" + nextUrl);
      }
    } catch (IllegalArgumentException e) {
      throw wire.malformed("field 'next_url' is not a URL", e);
    }
    if (!java.util.Objects.equals(u.getScheme(), resourceController.getScheme())
        || !java.util.Objects.equals(u.getHost(), resourceController.getHost())
        || u.getPort() != resourceController.getPort()) {
      throw wire.malformed("field 'next_url' points away from the Resource Controller; the"
          + " token is sent only to " + resourceController.getHost());
    }
    return u;
  }

  private static boolean isKmsDedicated(Wire wire, JsonNode doc, ServiceInstance si, String plan) {
    String docPlan = wire.optText(doc, "resource_plan_id");
    if (plan != null && docPlan != null) {
      return plan.equals(docPlan);
    }
    String[] crn = si.crn().split(":", -1);
    return crn.length > 4 ? crn[4].equals(SERVICE_NAME) : true;
  }

  @Override
  public ServiceInstance createInstance(InstanceRequest request) {
    Objects.requireNonNull(request, "request");
    String plan = planId();
    String group = request.resourceGroupId() != null ? request.resourceGroupId() : resourceGroupId();
    ObjectNode body = Wire.object()
        .put("name", request.name())
        .put("target", request.region())
        .put("resource_plan_id", plan);
    if (group != null) {
      body.put("resource_group", group);
    }
    body.putObject("parameters").put("crypto_units", request.cryptoUnits());
    HttpCaller.Result r = caller.execute(new HttpCaller.Call(Operation.CREATE_INSTANCE, "POST",
        Endpoints.resolve(resourceController, "/v2/resource_instances")).json(Wire.bytes(body)));
    Wire wire = new Wire(Operation.CREATE_INSTANCE, null);
    return toInstance(wire, wire.requireObject(wire.parse(r.body(), r.contentType()), "the instance"));
  }

  @Override
  public ServiceInstance getInstance(String instanceId) {
    Objects.requireNonNull(instanceId, "instanceId");
    HttpCaller.Result r = caller.execute(new HttpCaller.Call(Operation.GET_INSTANCE, "GET",
        Endpoints.resolve(resourceController, "/v2/resource_instances/" + enc(instanceId))));
    Wire wire = new Wire(Operation.GET_INSTANCE, null);
    return toInstance(wire, wire.requireObject(wire.parse(r.body(), r.contentType()), "the instance"));
  }

  /** Returns the plan id: configured, or looked up in the Global Catalog once and cached. */
  String planId() {
    String known = planId.get();
    if (known != null) {
      return known;
    }
    Wire wire = new Wire(Operation.CREATE_INSTANCE, null);
    String serviceId = catalogChild(wire,
        Endpoints.resolve(globalCatalog, "/api/v1?q=" + enc("name:" + SERVICE_NAME + " kind:service")),
        SERVICE_NAME, "service");
    String plan = catalogChild(wire,
        Endpoints.resolve(globalCatalog, "/api/v1/" + enc(serviceId) + "/plan"), PLAN_NAME, "plan");
    planId.compareAndSet(null, plan);
    return planId.get();
  }

  private String catalogChild(Wire wire, URI uri, String name, String kind) {
    HttpCaller.Result r = caller.execute(new HttpCaller.Call(Operation.CREATE_INSTANCE, "GET", uri));
    JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the catalog answer");
    JsonNode resources = wire.array(root, "resources");
    for (int i = 0; i < resources.size(); i++) {
      JsonNode e = wire.requireObject(resources.get(i), "catalog entry " + i);
      if (name.equals(wire.optText(e, "name"))) {
        return wire.text(e, "id");
      }
    }
    throw HttpServiceException.builder(Operation.CREATE_INSTANCE, 404,
            "The Global Catalog has no " + kind + " named '" + name + "'")
        .retryable(false)
        .remediation("Set the plan id explicitly (HttpTransport.Builder.resourcePlanId or"
            + " KP_DEDICATED_PLAN_ID).")
        .build();
  }

  /** Returns the id of the configured resource group name, or null when none is configured. */
  String resourceGroupId() {
    if (resourceGroupName == null) {
      return null;
    }
    Wire wire = new Wire(Operation.CREATE_INSTANCE, null);
    HttpCaller.Result r = caller.execute(new HttpCaller.Call(Operation.CREATE_INSTANCE, "GET",
        Endpoints.resolve(resourceManager, "/v2/resource_groups?name=" + enc(resourceGroupName))));
    JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the resource group list");
    JsonNode resources = wire.array(root, "resources");
    for (int i = 0; i < resources.size(); i++) {
      JsonNode g = wire.requireObject(resources.get(i), "resource group " + i);
      if (resourceGroupName.equals(wire.optText(g, "name"))) {
        return wire.text(g, "id");
      }
    }
    throw HttpServiceException.builder(Operation.CREATE_INSTANCE, 404,
            "No resource group is named '" + resourceGroupName + "'")
        .retryable(false)
        .remediation("Check the resource group name (ibmcloud resource groups) or pass its id in"
            + " the InstanceRequest.")
        .build();
  }

  /**
   * Maps a Resource Controller instance document.
   *
   * @param wire the reading context
   * @param doc the document
   * @return the instance
   */
  public static ServiceInstance toInstance(Wire wire, JsonNode doc) {
    String id = wire.text(doc, "id");
    String guid = wire.text(doc, "guid");
    String crn = wire.optText(doc, "crn");
    String name = wire.optText(doc, "name");
    String state = wire.optText(doc, "state");
    String region = wire.optText(doc, "region_id");
    URI publicEndpoint = null;
    URI privateEndpoint = null;
    int units = 0;
    JsonNode ext = wire.optObject(doc, "extensions");
    if (ext != null) {
      JsonNode endpoints = wire.optObject(ext, "endpoints");
      if (endpoints != null) {
        publicEndpoint = endpoint(wire, wire.optText(endpoints, "public"), "public");
        privateEndpoint = endpoint(wire, wire.optText(endpoints, "private"), "private");
      }
      if (ext.has("crypto_units") && !ext.get("crypto_units").isNull()) {
        units = wire.integer(ext, "crypto_units");
      }
    }
    JsonNode params = wire.optObject(doc, "parameters");
    if (units == 0 && params != null && params.has("crypto_units") && !params.get("crypto_units").isNull()) {
      units = wire.integer(params, "crypto_units");
    }
    String lastOp = null;
    JsonNode op = wire.optObject(doc, "last_operation");
    if (op != null) {
      String type = wire.optText(op, "type");
      String opState = wire.optText(op, "state");
      String desc = wire.optText(op, "description");
      // The description is a sentence of its own; "type state" only when there is none.
      lastOp = desc != null && !desc.isBlank() ? desc
          : String.join(" ", java.util.stream.Stream.of(type, opState)
              .filter(Objects::nonNull).toArray(String[]::new));
      lastOp = lastOp.isBlank() ? null : lastOp;
    }
    try {
      return new ServiceInstance(id, guid, crn == null ? id : crn, name == null ? "" : name,
          InstanceState.fromWire(state), state == null ? "" : state, region, publicEndpoint,
          privateEndpoint, Math.max(0, units), lastOp);
    } catch (IllegalArgumentException e) {
      throw wire.malformed("the instance document is invalid: " + e.getMessage(), e);
    }
  }

  private static URI endpoint(Wire wire, String value, String which) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.contains("://") ? value : "https://" + value;
    try {
      URI u = URI.create(v);
      if (!u.isAbsolute() || u.getHost() == null) {
        throw wire.malformed("the " + which + " endpoint (" + value.length()
            + " characters) is not a URL");
      }
      return Endpoints.stripTrailingSlash(u);
    } catch (IllegalArgumentException e) {
      throw wire.malformed("the " + which + " endpoint (" + value.length()
          + " characters) is not a URL", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "ResourceControllerClient[" + resourceController + "]";
  }
}
