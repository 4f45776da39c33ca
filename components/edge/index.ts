/** @module The TLS edge in front of the router on a Docker host. */
export { caddyfileProblems, renderCaddyfile, type CaddyfileOptions } from "./caddyfile";
export { CADDYFILE_PATH, CERT_FILES, PROXY_STOP_GRACE_SECONDS, TlsProxy, resolveTlsProxyArgs, type TlsProxyArgs } from "./tls-proxy";
