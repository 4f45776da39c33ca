/**
 * @module What every container of the kit carries (internal): labels that identify it, log rotation
 * and the restart policy. One place, so every component looks the same in `docker ps` and on disk.
 */
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** Prefix of the kit's container labels, e.g. `docker ps --filter label=shoestring.stack=shoestring/prod`. */
export const LABEL_PREFIX = "shoestring.";

/** Docker restart policies. */
export type RestartPolicy = "no" | "on-failure" | "always" | "unless-stopped";

/** Restart after crashes and host reboots, but not after a deliberate `docker stop`. */
export const DEFAULT_RESTART: RestartPolicy = "unless-stopped";

/**
 * Log driver and rotation. Docker's default json-file driver never rotates, and a model server
 * logging every request fills the disk; 5 × 50 MB caps one container at 250 MB.
 * @see https://docs.docker.com/engine/logging/drivers/json-file/
 */
export const CONTAINER_LOG_DRIVER = "json-file";
/** @see CONTAINER_LOG_DRIVER */
export const DEFAULT_LOG_OPTIONS: Readonly<Record<string, string>> = { "max-size": "50m", "max-file": "5" };

/**
 * @internal Labels for one container: the component kind, the component's name, the Pulumi stack,
 * then `extra` (without the prefix) and the caller's own labels (used as given).
 */
export function containerLabels(
  component: string,
  name: string,
  extra: Record<string, string> = {},
  own: Record<string, string> = {},
): docker.types.input.ContainerLabel[] {
  const labels: Record<string, string> = {
    [`${LABEL_PREFIX}component`]: component,
    [`${LABEL_PREFIX}name`]: name,
    [`${LABEL_PREFIX}stack`]: `${pulumi.getProject()}/${pulumi.getStack()}`,
    [`${LABEL_PREFIX}managed-by`]: "pulumi",
  };
  for (const [key, value] of Object.entries(extra)) labels[`${LABEL_PREFIX}${key}`] = value;
  Object.assign(labels, own);
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}
