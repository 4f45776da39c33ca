/**
 * @module Client traffic for the live monitoring test, through the router with the openai SDK: first one of
 * each event a dashboard panel or alert counts (cache hits and misses, bypasses, fallbacks, a failed chain,
 * an auth failure, a rate limit, tier picks, a cut stream, a Redis outage), then a mixed load until the
 * deadline. Bounded in time and count; loopback only.
 */
import OpenAI from "openai";
import { LIVE, type LiveStack } from "./live-stack";

/** How each request ended, counted by outcome (`200`, an HTTP status, `stream-cut`, `error`). */
export type TrafficSummary = Record<string, number>;

/** Most requests the load phase sends, whatever the time left. */
const MAX_LOAD_REQUESTS = 1500;
const LOAD_WORKERS = 3;
/** Pause between one worker's requests: enough events for every panel, CPU left for Prometheus on 2 cores. */
const LOAD_PAUSE_MS = 20;
const REPEATED = ["What is the capital of France?", "Name three primary colors.", "How many legs does a spider have?", "Which planet is the largest?"];

type Body = Record<string, unknown>;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ask = (content: string, extra: Body = {}): Body => ({ model: LIVE.chat, messages: [{ role: "user", content }], temperature: 0, max_tokens: 8, ...extra });

/** Sends one request and names its outcome; expected failures are outcomes, not exceptions. */
async function outcome(send: () => Promise<unknown>): Promise<string> {
  try {
    const r = await send();
    if (r !== null && typeof r === "object" && Symbol.asyncIterator in r) for await (const _ of r as AsyncIterable<unknown>) void _;
    return "200";
  } catch (err) {
    if (err instanceof OpenAI.APIError && err.status !== undefined) return String(err.status);
    // A stream cut after the first byte arrives as an SSE error event, which the SDK throws without a status.
    return err instanceof OpenAI.APIError ? "stream-cut" : "error";
  }
}

/**
 * Drives the traffic for `durationMs` (the scripted events count toward it) and returns the outcome counts.
 *
 * @example
 * const summary = await driveTraffic(stack, 9_000); // { "200": 412, "401": 1, "429": 1, "503": 20, … }
 */
export async function driveTraffic(stack: LiveStack, durationMs: number): Promise<TrafficSummary> {
  const deadline = Date.now() + durationMs;
  const summary: TrafficSummary = {};
  const client = (key: string): OpenAI => new OpenAI({ baseURL: `${stack.routerOrigin}/v1`, apiKey: key, maxRetries: 0, timeout: 5000 });
  const a = client(LIVE.clientKey);
  const chat = (body: Body, headers?: Record<string, string>) => () => a.chat.completions.create(body as never, headers ? { headers } : undefined);
  const run = async (send: () => Promise<unknown>): Promise<string> => {
    const o = await outcome(send);
    summary[o] = (summary[o] ?? 0) + 1;
    return o;
  };
  let unique = 0;
  const fresh = (): string => `Describe item number ${unique++} of the catalogue.`;

  // 1. Cache: a miss that is stored, then exact hits (stores are asynchronous: poll), replayed as JSON and SSE.
  await run(chat(ask(REPEATED[0] as string)));
  for (let i = 0; i < 40; i++) {
    const seen = { cache: "" };
    await run(async () => {
      seen.cache = (await a.chat.completions.create(ask(REPEATED[0] as string) as never).withResponse()).response.headers.get("x-shoestring-cache") ?? "";
    });
    if (seen.cache === "hit-exact") break;
    await sleep(25);
  }
  await run(chat(ask(REPEATED[0] as string, { stream: true, stream_options: { include_usage: true } })));
  // Same words, other case and punctuation: no exact match, a semantic one. An unrelated question misses.
  await run(chat(ask("what is the capital of france")));
  await run(chat(ask("How tall is Mount Everest?", { stream: true })));
  // Bypasses: sampling (temperature > 0) and a time-dependent prompt.
  await run(chat(ask("Tell me a short story.", { temperature: 0.7 })));
  await run(chat(ask("What is the weather like today?")));
  await run(() => a.completions.create({ model: LIVE.chat, prompt: "Once upon a time", max_tokens: 8, temperature: 0 }));
  await run(() => a.embeddings.create({ model: LIVE.embed, input: "hello world", encoding_format: "float" }));

  // 2. Fallbacks (the cloud provider answers 503; temperature > 0 keeps the cache out) and a failed chain.
  await run(chat(ask(fresh(), { model: LIVE.withFallback, temperature: 0.5 })));
  await run(chat(ask(fresh(), { model: LIVE.withFallback, temperature: 0.5, stream: true })));
  await run(chat(ask(fresh(), { model: LIVE.cloudOnly })));

  // 3. Refusals: a wrong key, and a tenant over its 2 requests per minute.
  await run(() => client("sk-not-a-known-key-0123456789").chat.completions.create(ask("Hello?") as never));
  for (let i = 0; i < 3; i++) await run(() => client(LIVE.limitedKey).chat.completions.create(ask(fresh()) as never));

  // 4. model "auto": classifier picks (tier 2 starts at the failing provider) and a header pick.
  await run(chat(ask("Summarize this paragraph about rivers.", { model: "auto" })));
  await run(chat(ask("Extract the date from: it happened on 3 May.", { model: "auto" })));
  await run(chat(ask(fresh(), { model: "auto" }), { "x-shoestring-tier": "3" }));

  // 5. A stream the engine cuts after its second token: the router has already committed, so it is aborted.
  stack.chat.setFailures({ disconnectAfterTokens: 2 });
  try {
    await run(chat(ask(fresh(), { stream: true, max_tokens: 16 })));
  } finally {
    stack.chat.setFailures({ disconnectAfterTokens: undefined, disconnectRate: undefined });
  }

  // 6. Redis goes away for a moment: requests are served uncached and the router counts cache errors.
  await stack.redis.stop();
  for (let i = 0; i < 3; i++) await run(chat(ask(fresh())));
  await stack.redis.restart();

  // 7. Mixed load until the deadline.
  let sent = 0;
  const mix: ((i: number) => () => Promise<unknown>)[] = [
    (i) => chat(ask(REPEATED[i % REPEATED.length] as string)),
    (i) => chat(ask((REPEATED[i % REPEATED.length] as string).toLowerCase().replace(/[?.]/g, ""))),
    () => chat(ask(fresh(), { stream: true, stream_options: { include_usage: true } })),
    () => chat(ask(fresh(), { model: LIVE.withFallback, temperature: 0.5 })),
    (i) => chat(ask(i % 2 === 0 ? "Translate this sentence into French." : "Convert this list to JSON.", { model: "auto", temperature: 0.3 })),
    (i) => () => a.embeddings.create({ model: LIVE.embed, input: `sentence ${i}`, encoding_format: "float" }),
    (i) => chat(ask(i % 10 === 0 ? fresh() : (REPEATED[1] as string), i % 10 === 0 ? { model: LIVE.cloudOnly } : {})),
  ];
  const worker = async (w: number): Promise<void> => {
    for (let i = w; Date.now() < deadline && sent < MAX_LOAD_REQUESTS; i += LOAD_WORKERS) {
      sent++;
      await run((mix[i % mix.length] as (i: number) => () => Promise<unknown>)(i));
      await sleep(LOAD_PAUSE_MS);
    }
  };
  await Promise.all(Array.from({ length: LOAD_WORKERS }, (_, w) => worker(w)));
  return summary;
}
