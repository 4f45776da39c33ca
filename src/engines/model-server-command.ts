/**
 * @module What every engine's command-line generator returns (image, args, env, probe paths), and
 * the input fields the engines share. Pure data: nothing here registers resources.
 */

/** What a model server serves: chat/completions, or `/v1/embeddings`. */
export type ServerRole = "chat" | "embeddings";

/** Host a server binds inside a container: every interface, so the container port is reachable. */
export const DEFAULT_CONTAINER_HOST = "0.0.0.0";

/**
 * Env var holding a Hugging Face token, read by huggingface_hub (vLLM) and by llama.cpp's `-hf`
 * download (it is the env of `--hf-token`; llama.cpp ignores tokens that do not start with `hf_`).
 * @see https://huggingface.co/docs/huggingface_hub/package_reference/environment_variables#hftoken
 */
export const HF_TOKEN_ENV = "HF_TOKEN";

/** Input fields every engine's generator takes. */
export interface ModelServerInputBase {
  /**
   * Name clients send as `model` (and the `model_name` label on vLLM metrics): vLLM's
   * `--served-model-name`, llama.cpp's `--alias`. Letters, digits and `. _ - / :`; no spaces or
   * commas, which both engines would split into several names.
   */
  servedModelName: string;
  /** Hugging Face repo id, `owner/name` (a checkpoint for vLLM, a GGUF repo for llama.cpp). */
  repo: string;
  /**
   * Port the server listens on inside the container (`--port`, always passed).
   * @default - 8000 for vLLM, 8080 for llama.cpp
   * @see https://docs.vllm.ai/en/v0.22.0/cli/serve/
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  port?: number;
  /**
   * Address the server binds (`--host`).
   * @default "0.0.0.0"
   */
  host?: string;
  /** What the server serves. @default "chat" */
  role?: ServerRole;
  /**
   * Require an API key. The key itself is never an argument: the caller sets the env var named in
   * {@link ModelServerCommand.secretEnv} from a secret (`VLLM_API_KEY` / `LLAMA_API_KEY`).
   * @default false
   * @see https://docs.vllm.ai/en/v0.22.0/getting_started/quickstart/
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  apiKey?: boolean;
  /**
   * The repo needs a Hugging Face token (gated repos such as meta-llama/*). Adds `HF_TOKEN` to
   * {@link ModelServerCommand.secretEnv}.
   * @default false
   */
  hfToken?: boolean;
}

/** A model-server container, ready for a Docker container or a Kubernetes pod spec. */
export interface ModelServerCommand {
  /** Pinned image, from `src/versions.ts`. */
  image: string;
  /**
   * Container arguments, appended to the image's ENTRYPOINT (`vllm serve` or `/app/llama-server`).
   * They never contain a secret.
   */
  args: string[];
  /** Plain (non-secret) environment variables to set. */
  env: Record<string, string>;
  /**
   * Names of env vars whose values must come from secrets (`HF_TOKEN`, `VLLM_API_KEY`,
   * `LLAMA_API_KEY`). Never set them from plain config.
   */
  secretEnv: string[];
  /** Container port the server listens on (the same number as in `args`). */
  port: number;
  /** Readiness/liveness path. */
  healthPath: string;
  /** Prometheus scrape path. */
  metricsPath: string;
  /**
   * Whether scraping `metricsPath` needs `Authorization: Bearer <api key>`: true for llama.cpp with
   * an API key (its `/metrics` is behind the key), false for vLLM (`/metrics` is always public).
   */
  metricsNeedApiKey: boolean;
}
