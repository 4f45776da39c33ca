/**
 * @module `shoestring:monitoring`: Prometheus and Grafana, and the alert thresholds they ship with.
 */
import { z } from "zod";
import { port, positiveInt, secretName } from "./_primitives";

const percent = () => z.number().gt(0).max(100);

/** `shoestring:monitoring`. */
export const MonitoringSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Deploy Prometheus (scraping the servers, router and GPUs) and Grafana."),
    retentionDays: positiveInt().max(3650).default(15).describe("Prometheus retention in days."),
    grafana: z
      .strictObject({
        publish: z.boolean().default(false).describe("Publish Grafana on the target's bind address / ingress. Off: reach it through a tunnel or port-forward."),
        port: port().default(3000).describe("Grafana port."),
        adminPasswordSecret: secretName()
          .optional()
          .describe("Name of the stack secret holding the Grafana admin password. Unset: a random password, exported as a secret output."),
      })
      .prefault({})
      .describe("Grafana."),
    alerts: z
      .strictObject({
        ttftP95Seconds: z.number().gt(0).max(600).default(2).describe("Alert when p95 time to first token exceeds this many seconds."),
        errorRatePercent: percent().default(5).describe("Alert when this percentage of router requests fail."),
        kvCacheUsagePercent: percent().default(90).describe("Alert when a server's KV cache is fuller than this percentage."),
        queueDepth: positiveInt().max(100_000).default(10).describe("Alert when more requests than this wait in a server's queue."),
        fallbackRatePercent: percent().default(20).describe("Alert when this percentage of requests fall back to a cloud provider."),
      })
      .prefault({})
      .describe("Alert thresholds (Prometheus rules)."),
  })
  .prefault({})
  .describe("Prometheus + Grafana.");

/** Parsed `shoestring:monitoring`. */
export type MonitoringConfig = z.output<typeof MonitoringSchema>;
