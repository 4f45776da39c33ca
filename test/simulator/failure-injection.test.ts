import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { SimulatorOptionsError } from "../../src/simulator";
import { MODEL, startSimulator, type RunningSimulator } from "./_simulator-fixture";

let running: RunningSimulator | undefined;
afterEach(async () => {
  await running?.sim.close();
  running = undefined;
});

const ask = (content: string, max_tokens = 4) => ({ model: MODEL, messages: [{ role: "user" as const, content }], max_tokens });

async function outcomes(client: OpenAI, count: number): Promise<string> {
  let pattern = "";
  for (let i = 0; i < count; i++) {
    pattern += await client.chat.completions.create(ask(`request ${i}`)).then(
      () => ".",
      () => "x",
    );
  }
  return pattern;
}

describe("simulator failure injection", () => {
  it("fails about errorRate of the requests with HTTP 500, the same ones for the same seed", async () => {
    running = await startSimulator({ seed: 11, failures: { errorRate: 0.5 } });
    const first = await outcomes(running.client, 40);
    await running.sim.close();
    running = await startSimulator({ seed: 11, failures: { errorRate: 0.5 } });
    const second = await outcomes(running.client, 40);
    expect(second).toBe(first);
    const failed = [...first].filter((c) => c === "x").length;
    expect(failed).toBeGreaterThanOrEqual(12);
    expect(failed).toBeLessThanOrEqual(28);
    expect(running.sim.stats().injected.errors).toBe(failed);
  });

  it("answers an injected error in the OpenAI envelope as InternalServerError", async () => {
    running = await startSimulator({ failures: { errorRate: 1 } });
    const error = await running.client.chat.completions.create(ask("boom")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as Error).message).toBe("500 Simulated engine failure (failures.errorRate=1).");
  });

  it("cuts the stream after disconnectAfterTokens tokens, without [DONE]", async () => {
    running = await startSimulator({ failures: { disconnectAfterTokens: 3 } });
    const stream = await running.client.chat.completions.create({ ...ask("cut me", 10), stream: true });
    const words: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content;
        if (content) words.push(content);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(words).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(running.sim.stats()).toMatchObject({ injected: { disconnects: 1 }, finished: { abort: 1, length: 0 }, running: 0 });
  });

  it("drops a non-stream request's connection when it is cut", async () => {
    running = await startSimulator({ failures: { disconnectAfterTokens: 2 } });
    const error = await running.client.chat.completions.create(ask("cut me too", 10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("stalls a stream for stallMs after its first token", async () => {
    running = await startSimulator({ failures: { stallMs: 150 } });
    const stream = await running.client.chat.completions.create({ ...ask("slow down", 3), stream: true });
    const times: number[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) times.push(performance.now());
    expect(times).toHaveLength(3);
    // token 1 → 2 waits the 150 ms stall (less whatever delayed token 1's delivery); 2 → 3 is one 2 ms step
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(100);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeLessThan(50);
    expect(running.sim.stats().injected.stalls).toBe(1);
  });

  it("delays every request by slowStartMs before answering", async () => {
    running = await startSimulator({ failures: { slowStartMs: 120 } });
    const started = performance.now();
    await running.client.chat.completions.create(ask("hello", 1));
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it("changes failures at run time with setFailures, merging into the current ones", async () => {
    running = await startSimulator();
    await expect(running.client.chat.completions.create(ask("fine"))).resolves.toBeDefined();
    running.sim.setFailures({ errorRate: 1 });
    await expect(running.client.chat.completions.create(ask("broken"))).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    running.sim.setFailures({ slowStartMs: 1 });
    await expect(running.client.chat.completions.create(ask("still broken"))).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    running.sim.setFailures({ errorRate: 0 });
    await expect(running.client.chat.completions.create(ask("fine again"))).resolves.toBeDefined();
  });

  it("refuses invalid failures with every problem listed, keeping the previous ones", async () => {
    running = await startSimulator();
    let error: unknown;
    try {
      running.sim.setFailures({ errorRate: 1.5, stallRate: -1, disconnectAfterTokens: 2.5 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulatorOptionsError);
    expect((error as Error).message).toBe(
      "Invalid simulator options:\n" +
        "  - failures.errorRate must be a probability between 0 and 1 (got 1.5); 0.1 fails one request in ten\n" +
        "  - failures.stallRate must be a probability between 0 and 1 (got -1); 1 stalls every stream\n" +
        "  - failures.disconnectAfterTokens must be an integer ≥ 0 (got 2.5); 0 cuts the connection before the first token",
    );
    await expect(running.client.chat.completions.create(ask("unchanged"))).resolves.toBeDefined();
  });
});
