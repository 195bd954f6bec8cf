package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Reusing an instance by name whatever its unit count ({@code createOrReuseAnyUnitCount}). */
class InstanceReuseTest {
  private static final InstanceRequest REQUEST = InstanceRequest.named("kp").withCryptoUnits(2);

  private static ServiceInstance found(String region, int units) {
    return new ServiceInstance("crn:1", "g1", "crn:1", "kp", InstanceState.ACTIVE, "active",
        region, URI.create("https://g1.api.us-south.kms.appdomain.cloud"), null, units, null);
  }

  @Test
  void theSelectorsSayWhetherAnyUnitCountIsAccepted() {
    assertThat(InstanceSelector.createOrReuseAnyUnitCount(REQUEST))
        .isEqualTo(new InstanceSelector.CreateOrReuse(REQUEST, true));
    assertThat(InstanceSelector.createOrReuse(REQUEST))
        .isEqualTo(new InstanceSelector.CreateOrReuse(REQUEST))
        .isEqualTo(new InstanceSelector.CreateOrReuse(REQUEST, false));
  }

  @Test
  void anyUnitCountReusesAnInstanceWithAnotherCount() {
    assertThatCode(() -> InstanceResolver.checkMatches(found("us-south", 3), REQUEST, true))
        .doesNotThrowAnyException();
  }

  @Test
  void theStrictSelectorStillRefusesAnotherCount() {
    assertThatThrownBy(() -> InstanceResolver.checkMatches(found("us-south", 3), REQUEST, false))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("exists with 3 crypto units, but 2 were requested");
  }

  @Test
  void anyUnitCountStillRefusesAnotherRegion() {
    assertThatThrownBy(() -> InstanceResolver.checkMatches(found("eu-de", 3), REQUEST, true))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("exists in region eu-de");
  }
}
