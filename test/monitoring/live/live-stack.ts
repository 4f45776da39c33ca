/**
 * @module The serving stack of the live monitoring test, all in-process or child processes on 127.0.0.1:
 * a real redis-server, two engine simulators (chat, embeddings), a cloud-like provider that always fails,
 * stand-ins for llama.cpp and the DCGM exporter, and the router built from the kit's own router config
 * (`buildRouterConfig`), plus the scrape targets the kit's Docker path would give Prometheus for them.
 */
import { createApp, type RouterApp } from "../../../images/router/src/app";
import { resolveRouterConfig } from "../../../images/router/src/config-load";
import { createLogger } from "../../../images/router/src/logger";
import { startFakeUpstream } from "../../../bench/fake-upstream";
import type { ScrapeTarget } from "../../../src/monitoring";
import { buildRouterConfig, type RouterConfigSpec } from "../../../src/router-config";
import { createSimulator, type Simulator, type SimulatorProfile } from "../../../src/simulator";
import { startRedis, type TestRedis } from "../../helpers/redis-server";
import { dcgmFamilies, llamaCppFamilies, startExpositionStandIn } from "./exposition-stand-in";

/** Names of the stack: stack model names (router backends and scrape jobs) and what clients send. */
export const LIVE = {
  chat: "chat-7b",
  embed: "embed-small",
  llamaCpp: "llama-edge",
  cloud: "cloud",
  cloudModel: "gpt-4o-mini",
  /** Alias whose first target (the cloud provider) always fails, so every request falls back. */
  withFallback: "chat-with-fallback",
  /** Alias whose only target always fails: 5xx answers. */
  cloudOnly: "cloud-only",
  /** Client key of the unlimited tenant. */
  clientKey: "sk-live-monitoring-team-a-0123456789",
  /** Client key of a tenant limited to 2 requests per minute. */
  limitedKey: "sk-live-monitoring-limited-0123456789",
  /** Bearer token the llama.cpp stand-in wants, as llama.cpp with `--api-key`. */
  llamaCppToken: "llama-internal-key-0123456789",
} as const;

/** Fast engine: 2 ms per token, 100k prompt tokens/s, 8 sequences; a request takes a few ms. */
const FAST_PROFILE: SimulatorProfile = {
  prefillTokensPerSecond: 100_000,
  decodeMsPerToken: 2,
  batchSlowdownPerSeq: 0,
  maxNumSeqs: 8,
  maxModelLen: 2048,
  kvCacheTokens: 65_536,
};

/** The running stack. */
export interface LiveStack {
  /** `http://127.0.0.1:<port>` of the router. */
  readonly routerOrigin: string;
  /** The chat simulator (its failures can be switched on for a moment). */
  readonly chat: Simulator;
  /** The router's Redis (stopped and restarted to produce cache errors). */
  readonly redis: TestRedis;
  /** The router app. */
  readonly router: RouterApp;
  /**
   * Scrape targets as `DockerMonitoring` builds them (its own `prometheus` and `dcgm-exporter` jobs first,
   * then the router and one job per model server named after the model), with loopback addresses.
   */
  scrapeTargets(prometheusAddress: string, tokenFile: (job: string) => string): ScrapeTarget[];
  /** Stops everything that was started, newest first. */
  stop(): Promise<void>;
}

/** Starts the stack; on a failure part way, stops what had started and rethrows. */
export async function startLiveStack(): Promise<LiveStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const sim = async (name: string): Promise<{ sim: Simulator; address: string }> => {
      const s = createSimulator({ profile: FAST_PROFILE, modelName: `sim-${name}`, seed: 11, embeddingDimensions: 384 });
      cleanups.push(() => s.close());
      const { port } = await s.listen(0, "127.0.0.1");
      return { sim: s, address: `127.0.0.1:${port}` };
    };
    const chat = await sim(LIVE.chat);
    const embed = await sim(LIVE.embed);
    const cloud = await startFakeUpstream({ name: LIVE.cloud, behavior: { status: 503 } });
    cleanups.push(() => cloud.close());
    const llama = await startExpositionStandIn(llamaCppFamilies(), { bearerToken: LIVE.llamaCppToken });
    cleanups.push(() => llama.close());
    const dcgm = await startExpositionStandIn(dcgmFamilies());
    cleanups.push(() => dcgm.close());

    const spec: RouterConfigSpec = {
      modelServers: [
        { name: LIVE.chat, endpoint: `http://${chat.address}/v1`, servedModelName: `sim-${LIVE.chat}`, tier: 1, contextTokens: FAST_PROFILE.maxModelLen, usdPer1MInput: 0.5, usdPer1MOutput: 1.5 },
        { name: LIVE.embed, endpoint: `http://${embed.address}/v1`, servedModelName: `sim-${LIVE.embed}`, role: "embeddings" },
      ],
      providers: [{ name: LIVE.cloud, kind: "openai", baseUrl: cloud.url, apiKeyEnv: "CLOUD_API_KEY", models: [LIVE.cloudModel], usdPer1MInput: 0.15, usdPer1MOutput: 0.6 }],
      tiers: { "1": [LIVE.chat], "2": [`${LIVE.cloud}/${LIVE.cloudModel}`, LIVE.chat], "3": [LIVE.chat] },
      aliases: { [LIVE.withFallback]: [`${LIVE.cloud}/${LIVE.cloudModel}`, LIVE.chat], [LIVE.cloudOnly]: [`${LIVE.cloud}/${LIVE.cloudModel}`] },
      cache: { redisUrl: redis.url, semantic: { enabled: true, embeddingModel: LIVE.embed } },
      tenants: [{ id: "team-a", keys: [LIVE.clientKey] }, { id: "limited", keys: [LIVE.limitedKey], rpm: 2 }],
    };
    const config = resolveRouterConfig(
      { ...buildRouterConfig(spec), logLevel: "silent", accessLog: false, host: "127.0.0.1", port: 0 },
      { CLOUD_API_KEY: "sk-cloud-never-reached-0123456789" },
    );
    const router = createApp(config, { logger: createLogger("silent") });
    const { port: routerPort } = await router.listen(0, "127.0.0.1");
    // Stopped first (newest first): the router drains and quits Redis before the servers behind it go away.
    cleanups.push(() => router.close());

    return {
      routerOrigin: `http://127.0.0.1:${routerPort}`,
      chat: chat.sim,
      redis,
      router,
      scrapeTargets: (prometheusAddress, tokenFile) => [
        // components/monitoring/docker-monitoring.ts: its own jobs, then the stack's (components/llm-stack.ts).
        { job: "prometheus", address: prometheusAddress, metricsPath: "/metrics", component: "monitoring" },
        { job: "dcgm-exporter", address: dcgm.address, metricsPath: "/metrics", component: "gpu-exporter" },
        { job: "router", address: `127.0.0.1:${routerPort}`, metricsPath: "/metrics", component: "router" },
        { job: LIVE.chat, address: chat.address, metricsPath: "/metrics", component: "model-server" },
        { job: LIVE.embed, address: embed.address, metricsPath: "/metrics", component: "model-server" },
        // llama.cpp serves /metrics behind its API key: the Docker path gives its job a bearer-token file.
        { job: LIVE.llamaCpp, address: llama.address, metricsPath: "/metrics", component: "model-server", bearerTokenFile: tokenFile(LIVE.llamaCpp) },
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
