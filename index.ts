/**
 * The Pulumi program: read and validate this stack's config, refuse it if it does not fit, then
 * build it. Everything else lives in components/ (see docs/architecture.md).
 */
import { createStack } from "./components/create-stack";
import { loadStackFromPulumiConfig } from "./src/config/pulumi-config";

const { config, secrets } = loadStackFromPulumiConfig();
const stack = createStack("llm", { config, secrets });

export const routerUrl = stack.routerUrl;
export const routerApiKey = stack.routerApiKey;
export const grafanaUrl = stack.grafanaUrl;
export const grafanaAdminPassword = stack.grafanaAdminPassword;
export const modelEndpoints = stack.modelEndpoints;
export const plan = stack.plan;
// Kubernetes targets only: what kubectl needs to reach the stack.
export const kubeconfig = "kubeconfig" in stack ? stack.kubeconfig : undefined;
export const namespace = "namespace" in stack ? stack.namespace : undefined;
