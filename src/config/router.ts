/**
 * @module `shoestring:router`: the OpenAI-compatible router in front of the model servers: auth,
 * tier and alias routes, cloud providers for fallback, timeouts, and its autoscaling on a cluster.
 */
import { z } from "zod";
import { dnsLabel, kubernetesObjectName, port, positiveInt, secretName } from "./_primitives";
import type { IssueHints } from "./cross-checks";

/**
 * A route target: a `models[].name`, or `<provider>/<model>` for a model of a declared cloud
 * provider (e.g. `openai/gpt-4o-mini`).
 */
export const ROUTE_TARGET = /^[a-z]([a-z0-9-]*[a-z0-9])?(\/\S+)?$/;

const chain = () =>
  z
    .array(z.string().regex(ROUTE_TARGET, "a models[].name, or <provider>/<model> for a cloud provider's model"))
    .min(1)
    .describe("Ranked targets: the router tries them in order and moves on when one is down or overloaded.");

const providerCommon = {
  name: dnsLabel(30).describe("Provider name, used as the prefix in route targets (`<name>/<model>`)."),
  models: z.array(z.string().min(1).max(100)).min(1).describe("Provider model ids routes may use, e.g. gpt-4o-mini."),
  usdPer1MInput: z.number().min(0).optional().describe("Price in USD per million input tokens, for cost reports."),
  usdPer1MOutput: z.number().min(0).optional().describe("Price in USD per million output tokens, for cost reports."),
};

const apiKeySecret = () =>
  secretName().describe("Name of the stack secret holding the provider API key (`pulumi config set --secret <name>`); never the key itself.");

const httpsUrl = () => z.url({ protocol: /^https?$/ });

/**
 * A registry image reference pinned to a tag other than `latest` or to a digest, with a registry or
 * namespace path (a bare `name:tag` is a local image a cluster cannot pull).
 */
export const PINNED_IMAGE =
  /^[a-z0-9]+(?:[.-][a-z0-9]+)*(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+(?::(?!latest(?:@|$))[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** A cloud or remote OpenAI-style endpoint the router may fall back to. */
export const ProviderSchema = z
  .discriminatedUnion("kind", [
    z
      .strictObject({
        kind: z.literal("openai").describe("OpenAI's API."),
        ...providerCommon,
        baseUrl: httpsUrl().default("https://api.openai.com/v1").describe("API base URL."),
        apiKeySecret: apiKeySecret(),
      })
      .describe("OpenAI."),
    z
      .strictObject({
        kind: z.literal("anthropic").describe("Anthropic's API."),
        ...providerCommon,
        baseUrl: httpsUrl().default("https://api.anthropic.com/v1").describe("API base URL."),
        apiKeySecret: apiKeySecret(),
      })
      .describe("Anthropic."),
    z
      .strictObject({
        kind: z.literal("openai-compatible").describe("Any server speaking the OpenAI API (another vLLM, a gateway)."),
        ...providerCommon,
        baseUrl: httpsUrl().describe("API base URL including /v1, e.g. https://llm.example.com/v1."),
        apiKeySecret: apiKeySecret().optional(),
      })
      .describe("An OpenAI-compatible endpoint."),
  ])
  .describe("A cloud provider; `kind` selects the API.");

/** `router.autoscaling.maxReplicas` when unset: this many times `router.replicas`. */
export const ROUTER_MAX_REPLICAS_FACTOR = 3;
/** Upper bound of `router.autoscaling.maxReplicas`. */
const MAX_ROUTER_REPLICAS = 100;

/** The autoscaler's range: its maximum is at least its minimum, `router.replicas`. */
function checkAutoscaling(router: { replicas: number; autoscaling: { enabled: boolean; maxReplicas?: number | undefined } }, ctx: z.RefinementCtx): void {
  const { replicas, autoscaling } = router;
  const max = autoscaling.maxReplicas;
  if (!autoscaling.enabled || max === undefined || max >= replicas) return;
  ctx.addIssue({
    code: "custom",
    path: ["autoscaling", "maxReplicas"],
    input: max,
    message: "fewer than router.replicas, the autoscaler's minimum",
    params: {
      allowed: `${replicas} to ${MAX_ROUTER_REPLICAS}`,
      fix: `pulumi config rm --path '{path}' to use ${ROUTER_MAX_REPLICAS_FACTOR} × router.replicas (${ROUTER_MAX_REPLICAS_FACTOR * replicas}), or set it to at least ${replicas}`,
    } satisfies IssueHints,
  });
}

/**
 * CPU autoscaling of the router on Kubernetes targets (a HorizontalPodAutoscaler). It reads pod CPU
 * from metrics-server: the kit installs EKS's add-on; an existing cluster is assumed to run it.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
const RouterAutoscalingSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "Scale the router between replicas and maxReplicas on CPU (a HorizontalPodAutoscaler). It reads metrics-server: target kind eks installs EKS's add-on; " +
          "an existing cluster is assumed to run it (most do; if `kubectl top pods` fails, install it, else the router stays at replicas). Ignored on Docker targets (one router per host).",
      ),
    maxReplicas: positiveInt()
      .max(MAX_ROUTER_REPLICAS)
      .optional()
      .describe(`Most router replicas the autoscaler may run, at least replicas (equal: no autoscaler). Unset: ${ROUTER_MAX_REPLICAS_FACTOR} × replicas.`),
    targetCpuPercent: z
      .int()
      .min(10)
      .max(100)
      .default(70)
      .describe("Average CPU use, in percent of each pod's CPU request, the autoscaler keeps by adding or removing replicas."),
  })
  .prefault({})
  .describe("CPU autoscaling of the router (Kubernetes targets).");

/** `shoestring:router`. */
export const RouterSchema = z
  .strictObject({
    port: port().default(8080).describe("Port the router listens on (OpenAI-compatible /v1 API)."),
    replicas: positiveInt()
      .max(20)
      .default(1)
      .describe("Router replicas (Kubernetes targets); the autoscaler's minimum while router.autoscaling is enabled."),
    autoscaling: RouterAutoscalingSchema,
    image: z
      .string()
      .regex(PINNED_IMAGE, "a registry image pinned to a tag other than latest or to a digest, e.g. ghcr.io/acme/shoestring-router:0.1.0")
      .refine((ref) => /:[^/]+$|@sha256:/.test(ref), "the image has no tag or digest; pin one, e.g. ghcr.io/acme/shoestring-router:0.1.0")
      .optional()
      .describe(
        "Router image in a registry the target pulls from, pinned (tag or @sha256 digest). Required on Kubernetes targets: build and push images/router/Dockerfile. Docker targets: unset builds it on the Docker host.",
      ),
    imagePullSecrets: z
      .array(kubernetesObjectName())
      .max(8)
      .optional()
      .describe(
        "Kubernetes targets: names of existing docker-registry Secrets in the stack's namespace that let the pods pull router.image from a private registry (kubectl create secret docker-registry <name> ...). Unset: the nodes' own credentials (on EKS the node role reads ECR).",
      ),
    auth: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Require `Authorization: Bearer <key>` on every /v1 request."),
        apiKeysSecret: secretName()
          .optional()
          .describe("Name of the stack secret holding the accepted API keys, comma-separated. Required while auth is enabled."),
      })
      .prefault({})
      .describe("Client authentication."),
    tiers: z
      .partialRecord(z.enum(["1", "2", "3"]), chain())
      .default({})
      .describe("Ranked route per tier, \"1\" (cheapest) to \"3\" (most capable). A tier left out routes to the models whose `tier` matches, in list order."),
    aliases: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "letters, digits, '.', '_', ':' and '-'"), chain())
      .default({})
      .describe("Extra model names clients may request (e.g. gpt-4o-mini), each mapped to a ranked route."),
    providers: z.array(ProviderSchema).default([]).describe("Cloud providers route targets may name as `<provider>/<model>`."),
    fallback: z
      .strictObject({
        cloudOnlyOnFailure: z
          .boolean()
          .default(true)
          .describe("Use cloud targets only when every local target failed or is unavailable, never for load balancing."),
      })
      .prefault({})
      .describe("Fallback policy."),
    timeouts: z
      .strictObject({
        requestMs: positiveInt().max(3_600_000).default(300_000).describe("Whole-request limit in milliseconds, streaming included."),
        connectMs: positiveInt().max(120_000).default(5000).describe("Limit for connecting to a backend, in milliseconds; then the next target is tried."),
      })
      .prefault({})
      .describe("Upstream timeouts."),
  })
  .superRefine(checkAutoscaling)
  // The default maximum follows replicas, which a plain .default() cannot express.
  .transform(({ autoscaling, ...router }) => ({
    ...router,
    autoscaling: { ...autoscaling, maxReplicas: autoscaling.maxReplicas ?? ROUTER_MAX_REPLICAS_FACTOR * router.replicas },
  }))
  .prefault({})
  .describe("The OpenAI-compatible router: auth, routes, cloud fallback, autoscaling.");

/** Parsed `shoestring:router`. */
export type RouterConfig = z.output<typeof RouterSchema>;
/** Parsed provider entry. */
export type ProviderConfig = z.output<typeof ProviderSchema>;
