package io.kpdedicated.core.internal;

import static io.kpdedicated.core.fakes.FakeCloud.drop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationEvent.StepSkipped;
import io.kpdedicated.core.InitializationEvent.StepSucceeded;
import io.kpdedicated.core.InitializationPlan.InstanceAction;
import io.kpdedicated.core.InstanceFailedException;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeCloud.FaultMode;
import io.kpdedicated.core.fakes.ManualClock;
import io.kpdedicated.core.fakes.RecordingListener;
import io.kpdedicated.core.fakes.RecordingSleeper;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ProvisioningApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Finding, creating and waiting for the instance, and what each step says it did. */
class InstanceResolverTest {
  private static final InstanceRequest REQUEST = InstanceRequest.named("kpd-test");
  private static final URI ENDPOINT = URI.create("https://g9.api.us-south.kms.appdomain.cloud");

  private final ManualClock clock = new ManualClock();
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final RecordingListener listener = new RecordingListener();
  private final Events events = new Events(listener);

  private InstanceResolver resolver(ProvisioningApi api, boolean dryRun) {
    RetryExecutor retry = new RetryExecutor(new RetryPolicy(3, Duration.ofMillis(100), 2.0,
        Duration.ofSeconds(1), 0.0).toRetryConfig(), RetryRegistry.ofDefaults(), sleeper,
        events);
    return new InstanceResolver(api, retry, new Waiter(clock, sleeper, events),
        new WaitPolicy(Duration.ofSeconds(5), Duration.ofSeconds(5), 1.0, Duration.ofMinutes(1)),
        false, new StepRunner(events), dryRun);
  }

  private String succeeded(Step step) {
    return listener.of(StepSucceeded.class).stream().filter(e -> e.step() == step)
        .map(StepSucceeded::detail).findFirst().orElseThrow();
  }

  private String skipped(Step step) {
    return listener.of(StepSkipped.class).stream().filter(e -> e.step() == step)
        .map(StepSkipped::reason).findFirst().orElseThrow();
  }

  /** A Resource Controller that knows one instance, in the states given, one per read. */
  private static final class OneInstance implements ProvisioningApi {
    final List<ServiceInstance> reads = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    OneInstance(int units, InstanceState... states) {
      for (InstanceState s : states) {
        boolean active = s == InstanceState.ACTIVE;
        reads.add(new ServiceInstance("crn:9", "g9", "crn:9", "kpd-test", s, s.wireValue(),
            "us-south", active ? ENDPOINT : null, null, units, "create failed"));
      }
    }

    @Override
    public Optional<ServiceInstance> findInstanceByName(String name) {
      calls.add("find " + name);
      return Optional.of(reads.get(0));
    }

    @Override
    public ServiceInstance createInstance(InstanceRequest request) {
      throw new AssertionError("no create expected");
    }

    @Override
    public ServiceInstance getInstance(String instanceId) {
      calls.add("get " + instanceId);
      return reads.size() > 1 ? reads.remove(0) : reads.get(0);
    }
  }

  @Test
  void aGivenTargetIsUsedWithoutAnyCall() {
    InstanceTarget target = new InstanceTarget(ENDPOINT, "g9");
    OneInstance api = new OneInstance(2, InstanceState.ACTIVE);
    InstanceResolver r = resolver(api, false);

    ResolvedInstance resolved = r.resolve(InstanceSelector.target(target));

    assertThat(resolved.target()).isEqualTo(target);
    assertThat(resolved.instance()).isNull();
    assertThat(r.action()).isEqualTo(InstanceAction.USE_TARGET);
    assertThat(r.instance()).isNull();
    assertThat(api.calls).isEmpty();
    assertThat(skipped(Step.PROVISION)).isEqualTo("the endpoint " + ENDPOINT + " was given");
  }

  @Test
  void anActiveInstanceFoundByNameIsReusedWithoutWaiting() {
    InstanceResolver r = resolver(new OneInstance(2, InstanceState.ACTIVE), false);

    ResolvedInstance resolved = r.resolve(InstanceSelector.createOrReuse(REQUEST));

    assertThat(r.action()).isEqualTo(InstanceAction.REUSE);
    assertThat(resolved.target()).isEqualTo(new InstanceTarget(ENDPOINT, "g9"));
    assertThat(r.instance().guid()).isEqualTo("g9");
    assertThat(succeeded(Step.PROVISION)).isEqualTo("reusing instance 'kpd-test' (crn:9),"
        + " state active, 2 crypto units");
    assertThat(skipped(Step.WAIT_ACTIVE)).isEqualTo("the instance is active");
    assertThat(succeeded(Step.RESOLVE_ENDPOINT)).isEqualTo("crypto units at " + ENDPOINT
        + ", instance GUID g9");
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(r.attempts()).isEqualTo(1);
  }

  @Test
  void anInstanceThatReportsNoUnitCountIsDescribedWithoutOne() {
    InstanceResolver r = resolver(new OneInstance(0, InstanceState.ACTIVE), false);

    r.resolve(InstanceSelector.createOrReuse(REQUEST));

    assertThat(succeeded(Step.PROVISION)).isEqualTo("reusing instance 'kpd-test' (crn:9),"
        + " state active");
  }

  @Test
  void anExistingInstanceIsReadByIdAndWaitedForUntilActive() {
    OneInstance api = new OneInstance(2, InstanceState.PROVISIONING, InstanceState.PROVISIONING,
        InstanceState.ACTIVE);
    InstanceResolver r = resolver(api, false);

    ResolvedInstance resolved = r.resolve(InstanceSelector.existing("crn:9"));

    assertThat(r.action()).isEqualTo(InstanceAction.REUSE);
    assertThat(resolved.instance().state()).isEqualTo(InstanceState.ACTIVE);
    assertThat(r.instance().state()).isEqualTo(InstanceState.ACTIVE);
    assertThat(succeeded(Step.PROVISION)).isEqualTo("using existing instance 'kpd-test' (crn:9)");
    assertThat(succeeded(Step.WAIT_ACTIVE)).isEqualTo("the instance is active");
    assertThat(api.calls).containsExactly("get crn:9", "get crn:9", "get crn:9");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void aFailedInstanceFailsAtOnceWithoutWaiting() {
    OneInstance api = new OneInstance(2, InstanceState.FAILED);

    assertThatThrownBy(() -> resolver(api, false).resolve(InstanceSelector.existing("crn:9")))
        .isInstanceOf(InstanceFailedException.class);
    assertThat(api.calls).containsExactly("get crn:9");
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void aPlanNeitherWaitsForAnInstanceStillProvisioningNorReadsItsEndpoint() {
    OneInstance api = new OneInstance(2, InstanceState.PROVISIONING, InstanceState.ACTIVE);
    InstanceResolver r = resolver(api, true);

    assertThat(r.resolve(InstanceSelector.createOrReuse(REQUEST))).isNull();

    assertThat(r.action()).isEqualTo(InstanceAction.REUSE);
    assertThat(r.instance().state()).isEqualTo(InstanceState.PROVISIONING);
    assertThat(succeeded(Step.WAIT_ACTIVE)).isEqualTo("would wait until the instance is active");
    assertThat(succeeded(Step.RESOLVE_ENDPOINT))
        .isEqualTo("would read the instance's endpoint");
    assertThat(api.calls).containsExactly("find kpd-test");
  }

  @Test
  void aPlanFailsForATerminalInstanceAsARunWould() {
    OneInstance api = new OneInstance(2, InstanceState.REMOVED);

    assertThatThrownBy(() -> resolver(api, true).resolve(InstanceSelector.createOrReuse(REQUEST)))
        .isInstanceOf(InstanceFailedException.class);
  }

  @Test
  void aPlanForAnActiveInstanceReadsItsEndpoint() {
    InstanceResolver r = resolver(new OneInstance(2, InstanceState.ACTIVE), true);

    assertThat(r.resolve(InstanceSelector.createOrReuse(REQUEST)).target().endpoint())
        .isEqualTo(ENDPOINT);
  }

  @Test
  void aPlanForAMissingInstanceSaysWhatItWouldCreate() {
    FakeCloud cloud = new FakeCloud();
    InstanceResolver r = resolver(cloud, true);

    assertThat(r.resolve(InstanceSelector.createOrReuse(REQUEST))).isNull();

    assertThat(r.action()).isEqualTo(InstanceAction.CREATE);
    assertThat(r.instance()).isNull();
    assertThat(succeeded(Step.PROVISION)).isEqualTo("would create instance 'kpd-test' with 2"
        + " crypto units in us-south");
    assertThat(cloud.calls(Operation.CREATE_INSTANCE, null)).isZero();
    assertThat(cloud.instance()).isNull();
  }

  @Test
  void aMissingInstanceIsCreatedAndWaitedFor() {
    FakeCloud cloud = new FakeCloud().pollsUntilActive(2);
    InstanceResolver r = resolver(cloud, false);

    ResolvedInstance resolved = r.resolve(InstanceSelector.createOrReuse(REQUEST));

    assertThat(r.action()).isEqualTo(InstanceAction.REUSE);
    assertThat(resolved.instance().state()).isEqualTo(InstanceState.ACTIVE);
    assertThat(succeeded(Step.PROVISION)).isEqualTo("created instance 'kpd-test' ("
        + FakeCloud.CRN + ") with 2 crypto units in us-south");
    assertThat(succeeded(Step.WAIT_ACTIVE)).isEqualTo("the instance is active");
    assertThat(cloud.calls(Operation.CREATE_INSTANCE, null)).isEqualTo(1);
    assertThat(r.attempts()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aCreateThatFailedBeforeCreatingIsRetriedAsACreate() {
    FakeCloud cloud = new FakeCloud();
    cloud.fail(Operation.CREATE_INSTANCE, null, drop(Operation.CREATE_INSTANCE, null));

    resolver(cloud, false).resolve(InstanceSelector.createOrReuse(REQUEST));

    assertThat(cloud.calls(Operation.CREATE_INSTANCE, null)).isEqualTo(2);
    assertThat(cloud.calls(Operation.FIND_INSTANCE, null)).isEqualTo(2);
    assertThat(cloud.instance()).isNotNull();
  }

  @Test
  void aCreateWhoseAnswerWasLostIsFoundInsteadOfCreatedTwice() {
    FakeCloud cloud = new FakeCloud();
    cloud.fail(Operation.CREATE_INSTANCE, null, FaultMode.AFTER,
        drop(Operation.CREATE_INSTANCE, null));
    InstanceResolver r = resolver(cloud, false);

    ResolvedInstance resolved = r.resolve(InstanceSelector.createOrReuse(REQUEST));

    assertThat(cloud.calls(Operation.CREATE_INSTANCE, null)).isEqualTo(1);
    assertThat(resolved.instance().guid()).isEqualTo(FakeCloud.GUID);
    assertThat(listener.of(InitializationEvent.Retrying.class)).hasSize(1);
  }

  @Test
  void aCreatedInstanceInAnotherRegionThanRequestedIsRefused() {
    FakeCloud cloud = new FakeCloud();

    assertThatThrownBy(() -> resolver(cloud, false).resolve(InstanceSelector.createOrReuse(
        new InstanceRequest("kpd-test", "eu-de", null, 2))))
        .isInstanceOf(io.kpdedicated.core.InitializationException.class)
        .hasMessageContaining("exists in region us-south, but region eu-de was requested");
  }
}
