/**
 * @module `modelServerScrapeTarget`: the Prometheus target of one model server, read from the shared
 * `ModelServerOutputs` contract, so monitoring never depends on a concrete server class (STYLE R2).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ModelServerOutputs } from "../serving/model-server";
import type { DockerScrapeTarget } from "./docker-monitoring";

/**
 * Scrape target for a model server: its endpoint's host with its metrics port and path, labelled
 * `component="model-server"` (what ModelServerDown selects). Servers whose metrics need the API key
 * (`metricsNeedApiKey`, llama.cpp) also need `bearerTokens[job]` on {@link DockerMonitoring}.
 *
 * @example
 * modelServerScrapeTarget("llama-phi", phiServer, { model: "phi" });
 */
export function modelServerScrapeTarget(
  job: string,
  server: Pick<ModelServerOutputs, "endpoint" | "metricsPort" | "metricsPath">,
  labels?: Readonly<Record<string, string>>,
): DockerScrapeTarget {
  return {
    job,
    address: pulumi.all([server.endpoint, server.metricsPort]).apply(([endpoint, port]) => `${new URL(endpoint).hostname}:${port}`),
    metricsPath: server.metricsPath,
    component: "model-server",
    ...(labels !== undefined ? { labels } : {}),
  };
}
