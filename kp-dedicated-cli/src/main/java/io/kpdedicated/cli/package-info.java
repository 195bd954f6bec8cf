/**
 * The {@code kpd} command line ({@link io.kpdedicated.cli.Kpd} is the entry point of
 * {@code kpd.jar}): the main job {@code kpd init}, {@code kpd plan}, and the runbook's commands one
 * by one, with documented exit codes ({@link io.kpdedicated.cli.ExitCodes}). Everything the
 * commands take from the process (environment, output, terminal, clock, transports) comes through
 * a {@link io.kpdedicated.cli.CliContext}, so tests run them in-process.
 */
package io.kpdedicated.cli;
