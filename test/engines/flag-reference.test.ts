/** The flag checker itself: it must reject what the engines reject, or the conformance tests prove nothing. */
import { describe, expect, it } from "vitest";
import { LLAMA_DEPRECATED, VLLM_FORBIDDEN, llamaArgProblems, vllmArgProblems } from "./flag-reference";

describe("vllmArgProblems", () => {
  it("accepts a minimal valid vllm serve command line", () => {
    expect(vllmArgProblems(["Qwen/Qwen2.5-7B-Instruct-AWQ", "--port", "8000", "--enforce-eager", "--no-enable-prefix-caching", "-tp", "2"])).toEqual([]);
  });

  it("flags removed options, unknown options and bad values", () => {
    expect(
      vllmArgProblems([
        "m/x",
        "--swap-space",
        "4",
        "--task",
        "embed",
        "--kv-cache-dtype",
        "fp9",
        "--quantization",
        "marlin",
        "--port",
        "eighty",
        "--made-up",
      ]),
    ).toEqual([
      "--swap-space is removed in, or newer than, v0.22.0",
      "--swap-space is not a flag of vllm serve v0.22.0",
      "stray value \"4\" (a second positional, or a flag given too many values)",
      "--task is removed in, or newer than, v0.22.0",
      "--task is not a flag of vllm serve v0.22.0",
      "stray value \"embed\" (a second positional, or a flag given too many values)",
      expect.stringMatching(/^--kv-cache-dtype "fp9": not one of auto, bfloat16/),
      expect.stringMatching(/^--quantization "marlin": not one of awq, awq_marlin/),
      '--port "eighty": not an integer',
      "--made-up is not a flag of vllm serve v0.22.0",
    ]);
  });

  it("refuses a repeated 'serve' and a missing value", () => {
    expect(vllmArgProblems(["serve", "--max-model-len"])).toEqual([
      "first arg is 'serve': the image ENTRYPOINT already runs `vllm serve`",
      "--max-model-len needs a value",
    ]);
  });

  it("refuses flags newer than the described release and a flag given twice", () => {
    expect(vllmArgProblems(["m/x", "--max-num-active-seqs", "8", "--port", "1", "--port", "2"])).toEqual([
      "--max-num-active-seqs is removed in, or newer than, v0.22.0",
      "--max-num-active-seqs is not a flag of vllm serve v0.22.0",
      'stray value "8" (a second positional, or a flag given too many values)',
      "--port given twice",
    ]);
  });

  it("reads every removed flag of the reference, shorthand lists included", () => {
    expect(VLLM_FORBIDDEN).toEqual(
      expect.arrayContaining(["--swap-space", "--disable-log-requests", "--task", "--guided-decoding-backend", "--tokenizer-pool-type", "--ngram-prompt-lookup-*"]),
    );
  });
});

describe("llamaArgProblems", () => {
  it("accepts a minimal valid llama-server command line", () => {
    expect(llamaArgProblems(["--hf-repo", "a/b", "--port", "8080", "--flash-attn", "on", "-ngl", "all", "--metrics"])).toEqual([]);
  });

  it("flags deprecated options, the bare -fa form and bad values", () => {
    expect(llamaArgProblems(["--no-mmap", "--mlock", "--flash-attn", "--metrics", "--cache-type-k", "q9", "--alias", "a,b", "--no-webui"])).toEqual([
      "--no-mmap is deprecated or removed",
      "--no-mmap is not a llama-server flag at 00dc8057",
      "--mlock is deprecated or removed",
      "--mlock is not a llama-server flag at 00dc8057",
      '--flash-attn "--metrics": value looks like a flag (missing value?)',
      expect.stringMatching(/^--cache-type-k "q9": not one of f32, f16/),
      '--alias "a,b": a comma splits it into several values',
      "--no-webui is deprecated or removed",
    ]);
  });

  it("refuses positional values and a flag given with its negation", () => {
    expect(llamaArgProblems(["model.gguf", "--jinja", "--no-jinja"])).toEqual([
      'stray value "model.gguf" (llama-server takes no positional args)',
      "--no-jinja given twice (or with its negation)",
    ]);
  });

  it("reads every deprecated flag of the reference", () => {
    expect(LLAMA_DEPRECATED).toEqual(expect.arrayContaining(["--mlock", "--mmap", "--no-mmap", "--direct-io", "--draft-max", "--defrag-thold", "--no-webui"]));
  });
});
