import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import { chat, sample, startRouter, type TestRouter } from "./router-harness";

describe("/metrics", () => {
  let up: FakeUpstream;
  let router: TestRouter;

  beforeAll(async () => {
    up = await startFakeUpstream({ name: "local" });
    router = await startRouter({ upstream: up.url, models: [{ name: "chat", targets: [{ backend: "upstream", model: "m" }] }] });
    await router.post("/v1/chat/completions", JSON.stringify(chat("hi")));
    await (await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { stream: true })))).text();
    await router.post("/v1/chat/completions", "{bad");
  });
  afterAll(async () => {
    await router.close();
    await up.close();
  });

  it("passes promtool's lint for every router metric", async () => {
    const text = await router.metrics();
    // prom-client's default process/nodejs gauges end in _total and fail the lint by design (toolbox §1).
    const own = text.split("\n").filter((l) => !/shoestring_router_(process|nodejs)_/.test(l)).join("\n");
    const r = spawnSync("promtool", ["check", "metrics"], { input: own, encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
    expect(r.status).toBe(0);
  });

  it("serves the Prometheus text content type", async () => {
    const r = await fetch(`${router.origin}/metrics`);
    expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await r.text()).toContain('shoestring_router_errors_total{code="invalid_json"} 1');
  });
});

describe("/metrics in_flight and queued", () => {
  it("reports per-backend load at scrape time and returns to zero", async () => {
    const up = await startFakeUpstream({ name: "slow", behavior: { delayMs: 400 } });
    const router = await startRouter({ upstream: up.url, maxInFlight: 1, models: [{ name: "chat", targets: [{ backend: "upstream", model: "m" }] }] });
    try {
      const both = [router.post("/v1/chat/completions", JSON.stringify(chat("a"))), router.post("/v1/chat/completions", JSON.stringify(chat("b")))];
      await new Promise((r) => setTimeout(r, 150));
      const during = await router.metrics();
      expect(sample(during, "shoestring_router_in_flight", { backend: "upstream" })).toBe(1);
      expect(sample(during, "shoestring_router_queued", { backend: "upstream" })).toBe(1);
      expect((await Promise.all(both)).map((r) => r.status)).toEqual([200, 200]);
      const after = await router.metrics();
      expect(after).toContain('shoestring_router_in_flight{backend="upstream"} 0');
      expect(after).toContain('shoestring_router_queued{backend="upstream"} 0');
    } finally {
      await router.close();
      await up.close();
    }
  });
});
