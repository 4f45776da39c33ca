"""A llama.cpp model server, Redis and Shoestring's router on an existing Docker host, from Python.

The `pulumi_shoestring` SDK is generated from the package's TypeScript components; Node.js 20 must
be installed where Pulumi runs:

    pulumi package add <llm-shoestring checkout or node_modules/llm-shoestring>/provider
    pulumi config set dockerHost ssh://ops@gpu-box.lan
    pulumi config set routerImage ghcr.io/acme/shoestring-router:0.1.0
    pulumi config set --secret routerApiKeys "$(openssl rand -hex 24)"
    pulumi up
"""
import pulumi
import pulumi_docker as docker
import pulumi_shoestring as shoestring

config = pulumi.Config()

# The Docker host is an ordinary provider of this program; the components run their containers on
# whatever Docker provider their resource options carry.
host = docker.Provider("gpu-box", host=config.require("dockerHost"))
on_host = pulumi.ResourceOptions(providers=[host])
network = docker.Network("llm", name="llm", opts=on_host)

qwen = shoestring.ModelServerContainer(
    "qwen-1-5b",
    network=network.name,
    gpus=config.get_int("gpus") or 0,
    llama_cpp=shoestring.LlamaCppSettingsArgs(
        served_model_name="qwen-1-5b",
        repo="Qwen/Qwen2.5-1.5B-Instruct-GGUF",
        file="qwen2.5-1.5b-instruct-q4_k_m.gguf",
        context_size=16384,
        parallel_slots=4,
        kv_cache_dtype=shoestring.LlamaCppKvCacheDtype.Q8_0,
    ),
    opts=on_host,
)

cache = shoestring.RedisContainer("cache", network=network.name, max_memory_mb=512, opts=on_host)

api_keys = config.require_secret("routerApiKeys").apply(lambda keys: [k.strip() for k in keys.split(",")])

router = shoestring.RouterContainer(
    "router",
    network=network.name,
    image=config.require("routerImage"),
    backends=[
        shoestring.RouterBackendArgs(
            name="qwen-1-5b",
            endpoint=qwen.endpoint,
            served_model_name=qwen.served_model_name,
            tier=1,
            context_tokens=4096,
        )
    ],
    cache=shoestring.RouterCacheArgs(redis_url=cache.url),
    tenants=[shoestring.RouterTenantArgs(id="default", keys=api_keys)],
    log_level=shoestring.RouterLogLevel.INFO,
    opts=on_host,
)

pulumi.export("router_url", router.url)
pulumi.export("model_endpoint", qwen.endpoint)
