/**
 * Deployed scripts of {@code mooring serve}: the registry of scripts and their versions, the
 * archive that keeps them on disk across restarts, the migration of classes between versions, and
 * the router that sends each request to its script.
 */
package dev.mooring.host.scripts;
