/** K8sRedis under mocks: one-replica StatefulSet, password from a Secret, memory cap, optional claim, and errors. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sRedis } from "../../../components/kubernetes/k8s-redis";
import { REDIS_HEALTHCHECK_SCRIPT, redisServerScript } from "../../../components/cache/redis-command";
import { VERSIONS } from "../../../src/versions";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";
import { errorsOf, visibleInputs } from "./fixtures";

const STS = "kubernetes:apps/v1:StatefulSet";
const SECRET = "kubernetes:core/v1:Secret";
const SERVICE = "kubernetes:core/v1:Service";
const PASSWORD = "redis-pass-0123456789";

describe("K8sRedis", () => {
  let recorded: Recorded;
  let provider: k8s.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
  });

  it("runs one non-root replica with the password from a Secret, a 256 MiB LRU cap and no disk", async () => {
    const cache = new K8sRedis("llm-redis", { provider, namespace: "llm", password: pulumi.secret(PASSWORD) });
    expect(await unwrap(cache.url)).toBe(`redis://:${PASSWORD}@llm-redis.llm.svc:6379`);
    expect(await pulumi.isSecret(cache.url)).toBe(true);
    expect(await unwrap(cache.host)).toBe("llm-redis.llm.svc");
    await settle();
    expectRegistered(recorded);
    expect(recorded.resources.filter((r) => r.name.startsWith("llm-redis")).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      `${STS} llm-redis-statefulset`,
      `${SECRET} llm-redis-auth`,
      `${SERVICE} llm-redis-service`,
      "shoestring:index:K8sRedis llm-redis",
    ]);
    const sts = byName(recorded, STS, "llm-redis-statefulset").inputs.spec;
    expect(sts.replicas).toBe(1);
    expect(sts.serviceName).toBe("llm-redis");
    expect(sts.volumeClaimTemplates).toBeUndefined();
    const pod = sts.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.volumes).toEqual([{ name: "data", emptyDir: { sizeLimit: "64Mi" } }]);
    const c = pod.containers[0];
    expect(c.image).toBe(VERSIONS.redis.image);
    expect(c.command).toEqual(["sh", "-c", redisServerScript({ maxMemoryMb: 256, persistence: false })]);
    expect(c.env).toEqual([{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "llm-redis-auth-mock", key: "REDIS_PASSWORD" } } }]);
    expect(c.resources).toEqual({ requests: { cpu: "100m", memory: "448Mi" }, limits: { memory: "448Mi" } });
    expect(c.readinessProbe).toEqual({ exec: { command: ["sh", "-c", REDIS_HEALTHCHECK_SCRIPT] }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(byName(recorded, SERVICE, "llm-redis-service").inputs.spec.ports).toEqual([{ name: "redis", port: 6379, targetPort: "redis", protocol: "TCP" }]);

    const secret = byName(recorded, SECRET, "llm-redis-auth").inputs;
    expect(containsSecret(secret.stringData)).toBe(true);
    expect(unwrapSecrets(secret.stringData)).toEqual({ REDIS_PASSWORD: PASSWORD });
    for (const r of recorded.resources.filter((x) => x.name.startsWith("llm-redis"))) expect(visibleInputs(r.inputs)).not.toContain(PASSWORD);
  });

  it("keeps an append-only file on a claim when persistence is on, and generates the password when none is given", async () => {
    const cache = new K8sRedis("llm-redis-aof", { provider, namespace: "llm", persistence: true, maxMemoryMb: 1024, storageClassName: "gp3" });
    expect(await unwrap(cache.password)).toBe("mock-random-password");
    await settle();
    expect(byName(recorded, "random:index/randomPassword:RandomPassword", "llm-redis-aof-password").inputs).toMatchObject({ length: 32, special: false });
    const sts = byName(recorded, STS, "llm-redis-aof-statefulset").inputs.spec;
    expect(sts.template.spec.volumes).toBeUndefined();
    expect(sts.volumeClaimTemplates).toEqual([{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "2Gi" } } } }]);
    expect(sts.template.spec.containers[0].command[2]).toBe(redisServerScript({ maxMemoryMb: 1024, persistence: true }));
    expect(sts.template.spec.containers[0].resources.limits).toEqual({ memory: "1600Mi" });
  });

  it("emits only objects that validate against the Kubernetes schemas", async () => {
    await settle();
    expect(expectValidK8sObjects(recorded)).toBe(6);
  });

  it("refuses a memory limit below maxmemory and storage settings without persistence", () => {
    const e = errorsOf(() => new K8sRedis("llm-redis-bad", { provider, namespace: "llm", maxMemoryMb: 512, memoryLimitMb: 256, storageSizeGi: 5 }));
    expect(e.message).toBe('Invalid arguments for K8sRedis "llm-redis-bad"');
    expect(e.errors).toEqual([
      { propertyPath: "memoryLimitMb", reason: "out of range (got 256; allowed: a whole number from 513 to 1048576). Leave it unset for 832" },
      { propertyPath: "persistence", reason: "storageSizeGi and storageClassName need persistence (got persistence unset). Set persistence: true, or remove them" },
    ]);
  });
});
