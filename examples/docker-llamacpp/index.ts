/**
 * Runs one llama.cpp server on a Docker host this program does not manage (a GPU box reached over
 * SSH, or this machine), on a network that already exists. No port is published: containers on
 * the network reach it at `endpoint`, e.g. `docker run --rm --network llm curlimages/curl
 * http://qwen-1-5b:8080/v1/models -H "Authorization: Bearer $KEY"`.
 *
 *   docker network create llm          # once, if the network does not exist yet
 *   pulumi config set dockerHost ssh://ops@gpu-box.lan
 *   pulumi config set gpus 1           # leave 0 for the CPU image
 *   pulumi up
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DockerModelServer } from "llm-shoestring";

const cfg = new pulumi.Config();
const host = new docker.Provider("gpu-box", { host: cfg.require("dockerHost") });
const apiKey = new random.RandomPassword("qwen-key", { length: 32, special: false }).result;

const qwen = new DockerModelServer(
  "qwen-1-5b",
  {
    network: cfg.require("network"),
    gpus: cfg.requireNumber("gpus"),
    apiKey,
    llamaCpp: {
      servedModelName: "qwen-1-5b",
      repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
      file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
      contextSize: 16384,
      parallelSlots: 4,
    },
    waitForHealthy: true,
  },
  // The host comes in the resource options, like any provider of the program.
  { providers: [host] },
);

export const endpoint = qwen.endpoint;
export const containerName = qwen.containerName;
export const key = pulumi.secret(apiKey);
