/**
 * @module Env var names of the router container: its settings (only from `ROUTER_SETTINGS`, so the
 * container and the IaC cannot disagree, STYLE R12) and the API keys it forwards upstream.
 */
import { ROUTER_SETTINGS, settingEnvName } from "../../images/router/src/config";

/**
 * The env var of one router setting, by its flag name, e.g. `config-yaml` →
 * `SHOESTRING_ROUTER_CONFIG_YAML`. Throws on a name the router does not know, so a typo fails at
 * deploy time instead of being ignored by the container.
 * @example routerSettingEnv("port") // "SHOESTRING_ROUTER_PORT"
 */
export function routerSettingEnv(name: string): string {
  const setting = ROUTER_SETTINGS.find((s) => s.name === name);
  if (!setting) {
    const known = ROUTER_SETTINGS.map((s) => s.name).join(", ");
    throw new Error(`router setting "${name}" does not exist (known: ${known}). Use a name from images/router/src/config.ts`);
  }
  return settingEnvName(setting);
}

function envPart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/**
 * Env var holding the API key the router sends to one of its model servers. The prefix keeps these
 * apart from the router's own `SHOESTRING_ROUTER_*` settings.
 * @example backendApiKeyEnv("qwen-7b") // "SHOESTRING_BACKEND_QWEN_7B_API_KEY"
 */
export function backendApiKeyEnv(backendName: string): string {
  return `SHOESTRING_BACKEND_${envPart(backendName)}_API_KEY`;
}

/**
 * Env var holding a cloud provider's API key in the router container.
 * @example providerApiKeyEnv("openai") // "SHOESTRING_PROVIDER_OPENAI_API_KEY"
 */
export function providerApiKeyEnv(providerName: string): string {
  return `SHOESTRING_PROVIDER_${envPart(providerName)}_API_KEY`;
}
