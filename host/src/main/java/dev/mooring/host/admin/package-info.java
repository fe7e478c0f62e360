/**
 * The admin API of {@code mooring serve}: a separate HTTP listener, guarded by a bearer token,
 * through which scripts are uploaded, listed, inspected and deleted.
 */
package dev.mooring.host.admin;
