/**
 * @module The multi-language component package as the schema analyzer reads it: every component
 * class exported here is `shoestring:index:<Class>`. The plugin host loads index.js (the same list).
 */
export {
  KubernetesModelServer,
  KubernetesRouter,
  ModelServerContainer,
  RedisContainer,
  RouterContainer,
  ServingStack,
} from "../dist/components/multi-language";
