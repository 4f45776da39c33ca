/** @module JSON logger (pino). One access line per request at info (can be turned off), errors always. */
import pino, { type Logger } from "pino";

/** The logger type used across the router. */
export type RouterLogger = Logger;

/**
 * Creates the router logger: JSON lines on stdout, secrets redacted.
 * @example const log = createLogger("info");
 */
export function createLogger(level: string, destination?: pino.DestinationStream): RouterLogger {
  return pino(
    {
      level,
      base: { service: "shoestring-router" },
      // Never log client or upstream keys, even at debug.
      redact: { paths: ["req.headers.authorization", "headers.authorization", "apiKey", "*.apiKey"], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
