/**
 * @module `ModelServerOutputs`: what every model server component exposes, whatever the engine or
 * the platform (Docker here, Kubernetes elsewhere). The router and monitoring consume this contract,
 * never a concrete class (STYLE R2).
 */
import type * as pulumi from "@pulumi/pulumi";

/** The outputs every model server component shares. */
export interface ModelServerOutputs {
  /**
   * OpenAI-compatible base URL on the stack's private network, with `/v1`, e.g.
   * `http://llm-qwen-7b:8000/v1`. Not reachable from outside that network.
   */
  readonly endpoint: pulumi.Output<string>;
  /** The name the server answers to as `model` (`--served-model-name` / `--alias`). */
  readonly servedModelName: pulumi.Output<string>;
  /** Readiness/liveness path on the endpoint's host and port, e.g. `/health`. */
  readonly healthPath: pulumi.Output<string>;
  /** Port Prometheus scrapes on the endpoint's host (the serving port for vLLM and llama.cpp). */
  readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path, e.g. `/metrics`. */
  readonly metricsPath: pulumi.Output<string>;
  /**
   * Whether scraping needs `Authorization: Bearer <api key>`: true for llama.cpp with an API key,
   * false for vLLM (its `/metrics` is always public).
   */
  readonly metricsNeedApiKey: pulumi.Output<boolean>;
}
