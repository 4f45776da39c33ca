/**
 * @module Input checks the engine generators share (internal): each records an issue instead of
 * throwing, so a caller sees every problem at once.
 */
import { EngineInputError, type EngineInputIssue, type EngineName } from "./engine-input-error";
import type { ModelServerInputBase } from "./model-server-command";

/** A served model name both engines keep as one name (no spaces, no commas). */
const SERVED_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
/** A Hugging Face repo id, `owner/name` (same rule as the stack config's `source.repo`). */
const HF_REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A bind address: an IPv4/IPv6 literal or a host name, no spaces. */
const HOST = /^[A-Za-z0-9.:_-]+$/;

/** @internal Collects issues, then throws them all as one {@link EngineInputError}. */
export class IssueList {
  readonly issues: EngineInputIssue[] = [];

  add(issue: EngineInputIssue): void {
    this.issues.push(issue);
  }

  /** Records `problem` unless `value` is a whole number in [min, max]; returns whether it is. */
  wholeNumber(field: string, value: unknown, min: number, max: number, problem: string, fix: string): boolean {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return true;
    const allowed = max === Number.MAX_SAFE_INTEGER ? `a whole number, ${min} or more` : `a whole number, ${min} to ${max}`;
    this.add({ field, value, problem, allowed, fix });
    return false;
  }

  /** Records an issue unless `value` is one of `allowed`; returns whether it is. */
  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fix: string): value is T {
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return true;
    this.add({ field, value, problem: "is not a known value", allowed: allowed.join(", "), fix });
    return false;
  }

  /** Throws every recorded issue at once; does nothing when there are none. */
  throwIfAny(engine: EngineName, servedModelName: unknown): void {
    if (this.issues.length > 0) throw new EngineInputError(engine, servedModelName, this.issues);
  }
}

/** @internal Checks the fields every engine shares; `defaultPort` names the engine's usual port. */
export function checkCommonInput(list: IssueList, input: ModelServerInputBase, port: number, host: string, defaultPort: number): void {
  if (typeof input.servedModelName !== "string" || !SERVED_NAME.test(input.servedModelName)) {
    list.add({
      field: "servedModelName",
      value: input.servedModelName,
      problem: "is not a single model name",
      allowed: "1-128 letters, digits and . _ - / :, starting with a letter or digit",
      fix: "use the stack's model name, e.g. qwen-7b",
    });
  }
  if (typeof input.repo !== "string" || !HF_REPO.test(input.repo)) {
    list.add({
      field: "repo",
      value: input.repo,
      problem: "is not a Hugging Face repo id",
      allowed: "owner/name, e.g. Qwen/Qwen2.5-7B-Instruct-AWQ",
      fix: "copy the id from the model's huggingface.co URL",
    });
  }
  list.wholeNumber("port", port, 1, 65535, "is not a TCP port", `leave it unset for the engine default ${defaultPort}`);
  if (typeof host !== "string" || !HOST.test(host)) {
    list.add({
      field: "host",
      value: host,
      problem: "is not a bind address",
      allowed: "an IP address or host name without spaces",
      fix: "leave it unset to bind 0.0.0.0 inside the container",
    });
  }
  if (input.role !== undefined) list.oneOf("role", input.role, ["chat", "embeddings"], "use chat or embeddings");
}
