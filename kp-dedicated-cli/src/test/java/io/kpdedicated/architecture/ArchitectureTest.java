package io.kpdedicated.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module rules, checked over the classes of every library module and the command line (this
 * module sees them all): arrows point one way only (crypto &lt;- core &lt;- http &lt;- native
 * &lt;- testkit &lt;- the command line), no module uses another module's {@code internal}
 * package, and core knows neither HTTP, JSON nor JNA.
 */
@AnalyzeClasses(packages = "io.kpdedicated", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String CRYPTO = "crypto";
  private static final String CORE = "core";
  private static final String HTTP = "http";
  private static final String NATIVE = "native";
  private static final String TESTKIT = "testkit";
  private static final String PROGRAMS = "examples and kpd";

  @ArchTest
  static final ArchRule arrowsPointOneWayOnly = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer(CRYPTO).definedBy("io.kpdedicated", "io.kpdedicated.crypto..")
      .layer(CORE).definedBy("io.kpdedicated.core..")
      .layer(HTTP).definedBy("io.kpdedicated.http..")
      .layer(NATIVE).definedBy("io.kpdedicated.nativehsm..")
      .layer(TESTKIT).definedBy("io.kpdedicated.testkit..")
      .layer(PROGRAMS).definedBy("io.kpdedicated.examples..", "io.kpdedicated.cli..")
      .whereLayer(PROGRAMS).mayNotBeAccessedByAnyLayer()
      .whereLayer(TESTKIT).mayOnlyBeAccessedByLayers(PROGRAMS)
      .whereLayer(NATIVE).mayOnlyBeAccessedByLayers(TESTKIT, PROGRAMS)
      .whereLayer(HTTP).mayOnlyBeAccessedByLayers(NATIVE, TESTKIT, PROGRAMS)
      .whereLayer(CORE).mayOnlyBeAccessedByLayers(HTTP, NATIVE, TESTKIT, PROGRAMS)
      .whereLayer(CRYPTO).mayOnlyBeAccessedByLayers(CORE, HTTP, NATIVE, TESTKIT, PROGRAMS);

  @ArchTest
  static final ArchRule cryptoInternalsStayInCrypto = noClasses()
      .that().resideOutsideOfPackages("io.kpdedicated.crypto..")
      .should().dependOnClassesThat().resideInAPackage("io.kpdedicated.crypto.internal..");

  @ArchTest
  static final ArchRule coreInternalsStayInCore = noClasses()
      .that().resideOutsideOfPackages("io.kpdedicated.core..")
      .should().dependOnClassesThat().resideInAPackage("io.kpdedicated.core.internal..");

  @ArchTest
  static final ArchRule httpInternalsStayInHttp = noClasses()
      .that().resideOutsideOfPackages("io.kpdedicated.http..")
      .should().dependOnClassesThat().resideInAPackage("io.kpdedicated.http.internal..");

  @ArchTest
  static final ArchRule nativeInternalsStayInNative = noClasses()
      .that().resideOutsideOfPackages("io.kpdedicated.nativehsm..")
      .should().dependOnClassesThat().resideInAPackage("io.kpdedicated.nativehsm.internal..");

  @ArchTest
  static final ArchRule onlyNativeAndTheStandInKnowJna = noClasses()
      .that().resideInAnyPackage("io.kpdedicated", "io.kpdedicated.crypto..",
          "io.kpdedicated.core..", "io.kpdedicated.http..")
      .should().dependOnClassesThat().resideInAPackage("com.sun.jna..");

  @ArchTest
  static final ArchRule coreKnowsNoHttp = noClasses()
      .that().resideInAPackage("io.kpdedicated.core..")
      .should().dependOnClassesThat().resideInAnyPackage("java.net.http..",
          "com.sun.net.httpserver..", "com.fasterxml.jackson..");

  @ArchTest
  static final ArchRule coreSpiNamesNoHttpType = noClasses()
      .that().resideInAPackage("io.kpdedicated.core.spi..")
      .should().haveSimpleNameContaining("Http")
      .orShould().haveSimpleNameContaining("Signed");
}
