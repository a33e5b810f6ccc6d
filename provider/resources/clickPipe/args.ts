/**
 * The arguments and outputs of `clickhouse:ClickPipe`: the types a program and the provider see.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
    ClickPipeFieldMapping, ClickPipeMutateDestination, ClickPipeMutatePostgresSource, ClickPipePostKafkaSource,
    ClickPipePostKinesisSource, ClickPipePostObjectStorageSource, ClickPipeScaling, ClickPipeState,
} from "../../api/types";
import type { Timeouts } from "../common";

/** A type whose every nested field may also be a Pulumi input. */
export type DeepInput<T> = pulumi.Input<
    T extends (infer U)[] ? DeepInput<U>[] : T extends object ? { [K in keyof T]: DeepInput<T[K]> } : T
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

/** Arguments of {@link ClickPipe}. */
export interface ClickPipeArgs {
    /** Id of the service the pipe writes into. Changing this replaces the resource. */
    serviceId: pulumi.Input<string>;
    /** Name of the pipe, 1 to 255 characters. Updated in place. */
    name: pulumi.Input<string>;
    /**
     * Free-text description, kept in the Pulumi state only: the ClickPipes API (OpenAPI
     * document of 2026-08-05) has no description field and refuses unknown fields. Updated in
     * place without an API call. @default none
     */
    description?: pulumi.Input<string>;
    /**
     * The source: exactly one of `kafka`, `objectStorage`, `kinesis`, `postgres`, with the
     * API's field names. Changing the kind, format, brokers, topics, consumer group, offset,
     * schema registry, URL, stream, iterator, Postgres type/authentication/replication settings
     * replaces the resource; credentials and authentication (Kafka `authentication`, `iamRole`,
     * `caCertificate`, `reversePrivateEndpointIds`; object storage and Kinesis `authentication`,
     * `iamRole`, `accessKey`...; Postgres host, port, database, TLS, `tableMappings`, sync
     * interval and batch size) are updated in place. Credentials are stored as secrets.
     */
    source: DeepInput<ClickPipeSourceArgs>;
    /**
     * Where rows go. `columns` is updated in place (configuration only: the table is not
     * altered); `database`, `table`, `managedTable`, `tableDefinition` and `roles` replace the
     * resource.
     */
    destination: DeepInput<ClickPipeMutateDestination>;
    /** Source field to destination column mappings; every destination column must be mapped. Order does not matter. Updated in place. */
    fieldMappings?: DeepInput<ClickPipeFieldMapping[]>;
    /**
     * Compute of a streaming pipe: `replicas` 1-40, `replicaCpuMillicores` 125-2000,
     * `replicaMemoryGb` 0.5-8. Not for Postgres pipes. Updated in place (`PATCH /scaling`).
     * @default the API's choice
     */
    scaling?: DeepInput<Pick<ClickPipeScaling, "replicas" | "replicaCpuMillicores" | "replicaMemoryGb">>;
    /**
     * `Running` or `Stopped`. A pipe is always created running, then stopped if asked. Updated
     * in place (`PATCH /state` start/stop); a `Failed` pipe is restarted when `Running` is asked.
     * @default "Running" at creation; unset afterwards means "not managed"
     */
    state?: pulumi.Input<ClickPipeDesiredState>;
    /** How long create, update and delete may wait. @default create/update "30m", delete "20m". Updated in place. */
    timeouts?: pulumi.Input<Timeouts>;
}

/** Plain inputs as the provider receives them. */
export interface ClickPipeInputs {
    serviceId: string;
    name: string;
    description?: string;
    source: ClickPipeSourceArgs;
    destination: ClickPipeMutateDestination;
    fieldMappings?: ClickPipeFieldMapping[];
    scaling?: Pick<ClickPipeScaling, "replicas" | "replicaCpuMillicores" | "replicaMemoryGb">;
    state?: ClickPipeDesiredState;
    timeouts?: Timeouts;
}

/** Outputs: the pipe as the API reports it, with write-only credentials kept from the inputs. */
export interface ClickPipeOutputs extends Omit<ClickPipeInputs, "state"> {
    /** The state the API reports (`Running`, `Stopped`, `Failed`, ...). */
    state?: ClickPipeState;
    createdAt?: string;
    updatedAt?: string;
}
