import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, type Recorded } from "./pulumi";

describe("the Pulumi mock harness", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks();
  });

  it("records registrations with their inputs and keeps secrets wrapped", async () => {
    const image = new docker.RemoteImage("redis", { name: "redis:7.4.11-alpine" });
    const container = new docker.Container("redis", {
      image: image.imageId,
      envs: [pulumi.secret("REDIS_PASSWORD=hunter2")],
    });
    expect(await unwrap(image.imageId)).toBe("sha256:mock-redis");
    await unwrap(container.id);
    await settle();
    expectRegistered(recorded);
    const inputs = byName(recorded, "docker:index/container:Container", "redis").inputs;
    expect(inputs.image).toBe("sha256:mock-redis");
    expect(containsSecret(inputs.envs)).toBe(true);
    expect(containsSecret(inputs.image)).toBe(false);
  });

  it("rejects an invoke nobody mocked instead of answering with its inputs", async () => {
    await expect(pulumi.runtime.invoke("aws:ec2/getKeyPair:getKeyPair", { keyName: "k" })).rejects.toBeInstanceOf(Error);
    expect(recorded.calls.map((c) => c.token)).toContain("aws:ec2/getKeyPair:getKeyPair");
  });
});
