// Runtime entry of the multi-language plugin: Pulumi's plugin host require()s it. Plain CommonJS,
// because ts-node compiles nothing under node_modules, where an installed package's provider/ is.
// index.ts exports the same classes for the schema analyzer (test/library/multi-language-schema.test.ts).
"use strict";
const mlc = require("../dist/components/multi-language");

module.exports = {
  KubernetesModelServer: mlc.KubernetesModelServer,
  KubernetesRouter: mlc.KubernetesRouter,
  ModelServerContainer: mlc.ModelServerContainer,
  RedisContainer: mlc.RedisContainer,
  RouterContainer: mlc.RouterContainer,
  ServingStack: mlc.ServingStack,
};
