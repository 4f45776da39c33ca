/**
 * @module The offline resource monitor behind `shoestring preview`: Pulumi's own mock monitor
 * (`pulumi.runtime.setMocks`, in preview mode), plus a record of every registration with its parent,
 * provider and, for components, the outputs they register. No credentials, CLI or network.
 */
import * as pulumi from "@pulumi/pulumi";
import { INVOKE_ANSWERS, PROVIDER_OUTPUTS } from "./_mock-outputs";

/** One resource the program registered, as the engine would have received it. */
export interface RecordedResource {
  /** Pulumi type token, e.g. `docker:index/container:Container`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** The resource's URN under the preview's project and stack. */
  readonly urn: string;
  /** A provider resource (true) or a component (false). */
  readonly custom: boolean;
  /** Parent URN; undefined for top-level resources. */
  readonly parent?: string;
  /** Provider reference (`<urn>::<id>`) when one was set explicitly. */
  readonly provider?: string;
  /**
   * Inputs as the engine receives them: secrets stay wrapped (see `pulumi.runtime.isRpcSecret`)
   * and values only known after deployment are `pulumi.unknown`.
   */
  readonly inputs: Record<string, unknown>;
  /** Outputs a component registered (`registerOutputs`), same encoding as `inputs`. */
  outputs?: Record<string, unknown>;
}

/** What a program run under {@link installPreviewMocks} did. */
export interface PreviewRecord {
  /** Every registration, in order. */
  readonly resources: RecordedResource[];
  /** Invoke tokens the preview had no answer for (answered with an empty result). */
  readonly unansweredInvokes: string[];
}

/** The grpc-style request objects the SDK hands its monitor (only what we read). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getObject(): unknown;
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): unknown;
}
type Callback = (err: unknown, resp?: { getUrn?(): string }) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, cb: Callback): unknown;
  registerResourceOutputs(req: OutputsRequest, cb: Callback): unknown;
}

/**
 * Installs Pulumi's mocks for one preview run (any earlier run's state is reset) and returns the
 * live record. Resources echo their inputs plus mock provider outputs; every other output
 * is unknown, exactly as in `pulumi preview`.
 * @example
 * const record = await installPreviewMocks("shoestring", "edge");
 */
export async function installPreviewMocks(project: string, stack: string): Promise<PreviewRecord> {
  const record: PreviewRecord = { resources: [], unansweredInvokes: [] };
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const computed = PROVIDER_OUTPUTS[args.type]?.(args) ?? {};
        return { id: args.custom ? `${args.name}-id` : undefined, state: { ...args.inputs, ...computed } };
      },
      call(args) {
        const answer = INVOKE_ANSWERS[args.token];
        if (answer) return answer(args);
        if (!record.unansweredInvokes.includes(args.token)) record.unansweredInvokes.push(args.token);
        return {};
      },
    },
    project,
    stack,
    true,
  );
  // The Mocks interface sees neither parents nor component outputs; the monitor it sits behind
  // does, so wrap its two registration calls (the SDK calls them by name on this object).
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const registerResource = monitor.registerResource.bind(monitor);
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  const byUrn = new Map<string, RecordedResource>();
  monitor.registerResource = (req, cb) =>
    registerResource(req, (err, resp) => {
      const urn = resp?.getUrn?.();
      if (!err && urn !== undefined) {
        const resource: RecordedResource = {
          type: req.getType(),
          name: req.getName(),
          urn,
          custom: req.getCustom(),
          ...(req.getParent() ? { parent: req.getParent() } : {}),
          ...(req.getProvider() ? { provider: req.getProvider() } : {}),
          inputs: pulumi.runtime.deserializeProperties(req.getObject() as never) as Record<string, unknown>,
        };
        record.resources.push(resource);
        byUrn.set(urn, resource);
      }
      cb(err, resp);
    });
  monitor.registerResourceOutputs = (req, cb) => {
    const resource = byUrn.get(req.getUrn());
    const outputs = req.getOutputs();
    if (resource && outputs) resource.outputs = pulumi.runtime.deserializeProperties(outputs as never) as Record<string, unknown>;
    return registerResourceOutputs(req, cb);
  };
  return record;
}
