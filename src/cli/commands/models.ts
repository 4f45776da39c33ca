/** @module `shoestring models`: the model catalog the planner knows, with the numbers it plans from. */
import { defineCommand } from "citty";
import { MODELS, kvBytesPerToken } from "../../planner";
import { formatInt, renderTable } from "../format/table";

export default defineCommand({
  meta: { name: "models", description: "List the planner's model catalog (architecture numbers and sources)." },
  args: {
    json: { type: "boolean", description: "Print the catalog as JSON", default: false },
  },
  run({ args }) {
    if (args.json) {
      process.stdout.write(`${JSON.stringify(MODELS, null, 2)}\n`);
      return;
    }
    const rows = MODELS.map((m) => [
      m.id,
      m.role,
      `${(m.paramsTotal / 1e9).toFixed(2)}B${m.paramsActive !== m.paramsTotal ? ` (${(m.paramsActive / 1e9).toFixed(1)}B active)` : ""}`,
      `${m.layers}`,
      `${m.attentionHeads}/${m.kvHeads}`,
      m.role === "chat" ? `${formatInt(kvBytesPerToken(m, { tp: 1, bytesPerElement: 2 }) / 1024)} KiB` : "—",
      formatInt(m.maxPositionEmbeddings),
      m.hfRepo,
    ]);
    const table = renderTable(
      [
        { header: "id" },
        { header: "role" },
        { header: "params", align: "right" },
        { header: "layers", align: "right" },
        { header: "heads q/kv", align: "right" },
        { header: "KV/token bf16", align: "right" },
        { header: "max ctx", align: "right" },
        { header: "Hugging Face repo" },
      ],
      rows,
    );
    process.stdout.write(
      `${table}\n\nPlan a model: shoestring plan --model <id> --quant <q> --gpu <gpu>. ` +
        "Any other model: --model-config path/to/config.json. Sources: shoestring models --json.\n",
    );
  },
});
