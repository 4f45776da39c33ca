/** K8sRouter under mocks: env only from ROUTER_SETTINGS, config and keys in a Secret, probes, HPA, PDB, TLS Ingress, and errors. */
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sRouter } from "../../../components/kubernetes/k8s-router";
import { RouterService } from "../../../components/routing/router-service";
import { loadRouterConfig } from "../../../images/router/src/config-load";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";
import { errorsOf, visibleInputs } from "./fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SECRET = "kubernetes:core/v1:Secret";
const IMAGE = "ghcr.io/acme/shoestring-router:0.1.0";
const CLIENT_KEY = "client-key-0123456789abcdef";
const OPENAI_KEY = "sk-openai-test-0123456789";
const BACKEND_KEY = "sk-vllm-test-0123456789";
const REDIS_URL = "redis://:redis-pass-0123@llm-redis.llm.svc:6379";

/** One router config, given to both the Kubernetes and the Docker component. */
const CONFIG = () => ({
  modelServers: [
    { name: "qwen-1-5b", endpoint: pulumi.output("http://llm-qwen-1-5b.llm.svc:8080/v1"), servedModelName: pulumi.output("qwen-1-5b"), tier: 1 as const },
    { name: "qwen-7b", endpoint: "http://llm-qwen-7b.llm.svc:8000/v1", servedModelName: "qwen-7b", tier: 2 as const, apiKey: pulumi.secret(BACKEND_KEY) },
  ],
  providers: [{ name: "openai", kind: "openai" as const, baseUrl: "https://api.openai.com/v1", models: ["gpt-4o-mini"], apiKey: pulumi.secret(OPENAI_KEY) }],
  tiers: { "3": ["qwen-7b", "openai/gpt-4o-mini"] },
  cache: { redisUrl: pulumi.secret(REDIS_URL) },
  tenants: [{ id: "default", keys: pulumi.secret([CLIENT_KEY]), rpm: 600 }],
});

/** The container's env as the pod would see it: values, and secret keys looked up in the Secret. */
function podEnv(container: { env: { name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }[] }, secretData: Record<string, string>): Record<string, string> {
  return Object.fromEntries(container.env.map((e) => [e.name, e.value ?? secretData[e.valueFrom!.secretKeyRef.key]!]));
}

describe("K8sRouter", () => {
  let recorded: Recorded;
  let provider: k8s.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
  });

  it("runs 2 to 6 non-root replicas configured from one Secret, behind a TLS Ingress tuned for streaming", async () => {
    const router = new K8sRouter("llm-router", {
      provider,
      namespace: "llm",
      image: IMAGE,
      ...CONFIG(),
      logLevel: "warn",
      ingress: { host: "llm.example.com", className: "nginx", clusterIssuer: "letsencrypt" },
    });
    expect(await unwrap(router.internalUrl)).toBe("http://llm-router.llm.svc:8080/v1");
    expect(await unwrap(router.url)).toBe("https://llm.example.com/v1");
    expect(await pulumi.isSecret(router.configYaml)).toBe(true);
    await settle();
    expectRegistered(recorded);
    expect(recorded.resources.filter((r) => r.name.startsWith("llm-router")).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      `${DEPLOYMENT} llm-router-deployment`,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler llm-router-hpa",
      `${SECRET} llm-router-config`,
      "kubernetes:core/v1:Service llm-router-service",
      "kubernetes:networking.k8s.io/v1:Ingress llm-router-ingress",
      "kubernetes:policy/v1:PodDisruptionBudget llm-router-pdb",
      "shoestring:index:K8sRouter llm-router",
    ]);

    const dep = byName(recorded, DEPLOYMENT, "llm-router-deployment").inputs;
    expect("replicas" in dep.spec).toBe(false);
    expect(dep.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const pod = dep.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.terminationGracePeriodSeconds).toBe(35);
    const c = pod.containers[0];
    expect(c.image).toBe(IMAGE);
    const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: "llm-router-config-mock", key } } });
    expect(c.env).toEqual([
      { name: "SHOESTRING_ROUTER_HOST", value: "0.0.0.0" },
      { name: "SHOESTRING_ROUTER_PORT", value: "8080" },
      { name: "SHOESTRING_ROUTER_LOG_LEVEL", value: "warn" },
      fromSecret("SHOESTRING_ROUTER_CONFIG_YAML", "config.yaml"),
      fromSecret("SHOESTRING_BACKEND_QWEN_7B_API_KEY", "SHOESTRING_BACKEND_QWEN_7B_API_KEY"),
      fromSecret("SHOESTRING_PROVIDER_OPENAI_API_KEY", "SHOESTRING_PROVIDER_OPENAI_API_KEY"),
    ]);
    expect(c.readinessProbe).toEqual({ httpGet: { path: "/health", port: "http" }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 });
    expect(c.livenessProbe).toEqual({ httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(c.lifecycle).toEqual({ preStop: { exec: { command: ["sleep", "5"] } } });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } });

    const secret = byName(recorded, SECRET, "llm-router-config").inputs;
    expect(containsSecret(secret.stringData)).toBe(true);
    const data = unwrapSecrets(secret.stringData) as Record<string, string>;
    const loaded = loadRouterConfig({ env: podEnv(c, data) });
    expect([loaded.host, loaded.port, loaded.logLevel]).toEqual(["0.0.0.0", 8080, "warn"]);
    expect(loaded.backends.map((b) => [b.name, b.baseUrl, b.apiKey])).toEqual([
      ["qwen-1-5b", "http://llm-qwen-1-5b.llm.svc:8080/v1", undefined],
      ["qwen-7b", "http://llm-qwen-7b.llm.svc:8000/v1", BACKEND_KEY],
      ["openai", "https://api.openai.com/v1", OPENAI_KEY],
    ]);
    expect(loaded.cache.redisUrl).toBe(REDIS_URL);
    for (const r of recorded.resources.filter((x) => x.name.startsWith("llm-router"))) {
      for (const plaintext of [CLIENT_KEY, OPENAI_KEY, BACKEND_KEY, "redis-pass-0123"]) expect(visibleInputs(r.inputs)).not.toContain(plaintext);
    }

    expect(byName(recorded, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "llm-router-hpa").inputs.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm-router-deployment-mock" },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    });
    expect(byName(recorded, "kubernetes:policy/v1:PodDisruptionBudget", "llm-router-pdb").inputs.spec.maxUnavailable).toBe(1);
    const ingress = byName(recorded, "kubernetes:networking.k8s.io/v1:Ingress", "llm-router-ingress").inputs;
    expect(ingress.metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/proxy-buffering": "off",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "600",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "600",
      "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
      "cert-manager.io/cluster-issuer": "letsencrypt",
    });
    expect(ingress.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ hosts: ["llm.example.com"], secretName: "llm-router-tls" }],
      rules: [{ host: "llm.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "llm-router", port: { name: "http" } } } }] } }],
    });
  });

  it("gives the pods the same config YAML as the Docker RouterService for the same router config", async () => {
    const k8sRouter = new K8sRouter("llm-router-same", { provider, namespace: "llm", image: IMAGE, ...CONFIG() });
    const dockerRouter = new RouterService("llm-router-docker", {
      provider: new docker.Provider("host", { host: "unix:///var/run/docker.sock" }),
      network: "llm-net",
      image: IMAGE,
      ...CONFIG(),
    });
    const [k8sYaml, dockerYaml] = await unwrap(pulumi.all([k8sRouter.configYaml, dockerRouter.configYaml]));
    expect(k8sYaml).toContain("backends:");
    expect(k8sYaml).toBe(dockerYaml);
  });

  it("runs a fixed replica inside the cluster only, without autoscaler, disruption budget or Ingress", async () => {
    const router = new K8sRouter("llm-router-one", {
      provider,
      namespace: "llm",
      image: IMAGE,
      replicas: 1,
      maxReplicas: 1,
      modelServers: [{ name: "qwen-1-5b", endpoint: "http://llm-qwen-1-5b.llm.svc:8080/v1", servedModelName: "qwen-1-5b" }],
    });
    expect(await unwrap(router.url)).toBeUndefined();
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("llm-router-one")).map((r) => r.type).sort()).toEqual([
      DEPLOYMENT,
      SECRET,
      "kubernetes:core/v1:Service",
      "shoestring:index:K8sRouter",
    ]);
    expect(byName(recorded, DEPLOYMENT, "llm-router-one-deployment").inputs.spec.replicas).toBe(1);
  });

  it("lists the given pull secrets on the pods for a private registry, once each", async () => {
    new K8sRouter("llm-router-private", {
      provider,
      namespace: "llm",
      image: "registry.example.com/team/shoestring-router:0.1.0",
      imagePullSecrets: ["regcred", "regcred", "ghcr.pull"],
      replicas: 1,
      maxReplicas: 1,
      modelServers: [{ name: "qwen-1-5b", endpoint: "http://llm-qwen-1-5b.llm.svc:8080/v1", servedModelName: "qwen-1-5b" }],
    });
    await settle();
    const spec = byName(recorded, DEPLOYMENT, "llm-router-private-deployment").inputs.spec.template.spec;
    expect(spec.imagePullSecrets).toEqual([{ name: "regcred" }, { name: "ghcr.pull" }]);
    expect(byName(recorded, DEPLOYMENT, "llm-router-one-deployment").inputs.spec.template.spec).not.toHaveProperty("imagePullSecrets");
  });

  it("emits only objects that validate against the Kubernetes schemas", async () => {
    await settle();
    expect(expectValidK8sObjects(recorded)).toBe(17);
  });

  it("refuses a pull secret name Kubernetes would not accept", () => {
    const e = errorsOf(
      () =>
        new K8sRouter("llm-router-badpull", {
          provider,
          namespace: "llm",
          image: IMAGE,
          imagePullSecrets: ["Reg_Cred", "a".repeat(254)],
          modelServers: [{ name: "qwen-1-5b", endpoint: "http://llm-qwen-1-5b.llm.svc:8080/v1", servedModelName: "qwen-1-5b" }],
        }),
    );
    expect(e.errors).toHaveLength(2);
    expect(e.errors.slice(0, 1)).toEqual([
      {
        propertyPath: "imagePullSecrets[0]",
        reason: '"Reg_Cred" is not a Secret name (allowed: up to 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit). Use the name shown by kubectl get secrets -n <namespace>',
      },
    ]);
    expect(e.errors[1]?.propertyPath).toBe("imagePullSecrets[1]");
  });

  it("refuses an Ingress without TLS, a bad host, a replica range upside down and a route to nowhere, all at once", () => {
    const e = errorsOf(
      () =>
        new K8sRouter("llm-router-bad", {
          provider,
          namespace: "llm",
          image: IMAGE,
          replicas: 3,
          maxReplicas: 2,
          modelServers: [{ name: "qwen-1-5b", endpoint: "http://llm-qwen-1-5b.llm.svc:8080/v1", servedModelName: "qwen-1-5b" }],
          tiers: { "1": ["missing"] },
          ingress: { host: "not a host" },
        }),
    );
    expect(e.message).toBe('Invalid arguments for K8sRouter "llm-router-bad"');
    expect(e.errors).toEqual([
      { propertyPath: "maxReplicas", reason: "out of range (got 2; allowed: a whole number from 3 to 1000). Make it at least replicas" },
      { propertyPath: "tiers.1[0]", reason: 'unknown target "missing" (known: qwen-1-5b). Use a model server name or <provider>/<model>' },
      { propertyPath: "ingress.host", reason: 'not a DNS name (got "not a host"; e.g. llm.example.com)' },
      { propertyPath: "ingress", reason: "no TLS for not a host (got neither clusterIssuer nor tlsSecretName). Set clusterIssuer (cert-manager) or tlsSecretName, or allowPlainHttp: true" },
    ]);
  });
});
