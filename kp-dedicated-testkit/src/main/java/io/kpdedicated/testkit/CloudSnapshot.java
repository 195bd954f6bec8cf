package io.kpdedicated.testkit;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Every instance of an in-memory cloud at one moment, in creation order.
 *
 * @param instances the instances
 */
public record CloudSnapshot(List<InstanceSnapshot> instances) {
  /**
   * Copies the list.
   *
   * @param instances the instances
   */
  public CloudSnapshot {
    instances = List.copyOf(instances);
  }

  /**
   * Returns the instance with this id (CRN), GUID or name.
   *
   * @param idGuidOrName the id, GUID or name
   * @return the instance
   * @throws NoSuchElementException if there is none
   */
  public InstanceSnapshot instance(String idGuidOrName) {
    return instances.stream()
        .filter(i -> i.instance().id().equals(idGuidOrName)
            || i.instance().guid().equals(idGuidOrName)
            || i.instance().name().equals(idGuidOrName))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no instance " + idGuidOrName));
  }

  /**
   * Returns the only instance.
   *
   * @return the instance
   * @throws IllegalStateException if there is not exactly one
   */
  public InstanceSnapshot onlyInstance() {
    if (instances.size() != 1) {
      throw new IllegalStateException("expected exactly one instance, found " + instances.size());
    }
    return instances.get(0);
  }
}
