/**
 * @module `TlsProxy`: a pinned Caddy container that terminates TLS for the router when it is
 * reached from beyond the host: automatic certificates for a domain, or a certificate you supply.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { VERSIONS } from "../../src/versions";
import { CONTAINER_LOG_DRIVER, DEFAULT_LOG_OPTIONS, DEFAULT_RESTART, containerLabels, type RestartPolicy } from "../_labels";
import { aliasIssue, childName } from "../_naming";
import { caddyfileProblems, renderCaddyfile } from "./caddyfile";

/** Arguments for {@link TlsProxy}. */
export interface TlsProxyArgs {
  /**
   * Docker provider of the host the container runs on: a `DockerHost`'s, or any existing
   * `docker.Provider` of your program.
   * @default - the Docker provider given in this component's resource options (`provider`/`providers`)
   * or inherited from its parent, else the default provider (`docker:host` config)
   */
  provider?: docker.Provider;
  /** Name of the stack's private Docker network, where the router is. */
  network: pulumi.Input<string>;
  /** DNS name clients use, e.g. `llm.example.com`; point it at the host before deploying. */
  domain: string;
  /** Router address on the network, `host:port`: the router's `internalAddress`. */
  upstream: pulumi.Input<string>;
  /**
   * Host address 443 (and 80) are published on. No default: a proxy on 127.0.0.1 cannot get an
   * automatic certificate, and 0.0.0.0 exposes the router, so say which you mean.
   */
  bindAddress: pulumi.Input<string>;
  /** PEM certificate chain for `domain`, a secret. With `privateKey`; unset: automatic certificates. */
  certificate?: pulumi.Input<string>;
  /** PEM private key of `certificate`, a secret. */
  privateKey?: pulumi.Input<string>;
  /** ACME account email (expiry notices). @default - none */
  email?: string;
  /** ACME directory, e.g. Let's Encrypt staging while testing. @default - Caddy's */
  acmeCa?: string;
  /** Host port for HTTPS. ACME's TLS-ALPN check reaches 443. @default 443 */
  httpsPort?: number;
  /** Host port for HTTP (ACME HTTP-01 and the redirect), automatic mode only. @default 80 */
  httpPort?: number;
  /** Answer 404 to `/metrics` through the proxy. @default true */
  blockMetrics?: boolean;
  /** Existing volume for Caddy's certificates and ACME account. @default - a new volume `${name}-data` */
  dataVolume?: pulumi.Input<string>;
  /** Network alias of the proxy (a DNS label). @default - the component name */
  hostname?: string;
  /** Docker restart policy. @default "unless-stopped" */
  restart?: RestartPolicy;
  /** Extra container labels. @default {} */
  labels?: Record<string, string>;
}

/** Where a user-supplied certificate and key are uploaded in the container. */
export const CERT_FILES = { cert: "/certs/cert.pem", key: "/certs/key.pem" } as const;
/** The Caddyfile path the official image runs with. */
export const CADDYFILE_PATH = "/etc/caddy/Caddyfile";
/** Seconds open connections (streams included) get to finish on stop. */
export const PROXY_STOP_GRACE_SECONDS = 30;

/**
 * Terminates TLS for `domain` and forwards to the router on the private network. Publishes 443,
 * plus 80 in automatic mode (ACME HTTP-01 and the HTTP→HTTPS redirect). Certificates live in a
 * volume, so restarts do not re-issue them (ACME rate limits).
 *
 * @example
 * new TlsProxy("llm-tls", { provider: host.provider, network: net.name, domain: "llm.example.com",
 *   upstream: router.internalAddress, bindAddress: "0.0.0.0", email: "ops@example.com" });
 */
export class TlsProxy extends pulumi.ComponentResource {
  /** `https://<domain>/v1`: the base URL clients use. */
  public readonly url: pulumi.Output<string>;
  /** The rendered Caddyfile. */
  public readonly caddyfile: pulumi.Output<string>;
  /** Docker's name of the container. */
  public readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: TlsProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    const manual = resolveTlsProxyArgs(name, args);
    super("shoestring:index:TlsProxy", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const alias = args.hostname ?? name;
    const labels = containerLabels("tls-proxy", name, {}, args.labels);

    const image = new docker.RemoteImage(childName(name, "image"), { name: VERSIONS.caddy.image, keepLocally: true }, childOpts);
    const dataVolume = args.dataVolume !== undefined ? pulumi.output(args.dataVolume) : new docker.Volume(childName(name, "data"), { labels }, childOpts).name;
    this.caddyfile = pulumi.output(args.upstream).apply((upstream) =>
      renderCaddyfile({
        domain: args.domain,
        upstream,
        certificateFiles: manual ? CERT_FILES : undefined,
        email: args.email,
        acmeCa: args.acmeCa,
        blockMetrics: args.blockMetrics,
      }),
    );
    const uploads: pulumi.Input<docker.types.input.ContainerUpload>[] = [{ file: CADDYFILE_PATH, content: this.caddyfile }];
    if (manual) {
      uploads.push({ file: CERT_FILES.cert, content: pulumi.secret(args.certificate!), permissions: "0644" });
      uploads.push({ file: CERT_FILES.key, content: pulumi.secret(args.privateKey!), permissions: "0600" });
    }
    const ports: docker.types.input.ContainerPort[] = [{ internal: 443, external: args.httpsPort ?? 443, ip: args.bindAddress, protocol: "tcp" }];
    if (!manual) ports.push({ internal: 80, external: args.httpPort ?? 80, ip: args.bindAddress, protocol: "tcp" });

    const container = new docker.Container(
      childName(name, "container"),
      {
        image: image.imageId,
        command: ["caddy", "run", "--config", CADDYFILE_PATH, "--adapter", "caddyfile"],
        uploads: manual ? pulumi.all(uploads) : uploads,
        ports,
        networksAdvanced: [{ name: args.network, aliases: [alias] }],
        volumes: [{ volumeName: dataVolume, containerPath: "/data" }],
        healthcheck: {
          // The admin API answers on loopback inside the container (busybox wget is in the alpine image).
          tests: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:2019/config/"],
          interval: "30s",
          timeout: "5s",
          retries: 3,
          startPeriod: "10s",
        },
        stopTimeout: PROXY_STOP_GRACE_SECONDS,
        destroyGraceSeconds: PROXY_STOP_GRACE_SECONDS,
        restart: args.restart ?? DEFAULT_RESTART,
        logDriver: CONTAINER_LOG_DRIVER,
        logOpts: { ...DEFAULT_LOG_OPTIONS },
        labels,
      },
      // Published host ports cannot be bound by the old and the new container at once.
      { ...childOpts, deleteBeforeReplace: true },
    );

    const httpsPort = args.httpsPort ?? 443;
    this.url = pulumi.output(`https://${args.domain}${httpsPort === 443 ? "" : `:${httpsPort}`}/v1`);
    this.containerName = container.name;
    this.registerOutputs({ url: this.url, caddyfile: this.caddyfile, containerName: this.containerName });
  }
}

/**
 * Checks the arguments of a {@link TlsProxy} named `name`.
 * @returns true for a user-supplied certificate, false for automatic certificates.
 * @throws {pulumi.InputPropertiesError} listing every problem, before anything is registered.
 */
export function resolveTlsProxyArgs(name: string, args: TlsProxyArgs): boolean {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const manual = args.certificate !== undefined || args.privateKey !== undefined;
  if (manual && (args.certificate === undefined || args.privateKey === undefined)) {
    const missing = args.certificate === undefined ? "certificate" : "privateKey";
    errors.push({ propertyPath: missing, reason: `a supplied certificate needs both certificate and privateKey (got only the other). Set ${missing}, or remove both for automatic certificates` });
  }
  const bad = aliasIssue("hostname", args.hostname ?? name);
  if (bad) errors.push(bad);
  const httpsPort = args.httpsPort ?? 443;
  const httpPort = args.httpPort ?? 80;
  for (const [field, value] of [["httpsPort", httpsPort], ["httpPort", httpPort]] as const) {
    if (!(Number.isInteger(value) && value >= 1 && value <= 65535)) errors.push({ propertyPath: field, reason: `not a TCP port (got ${String(value)}; allowed: 1 to 65535)` });
  }
  if (!manual && httpsPort !== 443 && httpPort !== 80) {
    errors.push({
      propertyPath: "httpsPort",
      reason: `automatic certificates need host port 443 (TLS-ALPN) or 80 (HTTP-01), where the CA connects (got httpsPort ${httpsPort}, httpPort ${httpPort}). Publish one of them, or supply certificate and privateKey`,
    });
  }
  if (!manual && typeof args.bindAddress === "string" && /^(127\.|::1$|localhost$)/.test(args.bindAddress)) {
    errors.push({
      propertyPath: "bindAddress",
      reason: `automatic certificates need the proxy reachable by the CA (got ${args.bindAddress}, loopback only). Bind a public address such as 0.0.0.0, or supply certificate and privateKey`,
    });
  }
  // An Output upstream is known only at deploy time: check the rest of the Caddyfile with a valid stand-in.
  const upstream = typeof args.upstream === "string" ? args.upstream : "router.invalid:8080";
  const options = { domain: args.domain, upstream, email: args.email, acmeCa: args.acmeCa, certificateFiles: manual ? CERT_FILES : undefined };
  for (const problem of caddyfileProblems(options)) {
    const field = problem.slice(0, problem.indexOf(":"));
    errors.push({ propertyPath: field, reason: problem.slice(field.length + 2) });
  }
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for TlsProxy "${name}"`, errors });
  return manual;
}
