package io.kpdedicated.examples;

import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import java.util.Map;

/**
 * Where the examples run: IBM Cloud when {@code IBMCLOUD_API_KEY} is set (instance from
 * {@code KP_INSTANCE_ID}, else created or reused by the name {@code KP_EXAMPLE_INSTANCE}), otherwise
 * an in-memory Dedicated cloud in this process.
 *
 * @param transport the transport to give the initializer
 * @param instance which instance to initialize
 * @param description one line saying where this runs
 */
public record ExampleCloud(DedicatedTransport transport, InstanceSelector instance,
    String description) {

  /**
   * Picks the cloud from environment variables.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the cloud
   */
  public static ExampleCloud fromEnvironment(Map<String, String> env) {
    if (!targetsIbmCloud(env)) {
      return inMemory(InMemoryDedicatedCloud.builder().provisioningPolls(2).build());
    }
    HttpTransport transport = HttpTransport.fromEnvironment(env);
    String id = env.getOrDefault("KP_INSTANCE_ID", "");
    InstanceSelector instance = id.isBlank()
        ? InstanceSelector.createOrReuse(InstanceRequest.named(
            env.getOrDefault("KP_EXAMPLE_INSTANCE", "kpd-example")))
        : InstanceSelector.existing(id);
    return new ExampleCloud(transport, instance, "IBM Cloud");
  }

  /**
   * Tells whether {@link #fromEnvironment(Map)} picks IBM Cloud: {@code IBMCLOUD_API_KEY} is set.
   *
   * @param env the environment
   * @return true for IBM Cloud, false for the in-memory cloud
   */
  public static boolean targetsIbmCloud(Map<String, String> env) {
    return !env.getOrDefault("IBMCLOUD_API_KEY", "").isBlank();
  }

  /**
   * Runs against an in-memory cloud: a new instance named {@code kpd-example} with 2 units.
   *
   * @param cloud the cloud
   * @return the example cloud
   */
  public static ExampleCloud inMemory(InMemoryDedicatedCloud cloud) {
    return new ExampleCloud(InMemoryTransport.over(cloud),
        InstanceSelector.createOrReuse(InstanceRequest.named("kpd-example")),
        "an in-memory Key Protect Dedicated cloud (set IBMCLOUD_API_KEY to use IBM Cloud)");
  }
}
