/**
 * @module The smallest useful proxy (node:http server + undici Pool, body piped back, nothing else) as its
 * own process: router-overhead.ts measures it beside the router to show the latency floor that two
 * extra loopback hops and one more process set on the machine, apart from anything the router does.
 * Prints `READY <port>` on stdout, exits on SIGTERM.
 *
 * Run: `node dist/bench/bare-proxy-process.js --upstream-port N`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";

const i = process.argv.indexOf("--upstream-port");
const upstreamPort = Number(process.argv[i + 1]);
if (i === -1 || !Number.isInteger(upstreamPort)) {
  process.stderr.write("bare proxy: --upstream-port N is required\n");
  process.exit(2);
}

// Same pool size as the router's default per backend, so connection reuse is alike.
const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 64 });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    pool.request({ path: req.url ?? "/", method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) }).then((up) => {
      res.writeHead(up.statusCode, { "content-type": String(up.headers["content-type"] ?? "application/json") });
      up.body.pipe(res);
    }, () => { res.writeHead(502).end(); });
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => { server.close(); void pool.close().then(() => process.exit(0)); });
