/**
 * @module `shoestring plan`: capacity and cost of a whole stack (`--stack`/`--file`), or of one model
 * on one GPU type (`--model --quant --gpu`). Exit 2 when something does not fit.
 */
import { defineCommand } from "citty";
import { planStackConfig } from "../../capacity/plan-stack-config";
import { loadStackByName, loadStackFile } from "../../config";
import { planModel, PlannerError, type Hardware, type ModelPlan, type PlanModelRequest } from "../../planner";
import { CliError, EXIT } from "../errors";
import { renderModelTable, renderNotes, renderProblems, renderStackPlan } from "../format/plan-view";
import { cheapestInstanceFor, gpuCountsFor, parseNumberFlag, resolveEngine, resolveGpu, resolveModelArg } from "../model-args";

export default defineCommand({
  meta: {
    name: "plan",
    description:
      "Plan GPU memory (weights + KV cache), tensor parallelism, concurrency, tokens/s and monthly cost — for a stack, or one model on one GPU. Exits 2 when something does not fit.",
  },
  args: {
    stack: { type: "string", description: "Stack name: plans stacks/Pulumi.<name>.yaml", valueHint: "name" },
    file: { type: "string", description: "Plan a stack file at this path instead of --stack", valueHint: "path" },
    model: { type: "string", description: "Catalog id or Hugging Face repo id (see `shoestring models`)", valueHint: "id" },
    "model-config": { type: "string", description: "Hugging Face config.json of a model outside the catalog", valueHint: "file" },
    quant: { type: "string", description: "Weight format: bf16, fp16, fp8, w8a8, awq, gptq, mxfp4, or a GGUF type (Q4_K_M, Q8_0, …)", valueHint: "q" },
    gpu: { type: "string", description: "GPU type, case-insensitive (H100, L4, RTX-3090, …; see `shoestring gpus`)", valueHint: "gpu" },
    gpus: { type: "string", description: "GPUs available on one machine (default: the largest AWS instance with this GPU, else 8)", valueHint: "N" },
    tp: { type: "string", description: "Tensor-parallel size (default: the smallest that fits)", valueHint: "N" },
    "max-model-len": { type: "string", description: "Context per sequence in tokens (default: the model's maximum)", valueHint: "N" },
    "gpu-memory-utilization": { type: "string", description: "vLLM --gpu-memory-utilization (default 0.9)", valueHint: "X" },
    "kv-cache-dtype": { type: "string", description: "KV-cache dtype: auto, fp8 (vLLM); f16, q8_0, … (llama.cpp)", valueHint: "D" },
    engine: { type: "string", description: "vllm or llamacpp (default: llamacpp for GGUF types, else vllm)", valueHint: "engine" },
    json: { type: "boolean", description: "Print one JSON object instead of a table", default: false },
  },
  run({ args }) {
    if (args.stack !== undefined || args.file !== undefined) {
      process.exitCode = planStackCommand(args.stack, args.file, args.json);
      return;
    }
    if (args.model === undefined && args["model-config"] === undefined) {
      throw new CliError(
        "plan needs either --stack <name> (or --file <path>), or --model <id> --quant <q> --gpu <gpu>.\n" +
          "Examples:\n  shoestring plan --stack local\n  shoestring plan --model qwen2.5-7b --quant awq --gpu L4",
      );
    }
    try {
      process.exitCode = planOneModel(args as PlanArgs);
    } catch (error) {
      throw error instanceof PlannerError ? asFlagError(error) : error;
    }
  },
});

function planStackCommand(stack: string | undefined, file: string | undefined, json: boolean): number {
  if (stack !== undefined && file !== undefined) throw new CliError("Give --stack or --file, not both.");
  // Planning needs no secrets: a freshly cloned stack plans before `pulumi config set --secret`.
  const loaded = file !== undefined ? loadStackFile(file, { checkSecrets: false }) : loadStackByName(stack!, { checkSecrets: false });
  const plan = planStackConfig(loaded.config, { source: loaded.file });
  if (json) {
    process.stdout.write(`${JSON.stringify({ stack: loaded.stack, file: loaded.file, ...plan }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderStackPlan(`Stack ${loaded.stack} (${loaded.file}), target ${loaded.config.target.kind}`, plan)}\n`);
  }
  return plan.fits ? EXIT.ok : EXIT.doesNotFit;
}

type PlanArgs = Record<string, string | boolean | string[] | undefined>;

function planOneModel(args: PlanArgs): number {
  const str = (name: string) => args[name] as string | undefined;
  const quant = str("quant");
  const gpuName = str("gpu");
  const missing = [quant === undefined && "--quant", gpuName === undefined && "--gpu"].filter(Boolean);
  if (missing.length > 0) throw new CliError(`plan --model also needs ${missing.join(" and ")}. Example: shoestring plan --model qwen2.5-7b --quant awq --gpu L4`);

  const model = resolveModelArg(str("model"), str("model-config"));
  const gpu = resolveGpu(gpuName!);
  const engine = resolveEngine(str("engine"), quant!);
  const tpFlag = str("tp");
  const request: Omit<PlanModelRequest, "hardware"> = {
    model,
    engine,
    quantization: quant!,
    tp: tpFlag === undefined ? "auto" : parseNumberFlag("--tp", tpFlag, { integer: true, min: 1 }),
    maxModelLen: optional(str("max-model-len"), (v) => parseNumberFlag("--max-model-len", v, { integer: true, min: 1 })),
    gpuMemoryUtilization: optional(str("gpu-memory-utilization"), (v) => parseNumberFlag("--gpu-memory-utilization", v, { min: 0.01, max: 1 })),
    kvCacheDtype: str("kv-cache-dtype"),
  };
  const gpusFlag = str("gpus");
  const gpusAvailable = gpusFlag === undefined ? Math.max(8, ...gpuCountsFor(gpu.id)) : parseNumberFlag("--gpus", gpusFlag, { integer: true, min: 1 });
  const hardware: Hardware = { kind: "gpu", gpu, gpusAvailable };
  let plan: ModelPlan = planModel({ ...request, hardware });
  // Price it on the cheapest AWS instance that holds one replica, when there is one.
  const instance = gpusFlag === undefined ? cheapestInstanceFor(gpu.id, Math.max(1, plan.gpusPerReplica)) : undefined;
  if (instance) {
    plan = planModel({
      ...request,
      hardware: { kind: "gpu", gpu, gpusAvailable: instance.gpuCount, hostRamGiB: instance.ramGiB, usdPerHour: instance.usdPerHour, instanceType: instance.instanceType },
    });
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...plan, gpu: gpu.id, instanceType: instance?.instanceType ?? null }, null, 2)}\n`);
  } else {
    const placedOn = instance ? `${instance.instanceType} (${instance.gpuCount}× ${gpu.id})` : `${gpu.id}`;
    const sections = [renderModelTable([{ ...plan, placedOn }])];
    const notes = renderNotes([plan]);
    if (notes) sections.push(`Notes:\n${notes}`);
    sections.push(plan.fits ? plan.suggestions.map((s) => `  → ${s}`).join("\n") : renderProblems([plan]));
    process.stdout.write(`${sections.filter(Boolean).join("\n\n")}\n`);
  }
  return plan.fits ? EXIT.ok : EXIT.doesNotFit;
}

/** Planner field names → the flags a CLI user typed. */
const FLAG_OF: Record<string, string> = {
  quantization: "--quant",
  tp: "--tp",
  maxModelLen: "--max-model-len",
  gpuMemoryUtilization: "--gpu-memory-utilization",
  kvCacheDtype: "--kv-cache-dtype",
  engine: "--engine",
  modelConfig: "--model-config",
};

/** Says the planner's complaint in terms of the flag the user typed. */
function asFlagError(error: PlannerError): CliError {
  const flag = FLAG_OF[error.field];
  return new CliError(flag ? error.message.replace(`${error.field}:`, `${flag}:`) : error.message);
}

function optional<T>(value: string | undefined, parse: (v: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}
