/**
 * A whole serving stack (model server, Redis cache, router, Prometheus and Grafana) from a config
 * object written in code: the same schema as a stack file's `shoestring:*` keys, typed by
 * `StackConfigInput`, checked by `parseStackConfig` (defaults applied, every problem reported at
 * once), then built by `LlmStack`, which refuses a stack that does not fit its GPU before
 * creating anything.
 *
 *   pulumi config set gpuBox gpu-box.lan
 *   pulumi config set routerImage ghcr.io/acme/shoestring-router:0.1.0
 *   pulumi config set --secret routerApiKeys "$(openssl rand -hex 24)"
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { LlmStack, parseStackConfig, type StackConfigInput } from "llm-shoestring";

const cfg = new pulumi.Config();

const input = {
  target: { kind: "docker-ssh", host: cfg.require("gpuBox"), user: "ops", gpu: { type: "RTX-4090" } },
  models: [
    {
      name: "qwen-7b",
      engine: "vllm",
      source: { kind: "hf", repo: "Qwen/Qwen2.5-7B-Instruct-AWQ" },
      quantization: "awq",
      maxModelLen: 8192,
      tier: 1,
    },
  ],
  router: { auth: { apiKeysSecret: "routerApiKeys" } },
  // Exact-match caching only: the semantic layer needs an embeddings model.
  cache: { semantic: { enabled: false } },
} satisfies StackConfigInput;

const { config } = parseStackConfig(input, { secrets: ["routerApiKeys"] });

const stack = new LlmStack("llm", {
  config,
  secrets: { routerApiKeys: cfg.requireSecret("routerApiKeys") },
  routerImage: cfg.require("routerImage"),
});

export const routerUrl = stack.routerUrl;
export const grafanaUrl = stack.grafanaUrl;
export const plan = stack.plan;
