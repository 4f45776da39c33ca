import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "../../../components/kubernetes/cluster";
import { expectRegistered, installMocks, type Recorded } from "../../helpers/pulumi";

// A failed lookup surfaces as rejected registrations, which never settle: this file holds only
// this case, so no other test waits on them.
describe("Cluster on EKS in a region with too few zones", () => {
  let recorded: Recorded;
  const failures: string[] = [];
  const onRejection = (error: unknown) => failures.push(String((error as Error).message));
  beforeAll(async () => {
    process.on("unhandledRejection", onRejection);
    recorded = await installMocks({
      calls: (a) =>
        a.token === "aws:index/getAvailabilityZones:getAvailabilityZones" ? { names: ["ap-tiny-1b", "ap-tiny-1a"], zoneIds: ["apt1-az2", "apt1-az1"] } : undefined,
    });
  });
  afterAll(() => {
    process.off("unhandledRejection", onRejection);
  });

  it("fails naming the usable zones and the fix, and creates no subnet", async () => {
    new Cluster("fewaz", { kind: "eks", publicAccessCidrs: [], region: "ap-tiny-1", availabilityZoneCount: 3 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expectRegistered(recorded);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.endsWith(
      'Cluster "fewaz": region ap-tiny-1 has 2 availability zone(s) EKS can use (ap-tiny-1a, ap-tiny-1b) but availabilityZoneCount is 3. Set availabilityZoneCount to 2, or pick another region.',
    ))).toBe(true);
    expect(recorded.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet")).toEqual([]);
  });
});
