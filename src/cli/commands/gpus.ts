/** @module `shoestring gpus`: GPUs and AWS GPU instances with their prices, source and date. */
import { defineCommand } from "citty";
import { GPUS, INSTANCES, PRICE_SNAPSHOT } from "../../planner";
import { formatFixed, formatInt, formatUsd, renderTable } from "../format/table";

export default defineCommand({
  meta: { name: "gpus", description: "List GPUs (memory, bandwidth, TFLOPS) and AWS GPU instances (on-demand prices)." },
  args: {
    json: { type: "boolean", description: "Print { gpus, instances, priceSnapshot } as JSON", default: false },
  },
  run({ args }) {
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ gpus: GPUS, instances: INSTANCES, priceSnapshot: PRICE_SNAPSHOT }, null, 2)}\n`);
      return;
    }
    const gpus = renderTable(
      [
        { header: "GPU" },
        { header: "memory", align: "right" },
        { header: "usable GiB", align: "right" },
        { header: "GB/s", align: "right" },
        { header: "BF16 TFLOPS", align: "right" },
        { header: "FP8", align: "right" },
        { header: "name" },
      ],
      GPUS.map((g) => [
        g.id,
        `${g.memoryGB} GB`,
        formatFixed(g.cudaVisibleGiB, 2),
        formatInt(g.bandwidthGBps),
        formatInt(g.bf16Tflops ?? g.fp16Tflops),
        g.supportsFp8 ? "yes" : "no",
        g.name,
      ]),
    );
    const instances = renderTable(
      [
        { header: "instance" },
        { header: "GPUs", align: "right" },
        { header: "vCPU", align: "right" },
        { header: "RAM GiB", align: "right" },
        { header: "$/hour", align: "right" },
        { header: "$/month", align: "right" },
        { header: "" },
      ],
      INSTANCES.map((i) => [
        i.instanceType,
        `${i.gpuCount}× ${i.gpu}`,
        String(i.vcpu),
        String(i.ramGiB),
        i.usdPerHour === undefined ? "—" : `$${i.usdPerHour.toFixed(4)}`,
        formatUsd(i.usdPerHour === undefined ? null : i.usdPerHour * 730),
        i.usdPerHour === undefined ? "no on-demand price" : i.priceVerified ? "" : "list price, not in snapshot",
      ]),
    );
    const p = PRICE_SNAPSHOT;
    process.stdout.write(
      `${gpus}\n\n${instances}\n\nPrices: ${p.region} on-demand Linux, snapshot ${p.date}, ${p.source}. ` +
        "$/month = $/hour × 730.\n",
    );
  },
});
