/** @module Test harness: an in-process router on 127.0.0.1:0 plus OpenAI clients pointed at it. */
import OpenAI from "openai";
import { createApp, type RouterApp, type RouterDeps } from "../../images/router/src/app";
import { resolveRouterConfig, type RouterConfig } from "../../images/router/src/config-load";
import { createLogger } from "../../images/router/src/logger";

/** A running test router. */
export interface TestRouter {
  /** The app. */
  app: RouterApp;
  /** The resolved config. */
  config: RouterConfig;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** An OpenAI client (no retries, 5 s timeout). */
  client(apiKey?: string): OpenAI;
  /** POST a raw body (for malformed input). */
  post(path: string, body: string | Buffer, headers?: Record<string, string>): Promise<Response>;
  /** Prometheus text. */
  metrics(): Promise<string>;
  /** Graceful close. */
  close(): Promise<void>;
}

/** Starts a router from a config object in the file shape (logs silent unless given). */
export async function startRouter(input: Record<string, unknown>, opts: { env?: NodeJS.ProcessEnv; deps?: RouterDeps } = {}): Promise<TestRouter> {
  const config = resolveRouterConfig({ logLevel: "silent", accessLog: false, host: "127.0.0.1", port: 0, ...input }, opts.env ?? {});
  const app = createApp(config, { logger: createLogger(config.logLevel), ...opts.deps });
  const addr = await app.listen(0, "127.0.0.1");
  const origin = `http://127.0.0.1:${addr.port}`;
  return {
    app,
    config,
    origin,
    client: (apiKey = "none") => new OpenAI({ baseURL: `${origin}/v1`, apiKey, maxRetries: 0, timeout: 5000 }),
    post: (path, body, headers = {}) => fetch(`${origin}${path}`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers: { "content-type": "application/json", ...headers } }),
    metrics: async () => (await fetch(`${origin}/metrics`)).text(),
    close: () => app.close(),
  };
}

/** Value of one sample in Prometheus text, matched by name and a label subset; 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/** A chat body. */
export const chat = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model: "chat", messages: [{ role: "user", content }], temperature: 0, ...extra });
