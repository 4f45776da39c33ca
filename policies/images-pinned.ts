/**
 * @module Policy `shoestring-images-pinned`: every image and chart is a fixed version, so a deploy
 * today and a redeploy next month run the same bits. An image needs a tag other than `latest` (or a
 * digest); a Helm release needs a chart version.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, podContainers, str, type PolicyInput } from "./_props";

/** Policy name, as reported and as the key in policy config. */
export const IMAGES_PINNED = "shoestring-images-pinned";

/** Tags that move. */
export const DEFAULT_MOVING_TAGS: readonly string[] = ["latest"];

/** Policy config. */
export interface ImagesPinnedConfig {
  /** Tags treated as unpinned. @default DEFAULT_MOVING_TAGS */
  movingTags?: string[];
  /** Require a digest (`@sha256:…`), not just a tag. @default false */
  requireDigest?: boolean;
}

/** An image reference split into its parts: `[registry/]repository[:tag][@digest]`. */
export function parseImageRef(ref: string): { repository: string; tag?: string; digest?: string } {
  const [name, digest] = ref.split("@", 2) as [string, string | undefined];
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  // A colon before the last slash is a registry port (localhost:5000/app), not a tag.
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const repository = colon > slash ? name.slice(0, colon) : name;
  return { repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Why an image reference is not pinned, or undefined when it is. */
export function unpinnedReason(ref: string, config: ImagesPinnedConfig = {}): string | undefined {
  // An image ID (what a container gets from a pulled RemoteImage) is content-addressed.
  if (/^sha256:[0-9a-f]{12,}$/.test(ref)) return undefined;
  const { tag, digest } = parseImageRef(ref);
  if (digest !== undefined) return undefined;
  if (config.requireDigest) return "has no digest (requireDigest is on)";
  if (tag === undefined || tag === "") return "has no tag, so it means :latest";
  if ((config.movingTags ?? DEFAULT_MOVING_TAGS).includes(tag)) return `uses the moving tag "${tag}"`;
  return undefined;
}

/** Image references of a resource with where they are set. */
function imagesOf(r: PolicyInput): Array<[where: string, ref: string]> {
  switch (r.type) {
    case "docker:index/remoteImage:RemoteImage":
      return [["name", str(at(r.props, "name"))]].filter((e): e is [string, string] => e[1] !== undefined);
    case "docker:index/image:Image":
      return [["imageName", str(at(r.props, "imageName"))]].filter((e): e is [string, string] => e[1] !== undefined);
    case "docker:index/container:Container":
      return [["image", str(at(r.props, "image"))]].filter((e): e is [string, string] => e[1] !== undefined);
    default:
      return podContainers(r).flatMap((c) => {
        const image = str(at(c, "image"));
        return image === undefined ? [] : [[`container "${str(at(c, "name")) ?? "?"}" image`, image] as [string, string]];
      });
  }
}

/** Every unpinned image or chart of one resource (empty when all are pinned). */
export function unpinnedViolations(r: PolicyInput, config: ImagesPinnedConfig = {}): string[] {
  const out = imagesOf(r).flatMap(([where, ref]) => {
    const why = unpinnedReason(ref, config);
    return why ? [`${r.type.split(":").pop()} "${r.name}" ${where} "${ref}" ${why}: redeploys could run different code. Pin a version tag (e.g. from src/versions.ts) or a digest.`] : [];
  });
  if (r.type === "kubernetes:helm.sh/v3:Release" || r.type === "kubernetes:helm.sh/v4:Chart") {
    const version = str(at(r.props, "version"));
    if (version === undefined || version === "" || version === "latest") {
      out.push(`Helm release "${r.name}" (chart ${str(at(r.props, "chart")) ?? "?"}) has no chart version: the newest chart is installed on every deploy. Set version.`);
    }
  }
  return out;
}

/** The CrossGuard policy. */
export const imagesPinned: ResourceValidationPolicy = {
  name: IMAGES_PINNED,
  description: "Container images carry a version tag other than latest (or a digest); Helm releases pin a chart version.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      movingTags: { type: "array", items: { type: "string" }, default: [...DEFAULT_MOVING_TAGS] },
      requireDigest: { type: "boolean", default: false },
    },
  },
  validateResource: (args, report) => {
    for (const message of unpinnedViolations(args, args.getConfig<ImagesPinnedConfig>())) report(message);
  },
};


