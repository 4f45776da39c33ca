/**
 * @module Runs {@link startFakeUpstream} as its own process for benches (so load generator, router and
 * upstream each get their own event loop). Prints `READY <port>` on stdout, exits on SIGTERM.
 *
 * Run: `node dist/bench/fake-upstream-process.js [--port N]`
 */
import { startFakeUpstream } from "./fake-upstream";

const i = process.argv.indexOf("--port");
const port = i === -1 ? 0 : Number(process.argv[i + 1]);

startFakeUpstream({ port, name: "bench" }).then((up) => {
  process.stdout.write(`READY ${up.port}\n`);
  process.on("SIGTERM", () => { up.close().then(() => process.exit(0), () => process.exit(1)); });
}, (err: unknown) => {
  process.stderr.write(`fake upstream: ${(err as Error).message}\n`);
  process.exit(1);
});
