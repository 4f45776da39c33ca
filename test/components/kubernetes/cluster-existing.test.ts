import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "../../../components/kubernetes/cluster";
import { byName, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";

const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers:\n- name: me\n  user:\n    token: plaintext-token-123\n";

describe("Cluster on an existing cluster", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks();
  });

  it("creates only a Kubernetes provider: no AWS resource and no AWS lookup", async () => {
    const cluster = new Cluster("mine", { kind: "kubernetes", context: "gpu-prod", storageClassName: "fast-ssd" });
    await unwrap(pulumi.all([cluster.kubeconfig, cluster.storageClassName]));
    await settle();
    expectRegistered(recorded);
    expect(recorded.resources.map((r) => `${r.type}::${r.name}`)).toEqual(["shoestring:index:Cluster::mine", "pulumi:providers:kubernetes::mine-k8s"]);
    expect(recorded.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    expect(recorded.calls).toEqual([]);
    const provider = byName(recorded, "pulumi:providers:kubernetes", "mine-k8s").inputs;
    expect(provider.context).toBe("gpu-prod");
    expect(provider.kubeconfig).toBeUndefined();
    expect(cluster.kind).toBe("kubernetes");
    expect(await unwrap(pulumi.all([cluster.storageClassName, cluster.kubeconfig, cluster.clusterName, cluster.nodeRoleArn, cluster.privateSubnetIds]))).toEqual([
      "fast-ssd",
      undefined,
      undefined,
      undefined,
      [],
    ]);
  });

  it("keeps a given kubeconfig secret in the provider inputs and in its own output, even when passed as plain text", async () => {
    const cluster = new Cluster("given", { kind: "kubernetes", kubeconfig: KUBECONFIG });
    await unwrap(cluster.kubeconfig);
    await settle();
    const provider = byName(recorded, "pulumi:providers:kubernetes", "given-k8s").inputs;
    expect(pulumi.runtime.isRpcSecret(provider.kubeconfig)).toBe(true);
    expect(pulumi.runtime.unwrapRpcSecret(provider.kubeconfig)).toBe(KUBECONFIG);
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    expect(await unwrap(cluster.storageClassName)).toBeUndefined();
  });

  it("refuses an empty kubeconfig or context", () => {
    expect(() => new Cluster("empty", { kind: "kubernetes", kubeconfig: "", context: "" })).toThrow(
      [
        'Invalid arguments for Cluster "empty":',
        "  - kubeconfig: is empty. Leave kubeconfig unset to use the ambient kubeconfig, or give a value.",
        "  - context: is empty. Leave context unset to use the ambient kubeconfig, or give a value.",
      ].join("\n"),
    );
  });
});
