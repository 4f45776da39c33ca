/**
 * @module V8 heap tuning for the router process. Under proxy load V8's allocation-site pretenuring misfires:
 * a burst of requests in flight during an early scavenge makes per-request literals look long-lived, V8 then
 * allocates them straight into old space, and every young object they point to survives scavenges until the
 * next full GC. Measured with `bench/router-overhead.ts` on 2 cores: scavenges 4.5 ms → 0.8 ms and 10–25% more
 * requests/s through the router. The decision is self-reinforcing and timing-dependent, so it cannot be fixed
 * by reshaping our code; turning the heuristic off is the supported V8 switch.
 */
import { setFlagsFromString } from "node:v8";

/** V8 flags the router sets on itself at start-up. */
export const ROUTER_V8_FLAGS: readonly string[] = ["--no-allocation-site-pretenuring"];

/**
 * Applies {@link ROUTER_V8_FLAGS} unless the process was started with an explicit opposite
 * (`node --allocation-site-pretenuring …`). Call it before serving traffic: it steers later GC decisions
 * only. Returns the flags it set.
 */
export function applyRouterV8Flags(execArgv: readonly string[] = process.execArgv, set: (flag: string) => void = setFlagsFromString): string[] {
  const applied: string[] = [];
  for (const flag of ROUTER_V8_FLAGS) {
    const opposite = flag.replace(/^--no-/, "--");
    if (execArgv.includes(opposite)) continue;
    set(flag);
    applied.push(flag);
  }
  return applied;
}
