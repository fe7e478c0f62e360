/**
 * Loading wrangler-style project directories. {@link dev.mooring.host.project.ProjectLoader} turns a
 * directory with a {@code wrangler.toml}, {@code wrangler.json} or {@code wrangler.jsonc} into an
 * immutable {@link dev.mooring.host.project.Project} that the host runs; problems surface as
 * {@link dev.mooring.host.project.ProjectException}s with messages written for the user.
 */
package dev.mooring.host.project;
