/** TlsProxy under mocks: pinned Caddy, published 443 (+80 for ACME), Caddyfile and secret certificate uploads, argument errors. */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { renderCaddyfile } from "../../../components/edge/caddyfile";
import { TlsProxy } from "../../../components/edge/tls-proxy";
import { VERSIONS } from "../../../src/versions";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";

const CONTAINER = "docker:index/container:Container";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END PRIVATE KEY-----\n";

describe("TlsProxy", () => {
  let recorded: Recorded;
  let provider: docker.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new docker.Provider("host", { host: "unix:///var/run/docker.sock" });
  });

  it("gets certificates automatically: publishes 443 and 80, keeps them in a volume, uploads the Caddyfile", async () => {
    const proxy = new TlsProxy("llm-tls", {
      provider,
      network: "llm-net",
      domain: "llm.example.com",
      upstream: pulumi.output("llm-router:8080"),
      bindAddress: "0.0.0.0",
      email: "ops@example.com",
    });
    expect(await unwrap(proxy.url)).toBe("https://llm.example.com/v1");
    const caddyfile = renderCaddyfile({ domain: "llm.example.com", upstream: "llm-router:8080", email: "ops@example.com" });
    expect(await unwrap(proxy.caddyfile)).toBe(caddyfile);
    await unwrap(proxy.containerName);
    await settle();
    expectRegistered(recorded);

    expect(recorded.resources.filter((r) => r.name.startsWith("llm-tls")).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      `${CONTAINER} llm-tls-container`,
      "docker:index/remoteImage:RemoteImage llm-tls-image",
      "docker:index/volume:Volume llm-tls-data",
      "shoestring:index:TlsProxy llm-tls",
    ]);
    expect(byName(recorded, "docker:index/remoteImage:RemoteImage", "llm-tls-image").inputs.name).toBe(VERSIONS.caddy.image);
    const c = byName(recorded, CONTAINER, "llm-tls-container").inputs;
    expect(c.image).toBe("sha256:mock-llm-tls-image");
    expect(c.command).toEqual(["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]);
    expect(c.ports).toEqual([
      { internal: 443, external: 443, ip: "0.0.0.0", protocol: "tcp" },
      { internal: 80, external: 80, ip: "0.0.0.0", protocol: "tcp" },
    ]);
    expect(c.uploads).toEqual([{ file: "/etc/caddy/Caddyfile", content: caddyfile }]);
    expect(c.volumes).toEqual([{ volumeName: "llm-tls-data", containerPath: "/data" }]);
    expect(c.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["llm-tls"] }]);
    expect(c.healthcheck.tests).toEqual(["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:2019/config/"]);
    expect([c.stopTimeout, c.destroyGraceSeconds, c.restart]).toEqual([30, 30, "unless-stopped"]);
  });

  it("serves a supplied certificate: uploads it and the key as secrets and publishes only 443", async () => {
    const proxy = new TlsProxy("llm-tls-own", {
      provider,
      network: "llm-net",
      domain: "llm.example.com",
      upstream: "llm-router:8080",
      bindAddress: "10.0.0.5",
      httpsPort: 8443,
      certificate: pulumi.secret(CERT),
      privateKey: pulumi.secret(KEY),
      dataVolume: "caddy-data",
    });
    expect(await unwrap(proxy.url)).toBe("https://llm.example.com:8443/v1");
    await unwrap(proxy.containerName);
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("llm-tls-own")).map((r) => r.type).sort()).toEqual([
      CONTAINER,
      "docker:index/remoteImage:RemoteImage",
      "shoestring:index:TlsProxy",
    ]);
    const c = byName(recorded, CONTAINER, "llm-tls-own-container").inputs;
    expect(c.ports).toEqual([{ internal: 443, external: 8443, ip: "10.0.0.5", protocol: "tcp" }]);
    expect(containsSecret(c.uploads)).toBe(true);
    expect(unwrapSecrets(c.uploads)).toEqual([
      {
        file: "/etc/caddy/Caddyfile",
        content: renderCaddyfile({ domain: "llm.example.com", upstream: "llm-router:8080", certificateFiles: { cert: "/certs/cert.pem", key: "/certs/key.pem" } }),
      },
      { file: "/certs/cert.pem", content: CERT, permissions: "0644" },
      { file: "/certs/key.pem", content: KEY, permissions: "0600" },
    ]);
    const visible = JSON.stringify(Object.fromEntries(Object.entries(c).filter(([, v]) => !containsSecret(v))));
    expect(visible).not.toContain("secretkeymaterial");
    expect(c.volumes).toEqual([{ volumeName: "caddy-data", containerPath: "/data" }]);
  });

  it("refuses half a certificate, a loopback bind for automatic certificates, and a domain that is not a DNS name", async () => {
    const errorsOf = (args: Partial<ConstructorParameters<typeof TlsProxy>[1]>) => {
      try {
        new TlsProxy("llm-tls-bad", { provider, network: "n", domain: "llm.example.com", upstream: "llm-router:8080", bindAddress: "0.0.0.0", ...args });
      } catch (err) {
        expect(pulumi.InputPropertiesError.isInstance(err)).toBe(true);
        return (err as pulumi.InputPropertiesError).errors;
      }
      throw new Error("expected an InputPropertiesError");
    };
    expect(errorsOf({ certificate: CERT })).toEqual([
      { propertyPath: "privateKey", reason: "a supplied certificate needs both certificate and privateKey (got only the other). Set privateKey, or remove both for automatic certificates" },
    ]);
    expect(errorsOf({ bindAddress: "127.0.0.1", domain: "LLM.example.com", httpsPort: 8443, httpPort: 8080 })).toEqual([
      {
        propertyPath: "httpsPort",
        reason: "automatic certificates need host port 443 (TLS-ALPN) or 80 (HTTP-01), where the CA connects (got httpsPort 8443, httpPort 8080). Publish one of them, or supply certificate and privateKey",
      },
      {
        propertyPath: "bindAddress",
        reason: "automatic certificates need the proxy reachable by the CA (got 127.0.0.1, loopback only). Bind a public address such as 0.0.0.0, or supply certificate and privateKey",
      },
      {
        propertyPath: "domain",
        reason: 'not a DNS name a certificate can be issued for (got "LLM.example.com"; e.g. llm.example.com, lowercase, with a dot). Use the name clients connect to',
      },
    ]);
    await settle();
    expect(recorded.resources.some((r) => r.name.startsWith("llm-tls-bad"))).toBe(false);
  });
});
