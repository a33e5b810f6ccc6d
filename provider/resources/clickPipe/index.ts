/**
 * `clickhouse:ClickPipe`: an ingestion pipe into a service, from Kafka, object storage (S3, GCS,
 * Azure Blob...), Kinesis or Postgres. The ClickPipes API is alpha; the shapes and names here
 * are the OpenAPI document's.
 *
 * Create wakes an idle service (the API answers 424 otherwise), POSTs, and waits for `Running`
 * (then stops the pipe when `state: "Stopped"` is asked: a pipe cannot be created stopped).
 * Update PATCHes what the API changes in place, `/scaling` for scaling and `/state` for
 * start/stop; everything else replaces. Credentials are write-only in the API: they are kept
 * from the inputs in the outputs so `refresh` shows no diff, and marked secret.
 *
 * The folder: args.ts (types and their TSDoc), properties.ts (the tables: what each field
 * accepts, changes in place, never returns, keeps secret), check.ts, diff.ts, body.ts (request
 * bodies), outputs.ts, secrets.ts (the class's secret marking), ownership.ts (creates the engine
 * never recorded), crud.ts, values.ts (reading plain values); the API calls are
 * ../../api/clickpipes.ts. A new source kind is its type in args.ts, its field table in
 * properties.ts and its rules in check.ts.
 */
import { withDesiredStateMark, withRemovedState } from "./state";
import type * as pulumi from "@pulumi/pulumi";
import { ClickHouseResource } from "../../shim";
import type { Handlers } from "../handlers";
import { asInputs, asOutputs, ClickPipeArgs, ClickPipeInputs, ClickPipeOutputs, ClickPipeScalingArgs, ClickPipeSourceArgs } from "./args";
import type { ClickPipeFieldMapping, ClickPipeMutateDestination, ClickPipeState } from "../../api/types";
import { checkClickPipe } from "./check";
import { create, read, remove, update } from "./crud";
import { diffClickPipe } from "./diff";
import { UNSET_OUTPUTS } from "./properties";
import { secretSource } from "./secrets";

export type { ClickPipeArgs, ClickPipeDesiredState, ClickPipeInputs, ClickPipeOutputs, ClickPipeSourceArgs, DeepInput } from "./args";
export { checkClickPipe } from "./check";
export { changedPaths, diffClickPipe, effectiveState } from "./diff";
export type { ClickPipeChanges } from "./diff";
export { clickPipePatchBody, clickPipePostBody } from "./body";
export { clickPipeOutputs, keepWriteOnly, normalizeScaling, toGb, toMillicores } from "./outputs";
export { CLICKPIPE_SOURCE_KINDS, CLICKPIPE_SOURCE_SPECS } from "./properties";
export type { ClickPipeSourceKind } from "./properties";
export { secretSource } from "./secrets";
export { sourceKinds } from "./values";

/** What the engine hands the handlers: the JSON of the inputs or of the recorded outputs. */
type EngineValues = Record<string, unknown>;

/**
 * The CRUD of `clickhouse:ClickPipe` as the runtime dispatches it, checked against the SDK's
 * contract for its inputs and outputs. Each handler views the engine's JSON as typed in one place
 * (`asInputs`, `asOutputs`); `create` always returns the outputs.
 */
export const clickPipeHandlers = {
    check: async (olds: EngineValues, news: EngineValues) => {
        const { inputs, failures } = checkClickPipe(olds, news);
        return { inputs: asInputs(inputs), failures };
    },
    diff: async (id: string, olds: EngineValues, news: EngineValues) => {
        const { patch: _p, scaling: _s, state: _st, ...result } = diffClickPipe(id, olds, withRemovedState(olds ?? {}, news ?? {}));
        return result;
    },
    create: (inputs: EngineValues) => withDesiredStateMark(create(asInputs(inputs)), inputs),
    read: (id: string, props?: EngineValues) => withDesiredStateMark(read(id, asOutputs(props ?? {})), props ?? {}, "__desiredState"),
    update: (id: string, olds: EngineValues, news: EngineValues) =>
        withDesiredStateMark(update(id, asOutputs(olds), asInputs(withRemovedState(olds ?? {}, news ?? {}))), news ?? {}),
    delete: (id: string, props: EngineValues) => remove(id, asOutputs(props ?? {})),
} satisfies Handlers<ClickPipeInputs, ClickPipeOutputs>;

/**
 * A ClickPipe: continuous ingestion into a ClickHouse Cloud service from Kafka, object
 * storage, Kinesis or Postgres (the ClickPipes API is alpha).
 *
 * Creating a pipe on an idle service wakes the service first. The pipe is created running and
 * waited for (`Running`; a Postgres pipe's `Snapshot` is enough); `state: "Stopped"` stops it
 * afterwards. A pipe that ends up `Failed` fails the deployment with its name, id and state,
 * and stays in the state so it can be fixed or deleted. Credentials are secret inputs and
 * outputs; the API never returns them, so a credential rotated outside Pulumi is not detected.
 */
export class ClickPipe extends ClickHouseResource {
    /** Id of the service the pipe writes into. */
    declare readonly serviceId: pulumi.Output<string>;
    /** Name of the pipe. */
    declare readonly name: pulumi.Output<string>;
    /** Description. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** The source as the API reports it, with credentials from the inputs (secret). */
    declare readonly source: pulumi.Output<ClickPipeSourceArgs>;
    /** The destination as the API reports it. */
    declare readonly destination: pulumi.Output<ClickPipeMutateDestination>;
    /** Field mappings. */
    declare readonly fieldMappings: pulumi.Output<ClickPipeFieldMapping[] | undefined>;
    /** Scaling as the API reports it (normalized to numbers). */
    declare readonly scaling: pulumi.Output<ClickPipeScalingArgs | undefined>;
    /** The state the API reports: `Running`, `Stopped`, `Failed`, ... */
    declare readonly state: pulumi.Output<ClickPipeState>;
    /** Creation time, ISO 8601. */
    declare readonly createdAt: pulumi.Output<string>;
    /** Last update time, ISO 8601. */
    declare readonly updatedAt: pulumi.Output<string>;

    constructor(name: string, args: ClickPipeArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            "ClickPipe",
            name,
            {
                ...Object.fromEntries(UNSET_OUTPUTS.map((k) => [k, undefined])),
                ...args,
                source: secretSource(args.source),
            },
            opts,
        );
    }
}
