import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { startFakeUpstream } from "../../bench/fake-upstream";
import { createLogger } from "../../images/router/src/logger";
import { chat, startRouter } from "./router-harness";

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = "";
  const stream = new Writable({ write(chunk, _enc, cb) { text += String(chunk); cb(); } });
  return { stream, lines: () => text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("JSON logs", () => {
  it("writes one access line per request with the request id, and none when the access log is off", async () => {
    const up = await startFakeUpstream({ name: "local" });
    const on = capture();
    const router = await startRouter({ upstream: up.url, accessLog: true }, { deps: { logger: createLogger("info", on.stream) } });
    await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m" })), { "x-request-id": "req-42", authorization: "Bearer sk-secret-value" });
    await fetch(`${router.origin}/health`);
    await new Promise((r) => setTimeout(r, 20));
    const access = on.lines().filter((l) => l.msg === "request");
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 30, reqId: "req-42", method: "POST", path: "/v1/chat/completions", status: 200, model: "m", backend: "upstream", service: "shoestring-router" });
    expect(JSON.stringify(on.lines())).not.toContain("sk-secret-value");
    await router.close();

    const off = capture();
    const quiet = await startRouter({ upstream: up.url, accessLog: false }, { deps: { logger: createLogger("info", off.stream) } });
    await quiet.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m" })));
    await new Promise((r) => setTimeout(r, 20));
    expect(off.lines().filter((l) => l.msg === "request")).toEqual([]);
    await quiet.close();
    await up.close();
  });

  it("logs a fallback as a warning with the request id and the reason", async () => {
    const a = await startFakeUpstream({ name: "a", behavior: { status: 500 } });
    const b = await startFakeUpstream({ name: "b" });
    const log = capture();
    const router = await startRouter({
      backends: [{ name: "a", baseUrl: a.url }, { name: "b", baseUrl: b.url }],
      models: [{ name: "chat", targets: [{ backend: "a", model: "x" }, { backend: "b", model: "y" }] }],
    }, { deps: { logger: createLogger("warn", log.stream) } });
    await router.post("/v1/chat/completions", JSON.stringify(chat("hi")), { "x-request-id": "req-7" });
    await new Promise((r) => setTimeout(r, 20));
    expect(log.lines().find((l) => l.msg === "falling back to the next target")).toMatchObject({ level: 40, reqId: "req-7", from: "a", to: "b", reason: "status_5xx" });
    await router.close();
    await a.close();
    await b.close();
  });
});
