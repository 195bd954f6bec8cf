package io.kpdedicated.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstanceRequestTest {

  @Test
  void namedRequestAsksForTwoUnitsInTheDefaultRegionAndGroup() {
    InstanceRequest request = InstanceRequest.named("kp-prod");

    assertThat(request).isEqualTo(new InstanceRequest("kp-prod", "us-south", null, 2));
  }

  @Test
  void withCryptoUnitsChangesOnlyTheCount() {
    InstanceRequest request = InstanceRequest.named("kp-prod").withResourceGroupId("rg-1");

    assertThat(request.withCryptoUnits(3))
        .isEqualTo(new InstanceRequest("kp-prod", "us-south", "rg-1", 3));
    assertThat(request.cryptoUnits()).isEqualTo(2);
  }

  @Test
  void withRegionAndWithResourceGroupIdChangeOnlyTheirField() {
    InstanceRequest request = InstanceRequest.named("kp-prod").withCryptoUnits(3);

    assertThat(request.withRegion("eu-de"))
        .isEqualTo(new InstanceRequest("kp-prod", "eu-de", null, 3));
    assertThat(request.withResourceGroupId("rg-1").withResourceGroupId(null)).isEqualTo(request);
  }

  @Test
  void factoriesValidateLikeTheConstructor() {
    InstanceRequest request = InstanceRequest.named("kp-prod");

    assertThatThrownBy(() -> request.withCryptoUnits(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cryptoUnits must be 2 or 3");
    assertThatThrownBy(() -> request.withRegion(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
    assertThatThrownBy(() -> request.withResourceGroupId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resourceGroupId");
    assertThatThrownBy(() -> InstanceRequest.named(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("name");
  }
}
