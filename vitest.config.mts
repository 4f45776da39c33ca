import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Pulumi keeps runtime state per process; forks + isolate keeps mocks and config from leaking
    // between files (shared/reference/pulumi-testing.md §2).
    pool: "forks",
    isolate: true,
    // An output that never resolves waits for the timeout, so keep it modest.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
