package io.kpdedicated.core.spi;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import java.util.Optional;

/** Service instances in the Resource Controller. Implementations are thread-safe. */
public interface ProvisioningApi {

  /**
   * Finds a Key Protect Dedicated instance by exact name.
   *
   * @param name the instance name
   * @return the instance, or empty when none has that name
   * @throws ServiceException if several instances have that name (the message lists their ids)
   *     or the service refused the call
   * @throws TransportException if no usable answer arrived
   */
  Optional<ServiceInstance> findInstanceByName(String name);

  /**
   * Creates an instance (service {@code kms}, plan {@code dedicated}). Returns at once; the instance
   * is usually still {@code provisioning}.
   *
   * @param request what to create
   * @return the instance as first reported
   */
  ServiceInstance createInstance(InstanceRequest request);

  /**
   * Reads an instance.
   *
   * @param instanceId the instance id (CRN) or GUID
   * @return the instance
   * @throws ServiceException with status 404 if it does not exist
   */
  ServiceInstance getInstance(String instanceId);
}
