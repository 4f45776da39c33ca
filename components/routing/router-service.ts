/**
 * @module `RouterService`: the OpenAI-compatible router (`images/router`) as a container in front
 * of the model servers, configured through env vars only (STYLE R12).
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { renderRouterConfigYaml } from "../../src/router-config/build";
import { backendApiKeyEnv, providerApiKeyEnv, routerSettingEnv } from "../../src/router-config/env-names";
import { CONTAINER_LOG_DRIVER, DEFAULT_LOG_OPTIONS, containerLabels } from "../_labels";
import { childName } from "../_naming";
import { ROUTER_STOP_GRACE_SECONDS, resolveRouterServiceArgs, routerSpec, type RouterServiceArgs } from "./router-service-args";

export type { RouterServiceArgs } from "./router-service-args";

/**
 * Runs the router: the image is built on the Docker host from this package (or a prebuilt one is
 * pulled), the YAML config (backends, routes, tenants, cache) goes in as one secret env var, API
 * keys as secret env vars, and the port is published on `bindAddress` (loopback by default).
 *
 * @example
 * const router = new RouterService("llm-router", {
 *   provider: host.provider, network: host.networkName,
 *   modelServers: [{ name: "qwen-7b", endpoint: qwen.endpoint, servedModelName: qwen.servedModelName, tier: 1 }],
 *   cache: { redisUrl: redis.url }, tenants: [{ id: "default", keys: apiKeys }], dependsOn: [qwen, redis],
 * });
 */
export class RouterService extends pulumi.ComponentResource {
  /** Base URL clients use on the host, e.g. `http://127.0.0.1:8080/v1`; undefined when not published. */
  public readonly url: pulumi.Output<string | undefined>;
  /** Base URL on the private network, e.g. `http://llm-router:8080/v1` (for a TLS proxy). */
  public readonly internalUrl: pulumi.Output<string>;
  /** `host:port` on the private network, e.g. `llm-router:8080`. */
  public readonly internalAddress: pulumi.Output<string>;
  /** Port Prometheus scrapes on the private network. */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** Liveness path. */
  public readonly healthPath: pulumi.Output<string>;
  /** The generated router config YAML, a secret (it holds the Redis URL and key digests). */
  public readonly configYaml: pulumi.Output<string>;
  /** Image the container runs (a local image id or a pulled image id). */
  public readonly imageId: pulumi.Output<string>;
  /** Docker's name of the container. */
  public readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: RouterServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const r = resolveRouterServiceArgs(name, args);
    super("shoestring:index:RouterService", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };

    const imageId =
      r.build !== undefined
        ? new docker.Image(
            childName(name, "image"),
            { imageName: r.build.imageName, build: { context: r.build.context, dockerfile: r.build.dockerfile }, skipPush: true },
            childOpts,
          ).repoDigest
        : new docker.RemoteImage(childName(name, "image"), { name: args.image!, keepLocally: true }, childOpts).imageId;

    const servers = pulumi.all(args.modelServers.map((s) => pulumi.all([s.endpoint, s.servedModelName])));
    const redisUrl = args.cache === undefined ? pulumi.output("") : pulumi.output(args.cache.redisUrl);
    const tenantKeys = pulumi.all((args.tenants ?? []).map((t) => pulumi.output(t.keys)));
    this.configYaml = pulumi.secret(
      pulumi.all([servers, redisUrl, tenantKeys]).apply(([servers, redisUrl, keys]) => renderRouterConfigYaml(routerSpec(args, { servers, redisUrl, keys }))),
    );

    const envs: pulumi.Input<string>[] = [
      `${routerSettingEnv("host")}=0.0.0.0`,
      `${routerSettingEnv("port")}=${r.port}`,
      ...(args.logLevel === undefined ? [] : [`${routerSettingEnv("log-level")}=${args.logLevel}`]),
      pulumi.interpolate`${routerSettingEnv("config-yaml")}=${this.configYaml}`,
      ...args.modelServers.flatMap((s) => (s.apiKey === undefined ? [] : [pulumi.interpolate`${backendApiKeyEnv(s.name)}=${pulumi.secret(s.apiKey)}`])),
      ...(args.providers ?? []).flatMap((p) => (p.apiKey === undefined ? [] : [pulumi.interpolate`${providerApiKeyEnv(p.name)}=${pulumi.secret(p.apiKey)}`])),
    ];

    const container = new docker.Container(
      childName(name, "container"),
      {
        image: imageId,
        envs: pulumi.all(envs),
        networksAdvanced: [{ name: args.network, aliases: [r.alias] }],
        ports: r.publish ? [{ internal: r.port, external: r.hostPort, ip: r.bindAddress, protocol: "tcp" }] : undefined,
        healthcheck: {
          // node:*-slim has no curl; Node 20 has fetch (as the image's own HEALTHCHECK).
          tests: ["CMD", "node", "-e", `fetch('http://127.0.0.1:${r.port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
          interval: "10s",
          timeout: "3s",
          retries: 3,
          startPeriod: "10s",
        },
        // Let in-flight requests and streams drain on stop and on delete (the provider kills at once otherwise).
        stopTimeout: ROUTER_STOP_GRACE_SECONDS,
        destroyGraceSeconds: ROUTER_STOP_GRACE_SECONDS,
        restart: r.restart,
        logDriver: CONTAINER_LOG_DRIVER,
        logOpts: { ...DEFAULT_LOG_OPTIONS },
        labels: containerLabels("router", name, { "metrics-port": String(r.port), "metrics-path": "/metrics" }, args.labels),
      },
      // A published host port cannot be bound by the old and the new container at once.
      { ...childOpts, dependsOn: args.dependsOn, deleteBeforeReplace: r.publish },
    );

    const shown = pulumi.output(r.bindAddress).apply((ip) => (ip === "0.0.0.0" ? "127.0.0.1" : ip.includes(":") ? `[${ip}]` : ip));
    this.url = r.publish ? pulumi.interpolate`http://${shown}:${r.hostPort}/v1` : pulumi.output(undefined);
    this.internalUrl = pulumi.output(`http://${r.alias}:${r.port}/v1`);
    this.internalAddress = pulumi.output(`${r.alias}:${r.port}`);
    this.metricsPort = pulumi.output(r.port);
    this.metricsPath = pulumi.output("/metrics");
    this.healthPath = pulumi.output("/health");
    this.imageId = imageId;
    this.containerName = container.name;
    this.registerOutputs({
      url: this.url,
      internalUrl: this.internalUrl,
      internalAddress: this.internalAddress,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      healthPath: this.healthPath,
      configYaml: this.configYaml,
      imageId: this.imageId,
      containerName: this.containerName,
    });
  }
}
