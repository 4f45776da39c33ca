/**
 * @module `RouterContainer`: the multi-language face of `RouterService` — the OpenAI-compatible router
 * as a container on an existing Docker host, in front of model servers, for Python, Go, C# and YAML.
 */
import * as pulumi from "@pulumi/pulumi";
import { RouterService, resolveRouterServiceArgs, type RouterServiceArgs } from "../routing";
import { checkAs, defined } from "./_wrap";
import type { RouterLogLevel } from "./enums";
import { toRouterConfigArgs, type RouterSettings } from "./router-settings";

/** Arguments for {@link RouterContainer}: the router config plus where the container runs. */
export interface RouterContainerArgs extends RouterSettings {
  /** Name of the Docker network the model servers (and Redis) are on. */
  network: pulumi.Input<string>;
  /**
   * Router image to pull, built from `images/router/Dockerfile` and pushed to a registry, e.g.
   * `ghcr.io/acme/shoestring-router:0.1.0`. Required: the package ships compiled code, not the
   * router's build context.
   */
  image: pulumi.Input<string>;
  /** Port the router listens on inside the network. @default 8080 */
  port?: number;
  /** Publish the port on the host (off: only containers on the network reach the router). @default true */
  publish?: boolean;
  /** Host address the port is published on; `0.0.0.0` exposes it to the network, so keep tenants on. @default "127.0.0.1" */
  bindAddress?: pulumi.Input<string>;
  /** Host port. @default - the same as `port` */
  hostPort?: number;
  /** JSON log level. @default "info" */
  logLevel?: RouterLogLevel;
  /** Extra container labels. @default {} */
  labels?: { [key: string]: string };
}

/**
 * The router in front of model servers on an existing Docker host: the config (backends, routes,
 * tenants, cache) goes in as one secret env var, API keys as secret env vars, the port is published
 * on loopback unless told otherwise. The Docker host is the provider passed in the resource options
 * (`providers`), else the default Docker provider. Wraps the TypeScript `RouterService`.
 */
export class RouterContainer extends pulumi.ComponentResource {
  /** Base URL clients use on the host, e.g. `http://127.0.0.1:8080/v1`; undefined when not published. */
  public readonly url: pulumi.Output<string | undefined>;
  /** Base URL on the Docker network, e.g. `http://router:8080/v1`. */
  public readonly internalUrl: pulumi.Output<string>;
  /** Port Prometheus scrapes on the Docker network. */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** The generated router config YAML, a secret (it holds the Redis URL and key digests). */
  public readonly configYaml: pulumi.Output<string>;
  /** Docker's name of the container. */
  public readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: RouterContainerArgs, opts?: pulumi.ComponentResourceOptions) {
    const inner: RouterServiceArgs = {
      ...toRouterConfigArgs(args),
      ...defined({
        network: args.network,
        image: args.image,
        port: args.port,
        publish: args.publish,
        bindAddress: args.bindAddress,
        hostPort: args.hostPort,
        logLevel: args.logLevel as RouterServiceArgs["logLevel"],
        labels: args.labels,
      }),
    };
    // The router config is checked (routes, names, keys) before anything is registered.
    checkAs("RouterContainer", name, () => resolveRouterServiceArgs(name, inner));
    super("shoestring:index:RouterContainer", name, {}, opts);
    const router = new RouterService(name, inner, { parent: this });
    this.url = router.url;
    this.internalUrl = router.internalUrl;
    this.metricsPort = router.metricsPort;
    this.metricsPath = router.metricsPath;
    this.configYaml = router.configYaml;
    this.containerName = router.containerName;
    this.registerOutputs({
      url: this.url,
      internalUrl: this.internalUrl,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      configYaml: this.configYaml,
      containerName: this.containerName,
    });
  }
}
