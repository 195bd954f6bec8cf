/**
 * The domain's values: service instances and the request that creates one, crypto units and their
 * states (wire values included, unknown ones kept), crypto users, and master key information.
 * Records, validated when built.
 */
package io.kpdedicated.core.model;
