/**
 * Implementation details of {@code kp-dedicated-http} (wire formats, error bodies, request signing,
 * bounded body reading). Not part of the API: may change in any release.
 */
package io.kpdedicated.http.internal;
