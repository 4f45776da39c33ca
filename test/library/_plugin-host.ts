/**
 * @module Starts a source-based component plugin exactly as the Pulumi CLI does for
 * `pulumi package add` (`node @pulumi/pulumi/cmd/run-plugin <plugin dir>`: ts-node, `require`,
 * component discovery, a gRPC provider on 127.0.0.1) and asks it for its schema over gRPC.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

/** The schema a plugin serves, and how long it took from start to answer. */
export interface ServedSchema {
  schema: { name: string; version: string; resources: Record<string, unknown>; types: Record<string, unknown> };
  stderr: string;
}

/**
 * Runs `@pulumi/pulumi/cmd/run-plugin` from `sdkRoot`'s node_modules (the copy a consumer would have)
 * on `pluginDir`, calls GetSchema on the port it prints, then stops it.
 */
export async function serveSchema(sdkRoot: string, pluginDir: string, timeoutMs = 90_000): Promise<ServedSchema> {
  const requireFrom = createRequire(join(sdkRoot, "package.json"));
  const runPlugin = requireFrom.resolve("@pulumi/pulumi/cmd/run-plugin/index.js");
  const grpc = requireFrom("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const services = requireFrom("@pulumi/pulumi/proto/provider_grpc_pb.js") as { ResourceProviderClient: new (address: string, creds: unknown) => GrpcClient };
  const messages = requireFrom("@pulumi/pulumi/proto/provider_pb.js") as { GetSchemaRequest: new () => unknown };

  const child = spawn(process.execPath, [runPlugin, pluginDir], { cwd: pluginDir, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no port from the plugin within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const line = /^(\d+)\s*$/m.exec(out);
        if (line) {
          clearTimeout(timer);
          resolve(line[1]!);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`plugin exited with ${code} before serving; stderr: ${stderr}`));
      });
    });
    const client = new services.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const text = await new Promise<string>((resolve, reject) =>
      client.getSchema(new messages.GetSchemaRequest(), (err, res) => (err ? reject(err) : resolve(res!.getSchema()))),
    );
    client.close();
    return { schema: JSON.parse(text) as ServedSchema["schema"], stderr };
  } finally {
    child.kill();
  }
}

interface GrpcClient {
  getSchema(req: unknown, cb: (err: Error | null, res?: { getSchema(): string }) => void): void;
  close(): void;
}
