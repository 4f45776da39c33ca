/**
 * @module The one place for pinned versions: every container image and Helm chart the kit deploys.
 *
 * Rules: an exact tag (never `latest`, never a floating major such as `7.4-alpine`), one JSDoc per
 * entry naming the source and the date, and literal strings so an update bot (Renovate regex manager)
 * can find and bump them. Engine images are tied to the flag reference the command-line generators
 * in `src/engines/` are tested against: bump the image and that reference together.
 */

/** A container image pinned to an exact tag. */
export interface PinnedImage {
  /** `repository:tag`, e.g. `redis:7.4.11-alpine`. */
  readonly image: string;
}

/** A Helm chart pinned to an exact version. */
export interface PinnedChart {
  /** Helm repository URL (`helm repo add <name> <repo>`). */
  readonly repo: string;
  /** Chart name inside that repository. */
  readonly chart: string;
  /** Exact chart version (`helm install --version`). */
  readonly version: string;
}

/** The pinned vLLM server image and the release its flag reference describes. */
export interface VllmPin extends PinnedImage {
  /** vLLM release, as `vllm-flags.json#version_described` spells it. */
  readonly version: string;
}

/** The pinned llama.cpp server images (CUDA and CPU) of one build. */
export interface LlamaCppPin {
  /** llama.cpp build number: the `b<N>` in the image tags and the git tag of that release. */
  readonly build: number;
  /** Commit of the `tools/server/README.md` help table `llamacpp-flags.json` was read from. */
  readonly flagsCommit: string;
  /** CUDA 12 image: `server-cuda-b<build>`. */
  readonly cudaImage: string;
  /** CPU-only image: `server-b<build>`. */
  readonly cpuImage: string;
}

/** Every pinned version, by component. */
export interface Versions {
  /** vLLM model server (GPU). */
  readonly vllm: VllmPin;
  /** llama.cpp model server (CPU or GPU). */
  readonly llamaCpp: LlamaCppPin;
  /** Cache store of the router. */
  readonly redis: PinnedImage;
  /** Metrics store (Docker targets; Kubernetes uses kube-prometheus-stack). */
  readonly prometheus: PinnedImage;
  /** Dashboards (Docker targets). */
  readonly grafana: PinnedImage;
  /** TLS-terminating reverse proxy in front of the router (Docker targets). */
  readonly caddy: PinnedImage;
  /** Base image of the router image. */
  readonly node: PinnedImage;
  /** Helm charts installed on Kubernetes targets. */
  readonly charts: {
    /** Advertises `nvidia.com/gpu` to the scheduler. */
    readonly nvidiaDevicePlugin: PinnedChart;
    /** Driver, toolkit, device plugin and DCGM as one operator, for nodes without them. */
    readonly gpuOperator: PinnedChart;
    /** GPU metrics exporter; `image` is the exporter image the chart version ships. */
    readonly dcgmExporter: PinnedChart & PinnedImage;
    /** Prometheus Operator, Prometheus and Grafana. */
    readonly kubePrometheusStack: PinnedChart;
    /** Event-driven autoscaler (ScaledObjects on Prometheus queries, scale to zero). */
    readonly keda: PinnedChart;
  };
}

/** Pinned images and charts. Sources: shared/reference/engines.md, peers.md, and public pins. */
export const VERSIONS: Versions = {
  /**
   * vLLM OpenAI server, entrypoint `vllm serve`. The CUDA 12.9 variant is the exact image whose
   * `vllm serve --help=all` output `vllm-flags.json` records (engines.md §0). The plain `v0.22.0`
   * tag is a CUDA 13.0 build (torch 2.11.0+cu130 per a public deployment note), which needs an R580+
   * host driver. Release v0.22.0; reference compiled Sep 2026.
   * @see https://hub.docker.com/r/vllm/vllm-openai/tags
   */
  vllm: {
    version: "v0.22.0",
    image: "vllm/vllm-openai:v0.22.0-cu129-ubuntu2404",
  },
  /**
   * llama.cpp `llama-server`, entrypoint `/app/llama-server`. b11243 is the newest build tag in
   * engines.md (Sep 2026) and is seen pinned publicly as both `server-cuda-b11243` and
   * `server-b11243`. It is a 2026 build, so it has what `llamacpp-flags.json` (README @00dc8057)
   * describes: `--load-mode`, `-fa on|off|auto`, `-np` default auto, port 8080 with a change notice.
   * Upstream publishes server images daily, not per build: check a tag exists before bumping.
   * @see https://github.com/ggml-org/llama.cpp/blob/master/docs/docker.md
   */
  llamaCpp: {
    build: 11243,
    flagsCommit: "00dc8057ab28c9cb4c79a6dd6dfce07fe779f63b",
    cudaImage: "ghcr.io/ggml-org/llama.cpp:server-cuda-b11243",
    cpuImage: "ghcr.io/ggml-org/llama.cpp:server-b11243",
  },
  /**
   * Redis for the router's exact and semantic cache. The 7.4 line, as the router README documents;
   * 7.4.11 is the newest 7.4 patch seen in public digest pins (Aug 2026) and carries the
   * CVE-2025-49844 Lua use-after-free fix (7.4.6 and later). Alpine for size.
   * @see https://hub.docker.com/_/redis/tags
   */
  redis: { image: "redis:7.4.11-alpine" },
  /**
   * Prometheus server. v3.13.3, released 2026-09-07 (GitHub release; public compose pins).
   * @see https://github.com/prometheus/prometheus/releases
   */
  prometheus: { image: "prom/prometheus:v3.13.3" },
  /**
   * Grafana OSS. 13.2.1, released 2026-09-02 (Docker Hub; public compose pins).
   * @see https://hub.docker.com/r/grafana/grafana/tags
   */
  grafana: { image: "grafana/grafana:13.2.1" },
  /**
   * Caddy, the TLS front for the router on Docker targets. 2.11.7, the newest 2.11 patch seen in
   * public digest pins (Sep 2026).
   * @see https://hub.docker.com/_/caddy/tags
   */
  caddy: { image: "caddy:2.11.7-alpine" },
  /**
   * Node.js base image of the router, the same as `NODE_IMAGE` in `images/router/Dockerfile`. Node 24.21.0
   * (2026-09-10; LTS until 2028-04-30): Node 20, which the kit is developed on, reached end of life on
   * 2026-04-30. The whole test suite and the router benches were re-run on 24.21.0.
   * @see https://hub.docker.com/_/node/tags
   */
  node: { image: "node:24.21.0-bookworm-slim" },
  charts: {
    /**
     * NVIDIA device plugin (advertises `nvidia.com/gpu`). 0.20.0 = tag v0.20.0, 2026-08-19
     * (engines.md §3, snapshot of NVIDIA/k8s-device-plugin @1b826acc).
     * @see https://github.com/NVIDIA/k8s-device-plugin#deployment-via-helm
     */
    nvidiaDevicePlugin: {
      repo: "https://nvidia.github.io/k8s-device-plugin",
      chart: "nvidia-device-plugin",
      version: "0.20.0",
    },
    /**
     * NVIDIA GPU Operator (driver, toolkit, device plugin, DCGM in one). v26.7.0, 2026-08-20
     * (engines.md §3). The chart on `main` says `v1.0.0-devel`: always pin a release.
     * @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/getting-started.html
     */
    gpuOperator: {
      repo: "https://helm.ngc.nvidia.com/nvidia",
      chart: "gpu-operator",
      version: "v26.7.0",
    },
    /**
     * DCGM exporter (GPU metrics on :9400/metrics). Chart 4.8.2 with image `4.5.3-4.8.2`
     * (`<DCGM>-<exporter>`), tagged 2026-05-06 (engines.md §3, NVIDIA/dcgm-exporter @d5e5f510).
     * @see https://github.com/NVIDIA/dcgm-exporter#quickstart-on-kubernetes
     */
    dcgmExporter: {
      repo: "https://nvidia.github.io/dcgm-exporter/helm-charts",
      chart: "dcgm-exporter",
      version: "4.8.2",
      image: "nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2",
    },
    /**
     * kube-prometheus-stack (Prometheus Operator, Prometheus, Grafana, ServiceMonitor CRDs).
     * 82.4.3 is the version vLLM production-stack pins as its optional subchart (peers.md, snapshot
     * a6c01db0 of 2026-08-05).
     * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
     */
    kubePrometheusStack: {
      repo: "https://prometheus-community.github.io/helm-charts",
      chart: "kube-prometheus-stack",
      version: "82.4.3",
    },
    /**
     * KEDA (ScaledObject CRDs, operator, metrics API server). 2.20.2 (app 2.20.2), published
     * 2026-07-31: the newest `keda` entry of the chart repository's `index.yaml` (snapshot of
     * kedacore/charts @1444d00d, 2026-08-13).
     * @see https://github.com/kedacore/charts/tree/main/keda
     */
    keda: {
      repo: "https://kedacore.github.io/charts",
      chart: "keda",
      version: "2.20.2",
    },
  },
};
