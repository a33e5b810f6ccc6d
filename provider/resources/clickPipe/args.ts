/**
 * The arguments and outputs of `clickhouse:ClickPipe`: the types a program and the provider see.
 * The plain inputs are written once, with their TSDoc; the arguments a program passes are mapped
 * from them (SST style), so the two cannot drift.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
    ClickPipeFieldMapping,
    ClickPipeMutateDestination,
    ClickPipeMutatePostgresSource,
    ClickPipePostKafkaSource,
    ClickPipePostKinesisSource,
    ClickPipePostObjectStorageSource,
    ClickPipeScaling,
    ClickPipeState,
} from "../../api/types";
import { CREATION_KEY, OWNER_KEY } from "../hidden";
import { OpenEnum } from "../shape";
import { Timeouts } from "../timeouts";
import type { InputOf } from "../shape";
import type { SCALING_FIELDS } from "./properties";

/** A type whose every nested field may also be a Pulumi input, and whose fixed words any string ({@link OpenEnum}). */
export type DeepInput<T> = pulumi.Input<
    T extends (infer U)[] ? DeepInput<U>[] : T extends object ? { [K in keyof T]: DeepInput<T[K]> } : T extends string ? OpenEnum<T> : T
>;

/** Where a pipe reads from: exactly one of the four kinds, with the API's field names. */
export interface ClickPipeSourceArgs {
    /** A Kafka-compatible source (Kafka, Confluent, MSK, Redpanda, Event Hubs...). `credentials` is secret. */
    kafka?: ClickPipePostKafkaSource;
    /** Object storage (S3, GCS, Azure Blob, R2...). `accessKey`, `connectionString`, `serviceAccountKey` are secret. */
    objectStorage?: ClickPipePostObjectStorageSource;
    /** An AWS Kinesis stream. `accessKey` is secret. */
    kinesis?: ClickPipePostKinesisSource;
    /** A Postgres database replicated with CDC. `credentials` is secret. */
    postgres?: ClickPipeMutatePostgresSource;
}

/** The desired state of a pipe. */
export type ClickPipeDesiredState = "Running" | "Stopped";

/** Scaling a pipe's arguments may set. */
export type ClickPipeScalingArgs = Pick<ClickPipeScaling, (typeof SCALING_FIELDS)[number]>;

/**
 * Plain inputs as the provider receives them. The TSDoc of each argument is here; {@link
 * ClickPipeArgs} maps these fields, so editors show the same text on both.
 */
export type ClickPipeInputs = {
    /** Id of the service the pipe writes into. Changing this replaces the resource. */
    serviceId: string;
    /** Name of the pipe, 1 to 255 characters. Updated in place. */
    name: string;
    /**
     * Free-text description, kept in the Pulumi state only: the ClickPipes API (OpenAPI
     * document of 2026-08-05) has no description field and refuses unknown fields. Updated in
     * place without an API call; removing it clears it. @default none
     */
    description?: string;
    /**
     * The source: exactly one of `kafka`, `objectStorage`, `kinesis`, `postgres`, with the
     * API's field names. Changing the kind, format, brokers, topics, consumer group, offset,
     * schema registry, URL, stream, iterator, Postgres type/authentication/replication settings
     * replaces the resource; credentials and authentication (Kafka `authentication`, `iamRole`,
     * `caCertificate`, `reversePrivateEndpointIds`; object storage and Kinesis `authentication`,
     * `iamRole`, `accessKey`...; Postgres host, port, database, TLS, `tableMappings`, sync
     * interval and batch size) are updated in place. Credentials are stored as secrets.
     */
    source: ClickPipeSourceArgs;
    /**
     * Where rows go. `columns` is updated in place (configuration only: the table is not
     * altered); `database`, `table`, `managedTable`, `tableDefinition` and `roles` replace the
     * resource.
     */
    destination: ClickPipeMutateDestination;
    /**
     * Source field to destination column mappings; the spec asks for every destination column
     * (preview only warns, the API decides). Order does not matter. Updated in place; removing it
     * clears the mappings (the API's default).
     */
    fieldMappings?: ClickPipeFieldMapping[];
    /**
     * Compute of a streaming pipe: `replicas` 1-40, `replicaCpuMillicores` 125-2000,
     * `replicaMemoryGb` 0.5-8. Not for Postgres pipes. Updated in place (`PATCH /scaling`).
     * @default the API's choice; unset or removed: not managed
     */
    scaling?: ClickPipeScalingArgs;
    /**
     * `Running` or `Stopped`. A pipe is always created running, then stopped if asked. Updated
     * in place (`PATCH /state` start/stop); a `Failed` pipe is restarted when `Running` is asked.
     * @default "Running". Never set: not managed (a pipe stopped in the console stays stopped).
     * Removed after an earlier run set it: the pipe is started again (`Running`).
     */
    state?: ClickPipeDesiredState;
    /** How long create, update and delete may wait. @default create/update "30m", delete "20m". Updated in place; removed, the defaults apply. */
    timeouts?: Timeouts;
};

/** Outputs: the pipe as the API reports it, with write-only credentials kept from the inputs. */
export type ClickPipeOutputs = Omit<ClickPipeInputs, "state"> & {
    /** The state the API reports (`Running`, `Stopped`, `Failed`, ...). */
    state?: ClickPipeState;
    createdAt?: string;
    updatedAt?: string;
};

/**
 * What a program passes for plain values `T`: every field may be a Pulumi input, and the fields
 * `Deep` in each of their parts too. Homomorphic, so each field keeps its TSDoc and optionality.
 */
type ArgsOf<T, Deep extends keyof T> = { [K in keyof T]: K extends Deep ? DeepInput<NonNullable<T[K]>> : InputOf<NonNullable<T[K]>> };

/** Arguments of {@link ClickPipe}. */
export type ClickPipeArgs = ArgsOf<ClickPipeInputs, "source" | "destination" | "fieldMappings" | "scaling">;

/** Inputs every resource class adds to the arguments (see shim.ts); the outputs carry them so `read` hands them back. */
type Hidden = { [CREATION_KEY]?: string; [OWNER_KEY]?: string };

/** The inputs the functions of this folder take: the arguments and the hidden inputs. */
export type Inputs = ClickPipeInputs & Hidden;
/** The outputs the functions of this folder make and get back. */
export type Outputs = ClickPipeOutputs & Hidden;

/*
 * The engine hands the handlers JSON: `create` and `update` get what `check` returned (validated
 * inputs), `diff`, `read`, `update` and `delete` get what the handlers returned as outputs. These
 * two functions are where that JSON is taken as typed; nothing else here asserts the type of a
 * value the engine hands over.
 */

/** Inputs as `check` validated them. */
export function asInputs(values: Record<string, unknown>): Inputs {
    return values as Inputs; // the engine passes on what check returned
}

/** Outputs as the handlers made them. */
export function asOutputs(values: Record<string, unknown>): Outputs {
    return values as Outputs; // the engine passes back what create, update or read returned
}
