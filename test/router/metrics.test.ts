import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import { chat, startRouter, type TestRouter } from "./router-harness";

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
