package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InstanceFailedException;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The checks an instance found by name, or read while waiting, must pass. */
class InstanceChecksTest {
  private static final URI PUBLIC = URI.create("https://g1.api.us-south.kms.appdomain.cloud");
  private static final URI PRIVATE = URI.create("https://g1.api.private.us-south.kms.appdomain.cloud");

  private static ServiceInstance instance(String region, int units, InstanceState state,
      URI publicEndpoint, URI privateEndpoint) {
    return new ServiceInstance("crn:1", "g1", "crn:1", "kp", state, state.wireValue(), region,
        publicEndpoint, privateEndpoint, units, null);
  }

  private static ServiceInstance inRegion(String region, int units) {
    return instance(region, units, InstanceState.ACTIVE, PUBLIC, PRIVATE);
  }

  private static final InstanceRequest REQUEST =
      new InstanceRequest("kp", "us-south", null, 2);

  @Test
  void acceptsTheRequestedRegionAndUnitCount() {
    assertThatCode(() -> InstanceResolver.checkMatches(inRegion("us-south", 2), REQUEST))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAnInstanceInAForeignRegionEvenWithTheRightUnitCount() {
    assertThatThrownBy(() -> InstanceResolver.checkMatches(inRegion("eu-de", 2), REQUEST))
        .isInstanceOfSatisfying(InitializationException.class, e -> {
          assertThat(e).hasMessageContaining("exists in region eu-de, but region us-south was"
              + " requested").hasMessageContaining("'kp' (crn:1)");
          assertThat(e.remediation()).get().asString().contains("Request region eu-de");
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  void comparesRegionsIgnoringCaseAndSurroundingBlanks() {
    assertThatCode(() -> InstanceResolver.checkMatches(inRegion(" US-South ", 2), REQUEST))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsAnInstanceThatReportsNoRegionOrNoUnitCount() {
    assertThatCode(() -> InstanceResolver.checkMatches(inRegion(null, 2), REQUEST))
        .doesNotThrowAnyException();
    assertThatCode(() -> InstanceResolver.checkMatches(inRegion("  ", 2), REQUEST))
        .doesNotThrowAnyException();
    assertThatCode(() -> InstanceResolver.checkMatches(inRegion("us-south", 0), REQUEST))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAnotherUnitCountInTheRightRegion() {
    assertThatThrownBy(() -> InstanceResolver.checkMatches(inRegion("us-south", 3), REQUEST))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("exists with 3 crypto units, but 2 were requested")
        .satisfies(e -> assertThat(((InitializationException) e).remediation()).get().asString()
            .contains("Request 3 crypto units"));
  }

  @Test
  void anActiveInstanceIsDoneAndAProvisioningOneIsNotYet() {
    assertThat(InstanceResolver.classify(inRegion("us-south", 2)).done()).isTrue();
    assertThat(InstanceResolver.classify(instance("us-south", 2, InstanceState.PROVISIONING,
        null, null)).done()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = InstanceState.class,
      names = {"FAILED", "REMOVED", "PENDING_RECLAMATION", "INACTIVE"})
  void aTerminalStateFailsAtOnce(InstanceState state) {
    assertThatThrownBy(() -> InstanceResolver.classify(instance("us-south", 2, state, null,
        null))).isInstanceOfSatisfying(InstanceFailedException.class,
            e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void prefersThePublicEndpoint() {
    ResolvedInstance r = InstanceResolver.endpointOf(inRegion("us-south", 2), true);

    assertThat(r.target().endpoint()).isEqualTo(PUBLIC);
    assertThat(r.target().instanceGuid()).isEqualTo("g1");
  }

  @Test
  void usesAPrivateOnlyEndpointOnlyWhenAllowed() {
    ServiceInstance privateOnly = instance("us-south", 2, InstanceState.ACTIVE, null, PRIVATE);

    assertThat(InstanceResolver.endpointOf(privateOnly, true).target().endpoint())
        .isEqualTo(PRIVATE);
    assertThatThrownBy(() -> InstanceResolver.endpointOf(privateOnly, false))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("reports only a private endpoint")
        .satisfies(e -> assertThat(((InitializationException) e).remediation()).get().asString()
            .contains("allowPrivateEndpoint(true)"));
  }

  @Test
  void anActiveInstanceWithoutAnyEndpointIsWorthAnotherRun() {
    ServiceInstance none = instance("us-south", 2, InstanceState.ACTIVE, null, null);

    assertThatThrownBy(() -> InstanceResolver.endpointOf(none, true))
        .isInstanceOfSatisfying(InitializationException.class, e -> {
          assertThat(e).hasMessageContaining("reports no crypto-unit endpoint");
          assertThat(e.retryable()).isTrue();
        });
  }
}
