package io.kpdedicated.core.model;

import java.util.Objects;

/**
 * What to provision: a Key Protect Dedicated instance.
 *
 * <p>The crypto unit count is 2 (the default) or 3 and can never change after creation.
 *
 * @param name the instance name (unique within the account, used to find it again)
 * @param region the region, for example {@code us-south}
 * @param resourceGroupId the resource group id, or {@code null} for the account's default group
 * @param cryptoUnits 2 or 3
 */
public record InstanceRequest(String name, String region, String resourceGroupId, int cryptoUnits) {
  /** The region Dedicated supports today. */
  public static final String DEFAULT_REGION = "us-south";
  /** The crypto unit count used when none is given. */
  public static final int DEFAULT_CRYPTO_UNITS = 2;

  /**
   * Validates the fields.
   *
   * @param name the instance name
   * @param region the region
   * @param resourceGroupId the resource group id, or {@code null} for the account's default group
   * @param cryptoUnits 2 or 3
   * @throws NullPointerException if {@code name} or {@code region} is null
   * @throws IllegalArgumentException if a text is blank or {@code cryptoUnits} is neither 2 nor 3
   */
  public InstanceRequest {
    CryptoUnit.requireText(name, "name");
    CryptoUnit.requireText(region, "region");
    if (resourceGroupId != null && resourceGroupId.isBlank()) {
      throw new IllegalArgumentException("resourceGroupId must not be blank (use null for the default group)");
    }
    if (cryptoUnits != 2 && cryptoUnits != 3) {
      throw new IllegalArgumentException(
          "cryptoUnits must be 2 or 3 (Key Protect Dedicated supports no other count), got "
              + cryptoUnits);
    }
  }

  /**
   * Creates a request for the default region and 2 crypto units in the default resource group.
   *
   * @param name the instance name
   * @return the request
   */
  public static InstanceRequest named(String name) {
    return new InstanceRequest(Objects.requireNonNull(name, "name"), DEFAULT_REGION, null,
        DEFAULT_CRYPTO_UNITS);
  }

  /**
   * Returns a copy of this request with another crypto unit count, for example
   * {@code InstanceRequest.named("kp-prod").withCryptoUnits(3)}.
   *
   * @param count the crypto unit count, 2 or 3
   * @return the new request
   * @throws IllegalArgumentException if {@code count} is neither 2 nor 3
   */
  public InstanceRequest withCryptoUnits(int count) {
    return new InstanceRequest(name, region, resourceGroupId, count);
  }

  /**
   * Returns a copy of this request in another region.
   *
   * @param region the region, for example {@code us-south}
   * @return the new request
   * @throws NullPointerException if {@code region} is null
   * @throws IllegalArgumentException if {@code region} is blank
   */
  public InstanceRequest withRegion(String region) {
    return new InstanceRequest(name, region, resourceGroupId, cryptoUnits);
  }

  /**
   * Returns a copy of this request that creates the instance in the given resource group.
   *
   * @param resourceGroupId the resource group id, or {@code null} for the account's default group
   * @return the new request
   * @throws IllegalArgumentException if {@code resourceGroupId} is blank
   */
  public InstanceRequest withResourceGroupId(String resourceGroupId) {
    return new InstanceRequest(name, region, resourceGroupId, cryptoUnits);
  }
}
