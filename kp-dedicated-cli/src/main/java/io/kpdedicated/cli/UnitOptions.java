package io.kpdedicated.cli;

import io.kpdedicated.core.model.CryptoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --id UNIT ...}: the crypto units a command works on (default: all). A picocli mixin. */
final class UnitOptions {
  @Option(names = "--id", paramLabel = "UNIT", split = ",",
      description = "Work only on these crypto units (repeat or separate with commas; default:"
          + " all units of the instance).")
  List<String> ids = new ArrayList<>();

  /** Returns the selected units in the service's order; fails if an id is unknown. */
  List<CryptoUnit> select(List<CryptoUnit> all) {
    if (ids.isEmpty()) {
      return all;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String id : ids) {
      if (id.isBlank()) {
        throw CliException.badInput("--id must not be blank");
      }
      wanted.add(id.trim());
    }
    Set<String> known = new LinkedHashSet<>();
    all.forEach(u -> known.add(u.id()));
    for (String id : wanted) {
      if (!known.contains(id)) {
        throw CliException.badInput("the instance has no crypto unit '" + id + "'; its units are: "
            + String.join(", ", known));
      }
    }
    return all.stream().filter(u -> wanted.contains(u.id())).toList();
  }
}
