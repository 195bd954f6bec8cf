package io.kpdedicated.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module rules, checked over the classes of every module: arrows point one way only (crypto
 * &lt;- core &lt;- http &lt;- testkit &lt;- examples and the command line), no module uses another
 * module's {@code internal} package, and core knows neither HTTP nor JSON.
 */
@AnalyzeClasses(packages = "io.kpdedicated", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String CRYPTO = "crypto";
  private static final String CORE = "core";
  private static final String HTTP = "http";
  private static final String TESTKIT = "testkit";
  private static final String PROGRAMS = "examples and kpd";

  @ArchTest
  static final ArchRule arrowsPointOneWayOnly = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer(CRYPTO).definedBy("io.kpdedicated", "io.kpdedicated.crypto..")
      .layer(CORE).definedBy("io.kpdedicated.core..")
      .layer(HTTP).definedBy("io.kpdedicated.http..")
      .layer(TESTKIT).definedBy("io.kpdedicated.testkit..")
      .layer(PROGRAMS).definedBy("io.kpdedicated.examples..", "io.kpdedicated.cli..")
      .whereLayer(PROGRAMS).mayNotBeAccessedByAnyLayer()
      .whereLayer(TESTKIT).mayOnlyBeAccessedByLayers(PROGRAMS)
      .whereLayer(HTTP).mayOnlyBeAccessedByLayers(TESTKIT, PROGRAMS)
      .whereLayer(CORE).mayOnlyBeAccessedByLayers(HTTP, TESTKIT, PROGRAMS)
      .whereLayer(CRYPTO).mayOnlyBeAccessedByLayers(CORE, HTTP, TESTKIT, PROGRAMS);

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
