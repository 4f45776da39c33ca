/** @module Cost and capacity diff between two versions of the stacks, for pull requests. Named exports only. */
export { checkIncrease, type IncreaseCheck } from "./check-increase";
export { byText, compareResources, inputChanges } from "./compare-resources";
export { compareStack, costChange, DEFAULT_COST_JUMP_PERCENT, type CompareOptions } from "./compare-stacks";
export { openSide, type OpenedSide, type OpenSideOptions } from "./open-side";
export { changeCounts, MAX_INPUT_CHANGES_SHOWN, renderDetails, resourceLines } from "./render-details";
export { INFRACOST_JSON_VERSION, toInfracostJson } from "./render-json";
export { DEFAULT_MARKER, GITHUB_COMMENT_LIMIT, headline, markerComment, MAX_WARNINGS_SHOWN, renderMarkdown, type MarkdownOptions } from "./render-markdown";
export { buildReport, runDiff, type RunDiffOptions } from "./run-diff";
export type { Change, CostChange, DiffReport, DiffSideInfo, DiffWarning, InputChange, ResourceAction, ResourceChange, StackDiff } from "./types";
