import { describe, expect, it } from "vitest";
import { StackConfigError, formatIssue, parseStackConfig } from "../../src/config";
import { embeddingModel, minimalConfig, thrown, vllmModel } from "./minimal";

/** The issue lines a config produces, without the header. */
function lines(raw: Record<string, unknown>): string[] {
  const error = thrown(() => parseStackConfig(raw));
  expect(error).toBeInstanceOf(StackConfigError);
  return (error as StackConfigError).issues.map(formatIssue);
}

const IMAGE = "ghcr.io/acme/shoestring-router:0.1.0";
const models = [vllmModel({ replicas: 2 }), embeddingModel({ gpuLayers: 0 })];

/** An existing-cluster config with one L4 per node; `target` and the other sections are overridden as given. */
function k8sConfig(target: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return minimalConfig({
    target: { kind: "kubernetes", gpu: { type: "L4", nodes: 2 }, ...target },
    models,
    router: { auth: { apiKeysSecret: "routerApiKeys" }, image: IMAGE },
    ...rest,
  });
}

describe("Kubernetes target checks", () => {
  it("accepts an existing cluster with a pinned router image, autoscaling and a TLS ingress", () => {
    const { config } = parseStackConfig(
      k8sConfig({ autoscaling: { "qwen-7b": { minReplicas: 0 } }, ingress: { domain: "llm.example.com", clusterIssuer: "letsencrypt" } }),
    );
    expect(config.target).toMatchObject({ autoscaling: { "qwen-7b": { minReplicas: 0, queueThreshold: 5 } }, ingress: { tls: true, controllerNamespace: "ingress-nginx" } });
    expect(config.router.image).toBe(IMAGE);
  });

  it("takes pull secret names for a private router image on a cluster, and refuses names Kubernetes would not accept", () => {
    const { config } = parseStackConfig(k8sConfig({}, { router: { auth: { apiKeysSecret: "routerApiKeys" }, image: IMAGE, imagePullSecrets: ["regcred"] } }));
    expect(config.router.imagePullSecrets).toEqual(["regcred"]);
    const bad = lines(k8sConfig({}, { router: { auth: { apiKeysSecret: "routerApiKeys" }, image: IMAGE, imagePullSecrets: ["Reg_Cred"] } }));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^shoestring:router\.imagePullSecrets\[0\]: .*"Reg_Cred".*a Kubernetes object name: lowercase letters, digits, '-' and '\.'/);
  });

  it("refuses pull secrets on a Docker target and says to log the host in instead", () => {
    expect(lines(minimalConfig({ router: { auth: { apiKeysSecret: "routerApiKeys" }, imagePullSecrets: ["regcred"] } }))).toEqual([
      'shoestring:router.imagePullSecrets: applies only to Kubernetes targets (this one is docker-local) (got ["regcred"]). ' +
        "Fix: log the Docker host in to the registry (docker login <registry>) and pulumi config rm --path 'router.imagePullSecrets'",
    ]);
  });

  it("requires a registry image for the router on a cluster, and says how to build and push one", () => {
    expect(lines(k8sConfig({}, { router: { auth: { apiKeysSecret: "routerApiKeys" } } }))).toEqual([
      "shoestring:router.image: required on target kind kubernetes: the cluster pulls the router from a registry " +
        "(allowed: a pinned registry image, e.g. ghcr.io/acme/shoestring-router:0.1.0). Fix: docker build -f images/router/Dockerfile " +
        "-t <registry>/shoestring-router:<version> . && docker push <registry>/shoestring-router:<version> && " +
        "pulumi config set --path 'router.image' <registry>/shoestring-router:<version>",
    ]);
  });

  it.each([
    ["shoestring-router:0.1.0", "a local image name"],
    ["ghcr.io/acme/shoestring-router:latest", "a moving tag"],
  ])("refuses %s as the router image (%s)", (image) => {
    const issue = lines(k8sConfig({}, { router: { auth: { apiKeysSecret: "routerApiKeys" }, image } }));
    expect(issue).toEqual([
      `shoestring:router.image: not a valid value (got "${image}"; allowed: a registry image pinned to a tag other than latest or to a digest, e.g. ghcr.io/acme/shoestring-router:0.1.0)`,
    ]);
  });

  it("refuses a router image without a tag or digest", () => {
    expect(lines(k8sConfig({}, { router: { auth: { apiKeysSecret: "routerApiKeys" }, image: "ghcr.io/acme/shoestring-router" } }))).toEqual([
      `shoestring:router.image: the image has no tag or digest; pin one, e.g. ghcr.io/acme/shoestring-router:0.1.0 (got "ghcr.io/acme/shoestring-router")`,
    ]);
  });

  it("checks autoscaling entries against the models, their replicas and the monitoring they need", () => {
    const target = { autoscaling: { "qwen-7": {}, "nomic-embed": { minReplicas: 1 } }, addons: { kubePrometheusStack: false } };
    expect(lines(k8sConfig(target, { monitoring: { enabled: false } }))).toEqual([
      `shoestring:target.autoscaling["qwen-7"]: no model with this name (got "qwen-7"; allowed: qwen-7b, nomic-embed). Fix: rename the entry to qwen-7b, or remove it`,
      `shoestring:target.autoscaling["nomic-embed"].minReplicas: nothing to scale: models[1].replicas (1) is the most the autoscaler may run (got 1; allowed: 0 (scale to zero)). Fix: raise models[1].replicas (the planner sizes the GPUs for it), or lower minReplicas`,
      "shoestring:target.addons.prometheusUrl: required with target.autoscaling while addons.kubePrometheusStack is false: KEDA queries it. Fix: pulumi config set --path 'target.addons.prometheusUrl' http://<prometheus-service>.<namespace>.svc:9090",
      "shoestring:monitoring.enabled: target.autoscaling reads queue depth from Prometheus (got false). Fix: set monitoring.enabled true, or remove target.autoscaling",
    ]);
  });

  it("needs a certificate source for a TLS ingress, and refuses to publish Grafana from a cluster", () => {
    const config = k8sConfig({ ingress: { domain: "llm.example.com" } }, { monitoring: { grafana: { publish: true } } });
    expect(lines(config)).toEqual([
      "shoestring:target.ingress.clusterIssuer: TLS for the router's ingress needs a certificate source. Fix: set target.ingress.clusterIssuer (cert-manager) " +
        "or target.ingress.tlsSecretName (an existing TLS Secret), or target.ingress.tls false behind a TLS-terminating load balancer",
      "shoestring:monitoring.grafana.publish: not supported on target kind kubernetes: Grafana stays inside the cluster (got true). " +
        "Fix: reach it with kubectl port-forward (see docs/tutorials), and pulumi config rm --path 'monitoring.grafana.publish'",
    ]);
  });

  it("requires an EKS cluster to say who may reach its API", () => {
    const eks = { kind: "eks", gpuNodePools: [{ name: "l4-x1", instanceType: "g6.xlarge", maxSize: 2, desiredSize: 2 }] };
    expect(lines(minimalConfig({ target: eks, models, router: { auth: { apiKeysSecret: "routerApiKeys" }, image: IMAGE } }))[0]).toBe(
      "shoestring:target.apiAccessCidrs: required (allowed: list of IPv4 CIDR). Fix: add at least one entry (see docs/config-reference.md)",
    );
  });
});

describe("model names", () => {
  it("reserves the names the router, Redis and the TLS proxy answer to", () => {
    expect(lines(minimalConfig({ models: [vllmModel({ name: "router" }), embeddingModel()], target: { kind: "docker-local", gpu: { type: "L4" } } }))).toEqual([
      `shoestring:models[0].name: reserved: the stack's router service already answers to llm-router (got "router"; allowed: any other name (reserved: router, redis, tls)). Fix: rename the model, e.g. after its checkpoint`,
    ]);
  });
});
