/** @module Stack config: the schema, loaders, errors and generators. Named exports only. */
export { CONFIG_NAMESPACE, STACK_SECTIONS, type StackSection } from "./_primitives";
export { CacheSchema, DEFAULT_FRESHNESS_CUES, type CacheConfig } from "./cache";
export { checkStackConfig, type IssueHints, type StackSections } from "./cross-checks";
export {
  REDACTED,
  StackConfigError,
  formatIssue,
  formatValue,
  type ConfigIssue,
  type StackConfigErrorOptions,
} from "./errors";
export {
  CONFIG_END,
  CONFIG_REFERENCE_FILE,
  CONFIG_START,
  JSON_SCHEMA_FILE,
  renderConfigReference,
  renderJsonSchema,
  replaceBetweenMarkers,
  textBetweenMarkers,
} from "./generate";
export { displayPath, pulumiPath, setCommand } from "./issues";
export {
  listStacks,
  loadStackByName,
  loadStackFile,
  parseStackConfig,
  type LoadOptions,
  type LoadedStack,
  type ParseOptions,
  type ParsedStackConfig,
} from "./load";
export {
  GgufSourceSchema,
  HfSourceSchema,
  LlamaCppModelSchema,
  MODEL_NAME_MAX,
  ModelSchema,
  ModelSourceSchema,
  ModelsSchema,
  VllmModelSchema,
  type LlamaCppModelConfig,
  type ModelConfig,
  type VllmModelConfig,
} from "./models";
export { MonitoringSchema, type MonitoringConfig } from "./monitoring";
export { PlanningSchema, type PlanningConfig } from "./planning";
export { ProviderSchema, ROUTE_TARGET, RouterSchema, type ProviderConfig, type RouterConfig } from "./router";
export { StackConfigSchema, type StackConfig, type StackConfigInput } from "./schema";
export { collectSecretRefs, type SecretRef } from "./secrets";
export {
  AwsGpuVmTargetSchema,
  DockerLocalTargetSchema,
  DockerSshTargetSchema,
  EksNodePoolSchema,
  EksTargetSchema,
  KubernetesTargetSchema,
  TargetSchema,
  type EksNodePoolConfig,
  type TargetConfig,
  type TargetKind,
} from "./target";
