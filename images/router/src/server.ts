/** @module Entry point of `shoestring-router`: parse config → createApp → listen → drain on SIGTERM/SIGINT. */
import { createApp } from "./app";
import { loadRouterConfig, parseArgv, RouterConfigError } from "./config-load";
import { renderRouterHelp } from "./flags-table";
import { applyRouterV8Flags } from "./v8-tuning";

function version(): string {
  try {
    // dist/images/router/src/server.js → package.json at the package root.
    return (require("../../../../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgv(argv);
  if (args.help) { process.stdout.write(`${renderRouterHelp()}\n`); return; }
  if (args.version) { process.stdout.write(`${version()}\n`); return; }
  let config;
  try {
    config = loadRouterConfig({ argv, env: process.env });
  } catch (err) {
    if (err instanceof RouterConfigError) {
      process.stderr.write(`shoestring-router: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  applyRouterV8Flags();
  const app = createApp(config);
  const log = app.runtime.log;
  let addr;
  try {
    addr = await app.listen();
  } catch (err) {
    process.stderr.write(`shoestring-router: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}. Pick another --port or stop the process using it.\n`);
    process.exitCode = 1;
    await app.close();
    return;
  }
  log.info({ host: addr.address, port: addr.port, backends: config.backends.map((b) => b.name), cache: app.runtime.cache ? "on" : "off", auth: app.runtime.auth.enabled }, "shoestring-router listening");
  let signals = 0;
  const stop = (signal: string): void => {
    if (++signals > 1) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    log.info({ signal, shutdownTimeoutMs: config.shutdownTimeoutMs }, "draining");
    app.close().then(
      () => { log.info("stopped"); process.exit(0); },
      (err: unknown) => { log.error({ err }, "error during shutdown"); process.exit(1); },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(`shoestring-router: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
