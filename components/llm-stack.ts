/**
 * @module `LlmStack`: the composition root. Builds a whole serving stack on a Docker target from the
 * validated stack config: host, private network, model servers, Redis, router, TLS proxy and
 * monitoring — after the planner has confirmed it fits.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackCapacityPlan } from "../src/capacity/plan-stack-config";
import type { StackConfig } from "../src/config";
import { RedisCache } from "./cache";
import { DockerHost, type DockerHostArgs } from "./compute";
import { TlsProxy } from "./edge";
import { DockerMonitoring, modelServerScrapeTarget } from "./monitoring";
import { RouterService } from "./routing";
import { DockerModelServer } from "./serving";
import { dockerServerArgs } from "./_stack-models";
import { DOCKER_TARGETS, placeOnDockerHost, planOrRefuse } from "./_stack-plan";
import { hostArgs, routerArgs, summarizePlan, type PlanSummary } from "./_stack-wiring";

/** Arguments for {@link LlmStack}. */
export interface LlmStackArgs {
  /**
   * The validated stack config: `loadStackFromPulumiConfig()` in a program, `parseStackConfig()`
   * when building it in code (no stack files needed).
   */
  config: StackConfig;
  /**
   * Values of the secrets the config names in its `*Secret` fields (router API keys, provider API
   * keys, SSH key, HF tokens, TLS certificate), as Pulumi secrets.
   * @default {}
   */
  secrets?: Record<string, pulumi.Input<string>>;
  /** A prebuilt router image to run instead of building `images/router`. @default - built from the repo */
  routerImage?: pulumi.Input<string>;
  /** Directory `models[].modelConfig` paths are relative to. @default process.cwd() */
  baseDir?: string;
}

/** A complete self-hosted LLM serving stack on one Docker host. */
export class LlmStack extends pulumi.ComponentResource {
  /** OpenAI-compatible base URL clients use (ends in `/v1`): the TLS proxy's when there is one. */
  public readonly routerUrl: pulumi.Output<string>;
  /** First accepted router API key (secret); undefined when auth is off. */
  public readonly routerApiKey: pulumi.Output<string | undefined>;
  /** Grafana URL; undefined when monitoring is off. */
  public readonly grafanaUrl: pulumi.Output<string | undefined>;
  /** Grafana admin password (secret); undefined when monitoring is off. */
  public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;
  /** Each model server's base URL on the stack's private network, by model name. */
  public readonly modelEndpoints: pulumi.Output<Record<string, string>>;
  /** The planner's verdict the stack was built on: GPUs, memory, concurrency, tokens/s, cost. */
  public readonly plan: pulumi.Output<PlanSummary>;

  constructor(name: string, args: LlmStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const { config } = args;
    const kind = config.target.kind;
    if (!(DOCKER_TARGETS as readonly string[]).includes(kind)) {
      throw new pulumi.RunError(
        `shoestring:target.kind: LlmStack composes Docker targets (${DOCKER_TARGETS.join(", ")}); got "${kind}". ` +
          "Kubernetes targets are built from the components in components/kubernetes.",
      );
    }
    // Refuse before anything is registered, the component included.
    const capacity: StackCapacityPlan = planOrRefuse(config, args.baseDir);
    const placements = placeOnDockerHost(config, capacity);
    super("shoestring:index:LlmStack", name, {}, opts);
    const secrets = args.secrets ?? {};
    const child = { parent: this };

    const host = new DockerHost(`${name}-host`, hostArgs(config, secrets) as DockerHostArgs, child);
    const onHost = { parent: this, provider: host.provider };
    const network = new docker.Network(`${name}-net`, { name: `${name}-${pulumi.getStack()}`, driver: "bridge" }, onHost);
    const internalApiKey = new random.RandomPassword(`${name}-internal-key`, { length: 40, special: false }, child).result;

    const servers = config.models.map(
      (model) =>
        new DockerModelServer(
          `${name}-${model.name}`,
          dockerServerArgs(model, placements.get(model.name)!, {
            provider: host.provider,
            network: network.name,
            internalApiKey,
            secrets,
            ...(kind === "aws-gpu-vm" ? { modelCacheHostPath: host.modelCacheDir.apply((d) => d ?? "/opt/shoestring/models") } : {}),
          }),
          onHost,
        ),
    );

    const redis = config.cache.enabled
      ? new RedisCache(`${name}-redis`, { provider: host.provider, network: network.name, maxMemoryMb: config.cache.redis.maxMemoryMb }, onHost)
      : undefined;

    const tls = "tls" in config.target ? config.target.tls : undefined;
    const router = new RouterService(
      `${name}-router`,
      routerArgs(config, secrets, {
        provider: host.provider,
        network: network.name,
        servers,
        internalApiKey,
        redisUrl: redis?.url,
        // Behind the TLS proxy the router stays on the host's loopback; else it publishes where the target says.
        bindAddress: tls ? pulumi.output("127.0.0.1") : host.bindAddress,
        image: args.routerImage,
        dependsOn: [...servers, ...(redis ? [redis] : [])],
      }),
      onHost,
    );

    const proxy = tls
      ? new TlsProxy(
          `${name}-tls`,
          {
            provider: host.provider,
            network: network.name,
            domain: tls.domain,
            upstream: router.internalUrl,
            bindAddress: "0.0.0.0",
            ...(tls.certificateSecret && tls.privateKeySecret
              ? { certificate: secrets[tls.certificateSecret], privateKey: secrets[tls.privateKeySecret] }
              : {}),
            ...(tls.email !== undefined ? { email: tls.email } : {}),
          },
          onHost,
        )
      : undefined;

    const monitoring = config.monitoring.enabled
      ? new DockerMonitoring(
          `${name}-monitoring`,
          {
            provider: host.provider,
            network: network.name,
            targets: [
              { job: "router", address: router.internalAddress, metricsPath: router.metricsPath, component: "router" },
              ...servers.map((s, i) => modelServerScrapeTarget(config.models[i]!.name, s)),
            ],
            // llama.cpp serves /metrics behind its API key; vLLM's is open on the private network.
            bearerTokens: Object.fromEntries(config.models.filter((m) => m.engine === "llamacpp").map((m) => [m.name, internalApiKey])),
            alerts: config.monitoring.alerts,
            retentionDays: config.monitoring.retentionDays,
            grafanaPort: config.monitoring.grafana.port,
            grafanaBindAddress: config.monitoring.grafana.publish ? host.bindAddress : "127.0.0.1",
            gpuExporter: capacity.gpusAvailable > 0,
            ...(config.monitoring.grafana.adminPasswordSecret !== undefined
              ? { grafanaAdminPassword: secrets[config.monitoring.grafana.adminPasswordSecret] }
              : {}),
          },
          onHost,
        )
      : undefined;

    this.routerUrl = proxy ? proxy.url : router.url.apply((u) => u ?? "");
    const keysSecret = config.router.auth.enabled ? config.router.auth.apiKeysSecret : undefined;
    this.routerApiKey = pulumi.secret(
      keysSecret === undefined ? pulumi.output(undefined) : pulumi.output(secrets[keysSecret] ?? "").apply((keys) => keys.split(",")[0]?.trim()),
    );
    this.grafanaUrl = monitoring ? monitoring.grafanaUrl : pulumi.output(undefined);
    this.grafanaAdminPassword = monitoring ? monitoring.grafanaAdminPassword : pulumi.output(undefined);
    this.modelEndpoints = pulumi
      .all(servers.map((s) => s.endpoint))
      .apply((endpoints) => Object.fromEntries(endpoints.map((e, i) => [config.models[i]!.name, e])));
    this.plan = pulumi.output(summarizePlan(capacity));
    this.registerOutputs({
      routerUrl: this.routerUrl,
      routerApiKey: this.routerApiKey,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminPassword: this.grafanaAdminPassword,
      modelEndpoints: this.modelEndpoints,
      plan: this.plan,
    });
  }
}
