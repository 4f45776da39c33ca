import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startFakeUpstream } from "../../bench/fake-upstream";
import { chat, startRouter } from "./router-harness";

describe("graceful shutdown", () => {
  it("lets an in-flight stream finish, refuses new connections, and resolves", async () => {
    const up = await startFakeUpstream({ name: "local", behavior: { chunkDelayMs: 60, chunks: 5 } });
    const router = await startRouter({ upstream: up.url, shutdownTimeoutMs: 5_000 });
    const res = await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m", stream: true })));
    const textP = res.text();
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await router.close();
    const text = await textP;
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2_000);
    await expect(fetch(`${router.origin}/health`)).rejects.toThrow();
    await up.close();
  });

  it("ends a stream that outlives the shutdown timeout with an SSE error event", async () => {
    const up = await startFakeUpstream({ name: "local", behavior: { chunkDelayMs: 200, chunks: 50 } });
    const router = await startRouter({ upstream: up.url, shutdownTimeoutMs: 300 });
    const res = await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m", stream: true })));
    const textP = res.text();
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await router.close();
    const text = await textP;
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(text).not.toContain("[DONE]");
    expect(text).toMatch(/data: \{"error":\{"message":"The stream was interrupted: the router is shutting down\. The answer is incomplete; retry the request\.","type":"server_error","param":null,"code":"stream_interrupted"\}\}\n\n$/);
    await up.close();
  });

  it("answers requests that arrive on an open connection while draining with 503 shutting_down", async () => {
    const up = await startFakeUpstream({ name: "local", behavior: { delayMs: 300 } });
    const router = await startRouter({ upstream: up.url, shutdownTimeoutMs: 2_000 });
    const slow = router.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m" })));
    await new Promise((r) => setTimeout(r, 50));
    const closing = router.close();
    // A second server on the same handler stands in for a connection that was kept alive across close().
    const side = createServer(router.app.handler);
    await new Promise<void>((r) => side.listen(0, "127.0.0.1", () => r()));
    const r = await fetch(`http://127.0.0.1:${(side.address() as AddressInfo).port}/v1/chat/completions`, { method: "POST", body: JSON.stringify(chat("hi", { model: "m" })) });
    const res = { status: r.status, body: await r.text() };
    expect(r.headers.get("connection")).toBe("close");
    expect(r.headers.get("retry-after")).toBe("1");
    side.close();
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).error.code).toBe("shutting_down");
    expect((await slow).status).toBe(200);
    await closing;
    await up.close();
  });

  it("does not wait for a request whose client vanished in the middle of its body", async () => {
    const up = await startFakeUpstream({ name: "local" });
    const router = await startRouter({ upstream: up.url, shutdownTimeoutMs: 10_000 });
    const sock = connect(Number(new URL(router.origin).port), "127.0.0.1");
    await new Promise<void>((r) => sock.once("connect", () => r()));
    sock.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":");
    await new Promise((r) => setTimeout(r, 50));
    sock.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await router.close();
    expect(Date.now() - t0).toBeLessThan(1_000);
    await up.close();
  });
});
