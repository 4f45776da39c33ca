/** @module Offline stack preview: the real Pulumi program under mocks, described resource by resource. Named exports only. */
export { displayValue, flattenInputs, MAX_INLINE_CHARS, SECRET_TEXT, summarizeText, UNKNOWN_TEXT } from "./display-values";
export { formatKeySettings, keySettings, type KeySetting } from "./key-settings";
export { installPreviewMocks, type PreviewRecord, type RecordedResource } from "./preview-mocks";
export { describeResources, previewStack, stackProgramInput, type PreviewStackOptions } from "./preview-stack";
export { renderPreview, renderTotals } from "./render-preview";
export { runProgram, SECRET_PLACEHOLDER, type ProgramInput, type ProgramRun } from "./run-program";
export type { PreviewHardware, PreviewModel, PreviewResource, PreviewStatus, PreviewTotals, PriceSnapshot, StackPreview } from "./types";
