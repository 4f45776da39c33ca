/** @module Terminal colors for CLI output, on only when stdout is a TTY (and NO_COLOR is unset). */
import { createColors } from "picocolors";

// picocolors also turns colors on when it sees CI=true; piped output and CI logs must stay plain
// text, so only a real terminal (or FORCE_COLOR) gets escape codes.
const enabled = process.env.FORCE_COLOR !== undefined ? process.env.FORCE_COLOR !== "0" : Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env);

/** picocolors' API, enabled by the rule above. */
export const colors = createColors(enabled);
