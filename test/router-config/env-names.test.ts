/** Router container env var names: settings only from ROUTER_SETTINGS, key vars apart from them. */
import { describe, expect, it } from "vitest";
import { ROUTER_ENV_PREFIX } from "../../images/router/src/config";
import { backendApiKeyEnv, providerApiKeyEnv, routerSettingEnv } from "../../src/router-config/env-names";

describe("router env var names", () => {
  it("derives a setting's env var from the router's own settings table", () => {
    expect(routerSettingEnv("config-yaml")).toBe("SHOESTRING_ROUTER_CONFIG_YAML");
    expect(routerSettingEnv("port")).toBe("SHOESTRING_ROUTER_PORT");
  });

  it("refuses a setting the router does not have, so a typo cannot be silently ignored", () => {
    expect(() => routerSettingEnv("prot")).toThrow(/^router setting "prot" does not exist \(known: config, config-yaml, host, port, /);
  });

  it("names API key vars outside the router's settings prefix", () => {
    expect(backendApiKeyEnv("qwen-7b")).toBe("SHOESTRING_BACKEND_QWEN_7B_API_KEY");
    expect(providerApiKeyEnv("openai")).toBe("SHOESTRING_PROVIDER_OPENAI_API_KEY");
    expect(providerApiKeyEnv("router").startsWith(ROUTER_ENV_PREFIX)).toBe(false);
  });
});
