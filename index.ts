/**
 * @module The Pulumi program: reads and validates this stack's config, refuses it if it does not
 * fit, then builds it. Everything else lives in components/ (see docs/architecture.md).
 */
import { LlmStack } from "./components/llm-stack";
import { loadStackFromPulumiConfig } from "./src/config/pulumi-config";

const { config, secrets } = loadStackFromPulumiConfig();
const stack = new LlmStack("llm", { config, secrets });

export const routerUrl = stack.routerUrl;
export const routerApiKey = stack.routerApiKey;
export const grafanaUrl = stack.grafanaUrl;
export const grafanaAdminPassword = stack.grafanaAdminPassword;
export const modelEndpoints = stack.modelEndpoints;
export const plan = stack.plan;
