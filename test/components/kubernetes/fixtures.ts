/** Shared inputs and small assertions of the Kubernetes component tests. Model ids come from model-sources.md. */
import * as pulumi from "@pulumi/pulumi";
import { containsSecret } from "../../helpers/pulumi";

/** RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic on 2 GPUs (model-sources.md §6 e, smaller TP). */
export const LLAMA_70B = {
  servedModelName: "llama-70b",
  repo: "RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic",
  quantization: "fp8" as const,
  maxModelLen: 8192,
  tensorParallelSize: 2,
  gpuMemoryUtilization: 0.9,
};

/** Qwen2.5-1.5B-Instruct Q4_K_M (model-sources.md §6 a). */
export const QWEN_1_5B = {
  servedModelName: "qwen-1-5b",
  repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
  file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
  contextSize: 16384,
  parallelSlots: 4,
};

export const API_KEY = "sk-model-server-test-key-123456";
export const HF_TOKEN = "hf_testtoken0123456789";

/** Top-level inputs the engine receives in plain text (secretness is per top-level property). */
export function visibleInputs(inputs: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(inputs).filter(([, v]) => !containsSecret(v))));
}

/** The details of the InputPropertiesError `f` throws; fails when it throws anything else. */
export function errorsOf(f: () => unknown): { message: string; errors: readonly pulumi.InputPropertyErrorDetails[] } {
  try {
    f();
  } catch (err) {
    if (pulumi.InputPropertiesError.isInstance(err)) return { message: err.message, errors: err.errors };
    throw err;
  }
  throw new Error("expected an InputPropertiesError, but nothing was thrown");
}

/** A pod as a NetworkPolicy sees it: its namespace (and that namespace's labels) and its labels. */
export interface PolicyPod {
  namespace: string;
  nsLabels: Record<string, string>;
  labels: Record<string, string>;
}
interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
/** The parts of a NetworkPolicy the evaluator reads. */
export interface NetworkPolicyObject {
  metadata: { namespace: string };
  spec: { podSelector: { matchLabels?: Record<string, string> }; ingress?: { from?: Peer[]; ports?: { port: number }[] }[] };
}

/** Whether `labels` satisfy a matchLabels selector. */
export const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

/** NetworkPolicy ingress semantics for matchLabels selectors: isolated pods accept only what some policy allows. */
export function allowed(policies: NetworkPolicyObject[], from: PolicyPod, to: PolicyPod, port: number): boolean {
  const applying = policies.filter((p) => p.metadata.namespace === to.namespace && matches(p.spec.podSelector.matchLabels, to.labels));
  if (applying.length === 0) return true;
  return applying.some((p) =>
    (p.spec.ingress ?? []).some(
      (rule) =>
        (rule.ports === undefined || rule.ports.some((x) => x.port === port)) &&
        (rule.from ?? []).some((peer) => {
          const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector.matchLabels, from.nsLabels) : from.namespace === p.metadata.namespace;
          const podOk = peer.podSelector ? matches(peer.podSelector.matchLabels, from.labels) : true;
          return nsOk && podOk;
        }),
    ),
  );
}
