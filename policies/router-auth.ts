/**
 * @module Policy `shoestring-router-auth`: the router requires an API key. Reads the router's
 * generated config (Docker: the `SHOESTRING_ROUTER_CONFIG_YAML` env var; Kubernetes: the router's
 * config Secret) and fails when it has no tenant with a key and no `SHOESTRING_ROUTER_API_KEY`.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parse } from "yaml";
import { routerSettingEnv } from "../src/router-config/env-names";
import { at, envEntries, roleOf, stringEntries, type PolicyInput } from "./_props";

/** Policy name, as reported and as the key in policy config. */
export const ROUTER_AUTH = "shoestring-router-auth";

/** Key of the config YAML in the router's Kubernetes Secret (components/kubernetes/k8s-router.ts ROUTER_CONFIG_KEY). */
export const ROUTER_SECRET_CONFIG_KEY = "config.yaml";

const CONFIG_ENV = routerSettingEnv("config-yaml");
const API_KEY_ENV = routerSettingEnv("api-key");

const FIX = "Set router.auth.enabled: true with router.auth.apiKeysSecret naming a stack secret (pulumi config set --secret <name> <key>).";

/** True when a router config YAML defines at least one tenant with at least one key. */
export function configHasKeys(yamlText: string): boolean {
  let config: unknown;
  try {
    config = parse(yamlText);
  } catch {
    return false;
  }
  const tenants = (config as { tenants?: unknown } | null)?.tenants;
  return Array.isArray(tenants) && tenants.some((t) => Array.isArray((t as { keys?: unknown })?.keys) && (t as { keys: unknown[] }).keys.length > 0);
}

function dockerRouter(r: PolicyInput): string[] {
  const env = envEntries(r);
  const config = env.find((e) => e.name === CONFIG_ENV);
  const apiKey = env.find((e) => e.name === API_KEY_ENV);
  if (apiKey?.value || (config?.value !== undefined && configHasKeys(config.value))) return [];
  // An env list we cannot read (unknown during preview) proves nothing either way.
  if (env.length === 0 && at(r.props, "envs") === undefined) return [];
  const why = config === undefined ? `sets no ${CONFIG_ENV} and no ${API_KEY_ENV}` : "has a config with no tenant keys";
  return [`Router container "${r.name}" ${why}: it would serve anyone who can reach it (expected at least one API key). ${FIX}`];
}

function k8sRouterSecret(r: PolicyInput): string[] {
  const plain = Object.fromEntries(stringEntries(at(r.props, "stringData")));
  const encoded = Object.fromEntries(stringEntries(at(r.props, "data")));
  const text = plain[ROUTER_SECRET_CONFIG_KEY] ?? (encoded[ROUTER_SECRET_CONFIG_KEY] !== undefined ? Buffer.from(encoded[ROUTER_SECRET_CONFIG_KEY]!, "base64").toString("utf8") : undefined);
  if (text === undefined) return [];
  if (configHasKeys(text) || (plain[API_KEY_ENV] ?? encoded[API_KEY_ENV])) return [];
  return [`Router config Secret "${r.name}" has no tenant keys: the router would serve anyone who can reach it (expected at least one API key). ${FIX}`];
}

/** Router-auth problems of one resource (empty when auth is on or the resource is not the router's). */
export function routerAuthViolations(r: PolicyInput): string[] {
  if (roleOf(r) !== "router") return [];
  if (r.type === "docker:index/container:Container") return dockerRouter(r);
  if (r.type === "kubernetes:core/v1:Secret") return k8sRouterSecret(r);
  return [];
}

/** The CrossGuard policy. */
export const routerAuth: ResourceValidationPolicy = {
  name: ROUTER_AUTH,
  description: "The OpenAI-compatible router requires an API key (router.auth on, with at least one key).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    for (const message of routerAuthViolations(args)) report(message);
  },
};


