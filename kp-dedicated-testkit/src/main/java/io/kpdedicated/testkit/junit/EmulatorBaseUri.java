package io.kpdedicated.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link java.net.URI} parameter that receives the loopback emulator's base URI, for
 * example {@code http://127.0.0.1:41234} (IAM, Resource Controller and instance endpoint at once).
 * Needs {@link LoopbackEmulatorExtension}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface EmulatorBaseUri {}
