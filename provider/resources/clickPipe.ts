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
 */
import { beginAttempt, finishAttempts, interruptedAttempts, newAttemptId, OWNER_ID } from "../journal";
import * as pulumi from "@pulumi/pulumi";
import type {
    ClickPipe as ApiClickPipe, ClickPipeFieldMapping, ClickPipeMutateDestination, ClickPipeMutatePostgresSource, ClickPipePostKafkaSource,
    ClickPipePostKinesisSource, ClickPipePostObjectStorageSource, ClickPipeScaling, ClickPipeState,
} from "../api/types";
import type { ApiClient } from "../api/client";
import { warn } from "../log";
import { waitFor } from "../wait";
import { ClickHouseResource } from "../shim";
import {
    canonical, checkTimeouts, compact, CREATION_KEY, DiffResult, diffBySpec, Handlers, isUnknown, partialFailure, sameSet, sameValue, show, timeoutFor, Timeouts,
    OpenEnum, OWNER_KEY, UUID, Validator,
} from "./common";
import { withDesiredStateMark, withRemovedState } from "./clickPipeState";
import { isApiError } from "../api/errors";
import {
    apiClient, checkServiceId, ensureServiceRunning, getOrUndefined, GONE, hiddenOf, ignoreNotFound, keepOrder, labelOf, withServiceAwake,
} from "./satellite";

const RESOURCE = "clickhouse:ClickPipe";

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

/** Arguments of {@link ClickPipe}. */
export interface ClickPipeArgs {
    /** Id of the service the pipe writes into. Changing this replaces the resource. */
    serviceId: pulumi.Input<string>;
    /** Name of the pipe, 1 to 255 characters. Updated in place. */
    name: pulumi.Input<string>;
    /**
     * Free-text description, kept in the Pulumi state only: the ClickPipes API (OpenAPI
     * document of 2026-08-05) has no description field and refuses unknown fields. Updated in
     * place without an API call; removing it clears it. @default none
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
    /**
     * Source field to destination column mappings; the spec asks for every destination column
     * (preview only warns, the API decides). Order does not matter. Updated in place; removing it
     * clears the mappings (the API's default).
     */
    fieldMappings?: DeepInput<ClickPipeFieldMapping[]>;
    /**
     * Compute of a streaming pipe: `replicas` 1-40, `replicaCpuMillicores` 125-2000,
     * `replicaMemoryGb` 0.5-8. Not for Postgres pipes. Updated in place (`PATCH /scaling`).
     * @default the API's choice; unset or removed: not managed
     */
    scaling?: DeepInput<Pick<ClickPipeScaling, "replicas" | "replicaCpuMillicores" | "replicaMemoryGb">>;
    /**
     * `Running` or `Stopped`. A pipe is always created running, then stopped if asked. Updated
     * in place (`PATCH /state` start/stop); a `Failed` pipe is restarted when `Running` is asked.
     * @default "Running". Never set: not managed (a pipe stopped in the console stays stopped).
     * Removed after an earlier run set it: the pipe is started again (`Running`).
     */
    state?: pulumi.Input<OpenEnum<ClickPipeDesiredState>>;
    /** How long create, update and delete may wait. @default create/update "30m", delete "20m". Updated in place; removed, the defaults apply. */
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

// ---------------------------------------------------------------------------------------------
// What each source kind accepts, updates in place and never returns

/** Source kinds this provider supports. */
export const CLICKPIPE_SOURCE_KINDS = ["kafka", "objectStorage", "kinesis", "postgres"] as const;
/** A supported source kind. */
export type ClickPipeSourceKind = (typeof CLICKPIPE_SOURCE_KINDS)[number];
/** Source kinds the API has but this provider does not support (yet). */
const UNSUPPORTED_KINDS = ["pubsub", "mysql", "bigquery", "mongodb"];

interface KindSpec {
    /** Accepted fields (the POST shape). */
    fields: readonly string[];
    /** Fields (or dotted paths) the PATCH endpoint changes; every other field replaces. */
    inPlace: readonly string[];
    /** Fields the API never returns: kept from the inputs. */
    writeOnly: readonly string[];
}

/** Per kind: accepted fields, in-place fields (from the PATCH schemas), write-only fields. */
export const CLICKPIPE_SOURCE_SPECS: Record<ClickPipeSourceKind, KindSpec> = {
    kafka: {
        fields: ["type", "format", "brokers", "topics", "consumerGroup", "authentication", "iamRole", "offset", "schemaRegistry", "caCertificate", "reversePrivateEndpointIds", "exactlyOnce", "credentials"],
        inPlace: ["authentication", "iamRole", "caCertificate", "reversePrivateEndpointIds", "credentials"],
        writeOnly: ["credentials", "schemaRegistry.credentials"],
    },
    objectStorage: {
        fields: ["type", "format", "url", "delimiter", "compression", "isContinuous", "queueUrl", "skipInitialLoad", "startAfter", "authentication", "iamRole", "connectionString", "path", "azureContainerName", "accessKey", "serviceAccountKey"],
        inPlace: ["authentication", "iamRole", "connectionString", "accessKey", "serviceAccountKey"],
        writeOnly: ["accessKey", "serviceAccountKey", "connectionString"],
    },
    kinesis: {
        fields: ["format", "streamName", "region", "useEnhancedFanOut", "iteratorType", "timestamp", "authentication", "iamRole", "accessKey"],
        inPlace: ["authentication", "iamRole", "accessKey"],
        writeOnly: ["accessKey"],
    },
    postgres: {
        fields: ["type", "credentials", "host", "port", "database", "settings", "authentication", "iamRole", "tlsHost", "caCertificate", "disableTls", "skipCertVerification", "tableMappings"],
        inPlace: ["credentials", "host", "port", "database", "tlsHost", "caCertificate", "disableTls", "skipCertVerification", "settings.syncIntervalSeconds", "settings.pullBatchSize", "tableMappings"],
        writeOnly: ["credentials"],
    },
};

/** Destination fields the PATCH endpoint changes; the others replace. */
const DESTINATION_IN_PLACE = ["columns"];
/** Destination fields the API never returns. */
const DESTINATION_WRITE_ONLY = ["roles"];
/** Source fields holding secrets, wrapped with `pulumi.secret` by the resource class. */
const SECRET_SOURCE_FIELDS = ["credentials", "accessKey", "connectionString", "serviceAccountKey"];

const TOP_LEVEL = ["serviceId", "name", "description", "source", "destination", "fieldMappings", "scaling", "state", "timeouts"] as const;
const DEFAULT_TIMEOUTS_MS = { create: 30 * 60_000, update: 30 * 60_000, delete: 20 * 60_000 };

// ---------------------------------------------------------------------------------------------
// check

const KAFKA_TYPES = ["kafka", "redpanda", "msk", "gcmk", "confluent", "warpstream", "azureeventhub", "dokafka"];
const KAFKA_FORMATS = ["JSONEachRow", "Avro", "AvroConfluent", "Protobuf"];
/** Authentication methods per Kafka type, as the spec's description lists them. */
const KAFKA_AUTH: Record<string, string[]> = {
    kafka: ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "MUTUAL_TLS"],
    msk: ["SCRAM-SHA-512", "IAM_ROLE", "IAM_USER", "MUTUAL_TLS"],
    gcmk: ["PLAIN", "MUTUAL_TLS"],
    confluent: ["PLAIN", "MUTUAL_TLS"],
    warpstream: ["PLAIN"],
    azureeventhub: ["PLAIN"],
    redpanda: ["SCRAM-SHA-256", "SCRAM-SHA-512", "MUTUAL_TLS"],
    dokafka: ["SCRAM-SHA-256", "MUTUAL_TLS"],
};
const KAFKA_AUTH_ALL = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "IAM_ROLE", "IAM_USER", "MUTUAL_TLS"];
const OS_TYPES = ["s3", "gcs", "dospaces", "azureblobstorage", "cloudflarer2", "ovhobjectstorage"];
const OS_FORMATS = ["JSONEachRow", "JSONAsObject", "CSV", "CSVWithNames", "TabSeparated", "TabSeparatedWithNames", "Parquet", "Avro"];
const OS_COMPRESSION = ["none", "gzip", "gz", "brotli", "br", "xz", "LZMA", "zstd", "auto"];
/** Object storage authentication and the storage types that take it (spec description). */
const OS_AUTH: Record<string, string[]> = {
    IAM_USER: ["s3", "gcs", "dospaces"],
    IAM_ROLE: ["s3"],
    SERVICE_ACCOUNT: ["gcs"],
    CONNECTION_STRING: ["azureblobstorage"],
};
const PG_TYPES = ["postgres", "supabase", "neon", "alloydb", "planetscale", "rdspostgres", "aurorapostgres", "cloudsqlpostgres", "azurepostgres", "crunchybridge", "tigerdata"];
const PG_SETTINGS = ["syncIntervalSeconds", "pullBatchSize", "publicationName", "replicationMode", "replicationSlotName", "allowNullableColumns", "initialLoadParallelism", "snapshotNumRowsPerPartition", "snapshotNumberOfParallelTables", "enableFailoverSlots", "deleteOnMerge"];
const PG_TABLE_MAPPING = ["sourceSchemaName", "sourceTable", "targetTable", "excludedColumns", "useCustomSortingKey", "sortingKeys", "tableEngine", "partitionKey", "partitionByExpr"];
const TABLE_ENGINES = ["MergeTree", "ReplacingMergeTree", "SummingMergeTree", "Null"];

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The kinds set in a source object (non-null keys among every kind the API knows). */
export function sourceKinds(source: unknown): string[] {
    if (!isObject(source)) return [];
    return Object.keys(source).filter((k) => source[k] !== undefined && source[k] !== null && k !== "validateSamples");
}

/** A credentials object with exactly `keys`, each a non-empty string. */
function requireCredentials(v: Validator, path: string, keys: string[], because: string): void {
    // The spec's credential objects require no field: a missing one is warned about, a wrong kind refused.
    const missing = (p: string) => v.value(p) === undefined || v.value(p) === null || v.value(p) === "";
    if (missing(path)) return v.warn(path, `"${path}" is not set; expected { ${keys.join(", ")} } ${because}.`);
    if (v.skip(path)) return;
    if (!isObject(v.value(path))) {
        v.fail(path, `"${path}" must be an object { ${keys.join(", ")} } ${because}.`);
        return;
    }
    v.knownKeys(path, keys);
    for (const k of keys) {
        if (missing(`${path}.${k}`)) v.warn(`${path}.${k}`, `"${path}.${k}" is not set; expected a string ${because}.`);
        else v.string(`${path}.${k}`);
    }
}

/**
 * Validates each object of a list with its own Validator (the shared one resolves dotted paths,
 * not `[i]` indices), then reports the failures under `list[i].field`.
 */
function eachItem(v: Validator, list: string, checkItem: (item: Validator) => void): void {
    v.array(list, (path, item) => {
        if (!isObject(item)) {
            v.fail(path, `"${path}" must be an object, got ${show(item)}.`);
            return;
        }
        const iv = new Validator(RESOURCE, item);
        checkItem(iv);
        for (const f of iv.failures) {
            v.failures.push({ property: `${path}.${f.property}`, reason: f.reason.split(`"${f.property}"`).join(`"${path}.${f.property}"`) });
        }
    });
}

function forbid(v: Validator, path: string, because: string): void {
    if (v.value(path) !== undefined && v.value(path) !== null) v.warn(path, `"${path}" must not be set ${because}.`);
}

function checkKafka(v: Validator, p: string): void {
    v.oneOf(`${p}.type`, KAFKA_TYPES, true);
    v.oneOf(`${p}.format`, KAFKA_FORMATS, true);
    v.string(`${p}.brokers`, { required: true, patternText: 'a comma-separated list of host:port, e.g. "broker-1:9092,broker-2:9092"' });
    v.string(`${p}.topics`, { required: true });
    v.string(`${p}.consumerGroup`);
    v.string(`${p}.iamRole`);
    v.string(`${p}.caCertificate`);
    v.boolean(`${p}.exactlyOnce`);
    v.oneOf(`${p}.authentication`, KAFKA_AUTH_ALL, true);
    v.array(`${p}.reversePrivateEndpointIds`, (path, id) => {
        if (typeof id !== "string" || !UUID.test(id)) v.fail(path, `"${path}" is ${show(id)}; expected a reverse private endpoint id (a UUID).`);
    });
    const type = v.value(`${p}.type`);
    const auth = v.value(`${p}.authentication`);
    if (typeof type === "string" && typeof auth === "string" && KAFKA_AUTH[type] && KAFKA_AUTH_ALL.includes(auth) && !KAFKA_AUTH[type].includes(auth)) {
        v.fail(`${p}.authentication`, `"${p}.authentication" is ${show(auth)}, which a "${type}" source does not support; accepted for ${type}: ${KAFKA_AUTH[type].join(", ")}.`);
    }
    if (typeof auth === "string" && !isUnknown(auth)) {
        const because = `for authentication ${auth}`;
        if (auth === "IAM_ROLE") {
            if (v.value(`${p}.iamRole`) === undefined || v.value(`${p}.iamRole`) === null) v.warn(`${p}.iamRole`, `"${p}.iamRole" is not set; expected an IAM role ARN ${because}.`);
            forbid(v, `${p}.credentials`, because);
        } else if (auth === "IAM_USER") requireCredentials(v, `${p}.credentials`, ["accessKeyId", "secretKey"], because);
        else if (auth === "MUTUAL_TLS") requireCredentials(v, `${p}.credentials`, ["certificate", "privateKey"], because);
        else if (type === "azureeventhub") requireCredentials(v, `${p}.credentials`, ["connectionString"], "for an Azure Event Hubs source");
        else if (KAFKA_AUTH_ALL.includes(auth)) requireCredentials(v, `${p}.credentials`, ["username", "password"], because);
    }
    v.knownKeys(`${p}.offset`, ["strategy", "timestamp"]);
    if (!v.skip(`${p}.offset`)) {
        v.oneOf(`${p}.offset.strategy`, ["from_beginning", "from_latest", "from_timestamp"], true);
        if (v.value(`${p}.offset.strategy`) === "from_timestamp") v.string(`${p}.offset.timestamp`, { required: true, patternText: 'a UTC timestamp to the minute, e.g. "2025-01-31T08:00"' });
    }
    v.knownKeys(`${p}.schemaRegistry`, ["url", "authentication", "caCertificate", "credentials"]);
    if (!v.skip(`${p}.schemaRegistry`)) {
        v.string(`${p}.schemaRegistry.url`, { required: true, pattern: /^https:\/\/\S+$/, patternText: "an https:// URL (the API requires HTTPS)" });
        v.oneOf(`${p}.schemaRegistry.authentication`, ["PLAIN"]);
        if (v.value(`${p}.schemaRegistry.credentials`) !== undefined) requireCredentials(v, `${p}.schemaRegistry.credentials`, ["username", "password"], "for the schema registry");
    }
}

function checkObjectStorage(v: Validator, p: string): void {
    v.oneOf(`${p}.type`, OS_TYPES, true);
    v.oneOf(`${p}.format`, OS_FORMATS, true);
    const type = v.value(`${p}.type`);
    if (type === "azureblobstorage") {
        v.string(`${p}.azureContainerName`, { required: true });
        if (v.value(`${p}.path`) === undefined || v.value(`${p}.path`) === null) v.warn(`${p}.path`, `"${p}.path" is not set; expected a path inside the container, wildcards allowed, e.g. "logs/*.json".`);
    } else {
        const url = v.value(`${p}.url`);
        if (url === undefined || url === null || url === "") v.warn(`${p}.url`, `"${p}.url" is not set; expected a URL of the files, wildcards allowed, e.g. "https://bucket.s3.amazonaws.com/logs/*.json".`);
        else if (typeof url === "string" && !isUnknown(url) && !/^\S+:\/\/\S+$/.test(url)) v.warn(`${p}.url`, `"${p}.url" is ${show(url)}; expected a URL of the files, e.g. "https://bucket.s3.amazonaws.com/logs/*.json".`);
    }
    v.string(`${p}.url`);
    v.string(`${p}.path`);
    v.string(`${p}.delimiter`);
    v.oneOf(`${p}.compression`, OS_COMPRESSION);
    v.boolean(`${p}.isContinuous`);
    v.string(`${p}.queueUrl`);
    v.boolean(`${p}.skipInitialLoad`);
    v.string(`${p}.startAfter`);
    if (v.value(`${p}.skipInitialLoad`) === true && v.skip(`${p}.queueUrl`) && v.value(`${p}.queueUrl`) === undefined) {
        v.warn(`${p}.skipInitialLoad`, `"${p}.skipInitialLoad" is true but "${p}.queueUrl" is not set; skipping the initial load only applies to queue-driven ingestion.`);
    }
    if (v.value(`${p}.skipInitialLoad`) === true && typeof v.value(`${p}.startAfter`) === "string") {
        v.fail(`${p}.startAfter`, `"${p}.startAfter" cannot be set when "${p}.skipInitialLoad" is true.`);
    }
    v.oneOf(`${p}.authentication`, Object.keys(OS_AUTH));
    const auth = v.value(`${p}.authentication`);
    if (typeof auth === "string" && OS_AUTH[auth]) {
        const because = `for authentication ${auth}`;
        if (typeof type === "string" && OS_TYPES.includes(type) && !OS_AUTH[auth].includes(type)) {
            v.fail(`${p}.authentication`, `"${p}.authentication" is ${show(auth)}, which a "${type}" source does not support; ${auth} is for ${OS_AUTH[auth].join(", ")}.`);
        }
        if (auth === "IAM_USER") requireCredentials(v, `${p}.accessKey`, ["accessKeyId", "secretKey"], because);
        if (auth === "IAM_ROLE" && (v.value(`${p}.iamRole`) === undefined || v.value(`${p}.iamRole`) === null)) v.warn(`${p}.iamRole`, `"${p}.iamRole" is not set; expected an IAM role ARN ${because}.`);
        if (auth === "CONNECTION_STRING") v.string(`${p}.connectionString`, { required: true });
        if (auth === "SERVICE_ACCOUNT") v.string(`${p}.serviceAccountKey`, { required: true, patternText: "a base64-encoded service account JSON key" });
    } else if (auth === undefined || auth === null) {
        for (const f of ["accessKey", "iamRole", "connectionString", "serviceAccountKey"]) forbid(v, `${p}.${f}`, `without "${p}.authentication" (public access)`);
    }
}

function checkKinesis(v: Validator, p: string): void {
    v.oneOf(`${p}.format`, ["JSONEachRow", "Avro", "AvroConfluent"], true);
    v.string(`${p}.streamName`, { required: true });
    v.string(`${p}.region`, { required: true, patternText: 'an AWS region such as "us-east-1"' });
    const region = v.value(`${p}.region`);
    if (typeof region === "string" && !isUnknown(region) && region !== "" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) v.warn(`${p}.region`, `"${p}.region" is ${show(region)}; expected an AWS region such as "us-east-1".`);
    v.boolean(`${p}.useEnhancedFanOut`);
    v.oneOf(`${p}.iteratorType`, ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"], true);
    if (v.value(`${p}.iteratorType`) === "AT_TIMESTAMP") v.number(`${p}.timestamp`, { required: true, integer: true, min: 0, unit: "(UNIX seconds)" });
    else v.number(`${p}.timestamp`, { integer: true, min: 0 });
    v.oneOf(`${p}.authentication`, ["IAM_ROLE", "IAM_USER"], true);
    const auth = v.value(`${p}.authentication`);
    if (auth === "IAM_ROLE") v.string(`${p}.iamRole`, { required: true, patternText: "an IAM role ARN" });
    if (auth === "IAM_USER") requireCredentials(v, `${p}.accessKey`, ["accessKeyId", "secretKey"], "for authentication IAM_USER");
}

function checkPostgres(v: Validator, p: string): void {
    v.oneOf(`${p}.type`, PG_TYPES);
    v.string(`${p}.host`, { required: true, pattern: /^[A-Za-z0-9.:_-]+$/, patternText: "a host name or IP address" });
    v.number(`${p}.port`, { required: true, integer: true, min: 1, max: 65535 });
    v.string(`${p}.database`, { required: true });
    v.oneOf(`${p}.authentication`, ["basic", "IAM_ROLE"]);
    if (v.value(`${p}.authentication`) === "IAM_ROLE") v.string(`${p}.iamRole`, { required: true, patternText: "an IAM role ARN" });
    else requireCredentials(v, `${p}.credentials`, ["username", "password"], "for basic authentication");
    v.string(`${p}.tlsHost`);
    v.string(`${p}.caCertificate`);
    v.boolean(`${p}.disableTls`);
    v.boolean(`${p}.skipCertVerification`);
    const s = `${p}.settings`;
    v.knownKeys(s, PG_SETTINGS);
    for (const f of ["syncIntervalSeconds", "pullBatchSize", "initialLoadParallelism", "snapshotNumberOfParallelTables"]) v.number(`${s}.${f}`, { integer: true, min: 1 });
    v.number(`${s}.snapshotNumRowsPerPartition`, { integer: true, min: 1000 });
    v.oneOf(`${s}.replicationMode`, ["cdc", "snapshot", "cdc_only"]);
    for (const f of ["allowNullableColumns", "enableFailoverSlots", "deleteOnMerge"]) v.boolean(`${s}.${f}`);
    v.string(`${s}.publicationName`);
    v.string(`${s}.replicationSlotName`);
    if (typeof v.value(`${s}.replicationSlotName`) === "string" && v.value(`${s}.replicationMode`) !== "cdc_only" && !v.skip(`${s}.replicationMode`)) {
        v.fail(`${s}.replicationSlotName`, `"${s}.replicationSlotName" only applies with replicationMode "cdc_only" (got ${show(v.value(`${s}.replicationMode`))}).`);
    }
    const tables = v.value(`${p}.tableMappings`);
    if (tables === undefined || tables === null) v.warn(`${p}.tableMappings`, `"${p}.tableMappings" is not set; expected a list of { sourceSchemaName, sourceTable, targetTable }.`);
    else {
        const mappings = tables;
        if (Array.isArray(mappings) && mappings.length === 0) v.warn(`${p}.tableMappings`, `"${p}.tableMappings" is empty; list at least one table to replicate.`);
        eachItem(v, `${p}.tableMappings`, (m) => {
            m.knownKeys(undefined, PG_TABLE_MAPPING);
            for (const f of ["sourceSchemaName", "sourceTable", "targetTable"]) m.string(f, { required: true });
            m.oneOf("tableEngine", ["MergeTree", "ReplacingMergeTree", "Null"]);
            m.boolean("useCustomSortingKey");
            if (m.value("useCustomSortingKey") === true) {
                const keys = m.value("sortingKeys");
                if (!Array.isArray(keys) || keys.length === 0) m.fail("sortingKeys", `"sortingKeys" must list at least one column when "useCustomSortingKey" is true.`);
            }
        });
    }
}

const KIND_CHECKS: Record<ClickPipeSourceKind, (v: Validator, path: string) => void> = {
    kafka: checkKafka, objectStorage: checkObjectStorage, kinesis: checkKinesis, postgres: checkPostgres,
};

/** Validates the source; returns its kind when exactly one supported kind is set. */
function checkSource(v: Validator): ClickPipeSourceKind | undefined {
    if (!v.required("source", `an object with exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}`)) return undefined;
    if (v.skip("source")) return undefined;
    const source = v.value("source");
    if (!isObject(source)) {
        v.fail("source", `"source" must be an object with exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}, got ${show(source)}.`);
        return undefined;
    }
    const kinds = sourceKinds(source);
    for (const k of kinds) {
        if (UNSUPPORTED_KINDS.includes(k)) v.fail(`source.${k}`, `"source.${k}" pipes are not supported by this provider; supported sources: ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`);
        else if (!(CLICKPIPE_SOURCE_KINDS as readonly string[]).includes(k)) v.fail(`source.${k}`, `unknown property "source.${k}"; accepted properties of "source": ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`);
    }
    const supported = kinds.filter((k): k is ClickPipeSourceKind => (CLICKPIPE_SOURCE_KINDS as readonly string[]).includes(k));
    if (kinds.length === 0) {
        v.fail("source", `"source" sets no source; set exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`);
        return undefined;
    }
    if (supported.length > 1) {
        v.fail("source", `"source" sets ${supported.join(" and ")}; a pipe reads from exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`);
        return undefined;
    }
    const kind = supported[0];
    if (!kind) return undefined;
    const path = `source.${kind}`;
    if (v.skip(path)) return kind;
    if (!isObject(v.value(path))) {
        v.fail(path, `"${path}" must be an object, got ${show(v.value(path))}.`);
        return kind;
    }
    v.knownKeys(path, CLICKPIPE_SOURCE_SPECS[kind].fields);
    KIND_CHECKS[kind](v, path);
    return kind;
}

function checkDestination(v: Validator, kind: ClickPipeSourceKind | undefined): void {
    if (!v.required("destination", "an object { database, table, managedTable, columns }")) return;
    if (v.skip("destination")) return;
    if (!isObject(v.value("destination"))) {
        v.fail("destination", `"destination" must be an object { database, table, managedTable, columns }, got ${show(v.value("destination"))}.`);
        return;
    }
    v.knownKeys("destination", ["database", "table", "managedTable", "tableDefinition", "columns", "roles"]);
    v.string("destination.database", { required: true });
    const database = kind === "postgres";
    v.string("destination.table", { required: !database });
    if (!database) v.required("destination.managedTable", "true (ClickPipes creates the table) or false (an existing table)");
    v.boolean("destination.managedTable");
    if (!database && v.required("destination.columns", "a list of { name, type }")) {
        const columns = v.value("destination.columns");
        if (Array.isArray(columns) && columns.length === 0) v.warn("destination.columns", `"destination.columns" is empty; list the destination table's columns as { name, type }.`);
    }
    eachItem(v, "destination.columns", (c) => {
        c.knownKeys(undefined, ["name", "type"]);
        c.string("name", { required: true });
        c.string("type", { required: true, patternText: 'a ClickHouse type, e.g. "String"' });
    });
    const names = (v.value("destination.columns") as unknown[] | undefined) ?? [];
    if (Array.isArray(names)) {
        const seen = new Set<string>();
        for (const c of names) {
            const n = isObject(c) ? c.name : undefined;
            if (typeof n === "string" && !isUnknown(n)) {
                if (seen.has(n)) v.warn("destination.columns", `"destination.columns" lists column ${show(n)} twice.`);
                seen.add(n);
            }
        }
    }
    v.knownKeys("destination.tableDefinition", ["engine", "sortingKey", "partitionBy", "primaryKey"]);
    v.knownKeys("destination.tableDefinition.engine", ["type", "versionColumnId", "columnIds"]);
    v.oneOf("destination.tableDefinition.engine.type", TABLE_ENGINES);
    v.array("destination.tableDefinition.sortingKey", (path, c) => { if (typeof c !== "string") v.fail(path, `"${path}" must be a column name, got ${show(c)}.`); });
    v.array("destination.roles", (path, r) => { if (typeof r !== "string" || r === "") v.fail(path, `"${path}" must be a role name, got ${show(r)}.`); });
}

function checkFieldMappings(v: Validator, kind: ClickPipeSourceKind | undefined): void {
    if (v.skip("fieldMappings")) return;
    if (kind === "postgres") {
        v.warn("fieldMappings", `"fieldMappings" does not apply to a Postgres pipe; map tables with "source.postgres.tableMappings".`);
        return;
    }
    eachItem(v, "fieldMappings", (m) => {
        m.knownKeys(undefined, ["sourceField", "destinationField"]);
        m.string("sourceField", { required: true });
        m.string("destinationField", { required: true });
    });
    const mappings = v.value("fieldMappings");
    const columns = v.value("destination.columns");
    if (!Array.isArray(mappings) || !Array.isArray(columns) || isUnknown(mappings) || isUnknown(columns)) return;
    const mapped = new Set(mappings.map((m) => (isObject(m) ? m.destinationField : undefined)));
    const names = columns.map((c) => (isObject(c) ? c.name : undefined)).filter((n): n is string => typeof n === "string");
    const missing = names.filter((n) => !mapped.has(n));
    // The spec says every destination column must be mapped; 14 of the Terraform provider's documentation examples leave one out.
    if (missing.length > 0) v.warn("fieldMappings", `"fieldMappings" leaves destination column(s) ${missing.map(show).join(", ")} unmapped; the spec says every destination column must be mapped.`);
    const unknownTargets = [...mapped].filter((m): m is string => typeof m === "string" && !names.includes(m));
    if (unknownTargets.length > 0) v.warn("fieldMappings", `"fieldMappings" maps to ${unknownTargets.map(show).join(", ")}, which "destination.columns" does not list; accepted: ${names.join(", ")}.`);
}

function checkScaling(v: Validator, kind: ClickPipeSourceKind | undefined): void {
    if (v.skip("scaling")) return;
    const scaling = v.value("scaling");
    if (!isObject(scaling)) {
        v.fail("scaling", `"scaling" must be an object { replicas, replicaCpuMillicores, replicaMemoryGb }, got ${show(scaling)}.`);
        return;
    }
    if (kind === "postgres") {
        v.fail("scaling", `"scaling" does not apply to a Postgres pipe: database pipes share the service's CDC scaling; remove it.`);
        return;
    }
    v.knownKeys("scaling", ["replicas", "replicaCpuMillicores", "replicaMemoryGb"]);
    if (Object.values(scaling).every((x) => x === undefined || x === null)) {
        v.fail("scaling", `"scaling" is empty; the API rejects an empty scaling object: set replicas, replicaCpuMillicores or replicaMemoryGb, or omit "scaling".`);
    }
    v.number("scaling.replicas", { integer: true, min: 1, max: 40 });
    v.number("scaling.replicaCpuMillicores", { integer: true, min: 125, max: 2000, unit: "millicores" });
    v.number("scaling.replicaMemoryGb", { min: 0.5, max: 8, unit: "GB" });
}

/** Validates the inputs; no API call. */
export function checkClickPipe(_olds: Record<string, unknown>, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: { property: string; reason: string }[] } {
    const v = new Validator(RESOURCE, news);
    v.knownKeys(undefined, TOP_LEVEL);
    checkServiceId(v);
    v.string("name", { required: true, maxLength: 255 });
    v.string("description");
    v.oneOf("state", ["Running", "Stopped"]);
    checkTimeouts(v);
    const kind = checkSource(v);
    checkDestination(v, kind);
    checkFieldMappings(v, kind);
    checkScaling(v, kind);
    return { inputs: news, failures: v.failures };
}

// ---------------------------------------------------------------------------------------------
// diff

/** The single supported kind of a source, if any. */
function kindOf(source: unknown): ClickPipeSourceKind | undefined {
    return sourceKinds(source).find((k): k is ClickPipeSourceKind => (CLICKPIPE_SOURCE_KINDS as readonly string[]).includes(k));
}

function at(value: unknown, path: string): unknown {
    let current = value;
    for (const part of path.split(".")) {
        if (!isObject(current)) return undefined;
        current = current[part];
    }
    return current;
}

/** Leaf paths of `value` (objects are walked, lists are leaves). */
function leaves(value: unknown, prefix = ""): [string, unknown][] {
    if (isObject(value) && Object.keys(value).length > 0) {
        return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    }
    return [[prefix, value]];
}

/**
 * Paths set in `news` whose value differs from `olds` (lists compared as sets). Paths only in
 * `olds` are values the API chose or the user stopped managing: never a change.
 */
export function changedPaths(olds: unknown, news: unknown): string[] {
    if (isUnknown(news) && !isObject(news)) return [""];
    const out: string[] = [];
    for (const [path, after] of leaves(news)) {
        if (after === undefined) continue;
        const before = path === "" ? olds : at(olds, path);
        if (isUnknown(after)) out.push(path);
        else if (after === null) continue;
        else if (Array.isArray(after) || Array.isArray(before)) {
            if (!sameSet(before as unknown[] | undefined, after as unknown[])) out.push(path);
        } else if (!sameValue(before, after)) out.push(path);
    }
    return out;
}

function covers(inPlace: readonly string[], path: string): boolean {
    return inPlace.some((f) => path === f || path.startsWith(`${f}.`));
}

/** What changed in a ClickPipe, split by the endpoint that applies it. */
export interface ClickPipeChanges extends DiffResult {
    /** Fields for `PATCH /clickpipes/{id}`. */
    patch: string[];
    /** `PATCH /clickpipes/{id}/scaling` is needed. */
    scaling: boolean;
    /** `PATCH /clickpipes/{id}/state` is needed. */
    state: boolean;
}

/** Maps an observed state to the desired state it satisfies (`Failed` satisfies neither). */
export function effectiveState(state: unknown): ClickPipeDesiredState | "Failed" | undefined {
    if (typeof state !== "string") return undefined;
    if (["Stopped", "Stopping", "Paused", "Pausing"].includes(state)) return "Stopped";
    if (["Failed", "InternalError"].includes(state)) return "Failed";
    return "Running";
}

/**
 * `serviceId`, the source kind and every source/destination field outside the in-place lists
 * replace; `name`, `description`, in-place source fields, `destination.columns` and
 * `fieldMappings` update through PATCH; `scaling` and `state` through their own endpoints.
 * Unset nested fields are not managed. `diffs` lists dotted paths (e.g. `source.kafka.brokers`).
 */
export function diffClickPipe(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): ClickPipeChanges {
    const top = diffBySpec(olds, news, {
        replace: ["serviceId"],
        update: ["name", "description", "fieldMappings", "timeouts"],
        sets: ["fieldMappings"],
    });
    const diffs = [...top.diffs];
    const replaces = [...top.replaces];
    // `description` and `timeouts` live in the state only: no API call applies them.
    const patch = top.diffs.filter((d) => d !== "timeouts" && d !== "serviceId" && d !== "description");

    const oldKind = kindOf(olds.source);
    const newKind = kindOf(news.source);
    if (isUnknown(news.source) && !isObject(news.source)) {
        diffs.push("source");
        replaces.push("source");
    } else if (oldKind !== newKind || !newKind) {
        diffs.push("source");
        replaces.push("source");
    } else {
        const spec = CLICKPIPE_SOURCE_SPECS[newKind];
        for (const path of changedPaths(at(olds.source, newKind), at(news.source, newKind))) {
            diffs.push(`source.${newKind}${path ? "." + path : ""}`);
            if (path !== "" && covers(spec.inPlace, path)) {
                if (!patch.includes("source")) patch.push("source");
            } else if (!replaces.includes("source")) replaces.push("source");
        }
    }

    for (const path of changedPaths(olds.destination, news.destination)) {
        diffs.push(`destination${path ? "." + path : ""}`);
        if (path !== "" && covers(DESTINATION_IN_PLACE, path)) {
            if (!patch.includes("destination")) patch.push("destination");
        } else if (!replaces.includes("destination")) replaces.push("destination");
    }

    const scalingPaths = news.scaling === undefined || news.scaling === null ? [] : changedPaths(olds.scaling, news.scaling);
    diffs.push(...scalingPaths.map((p) => `scaling${p ? "." + p : ""}`));

    const desired = news.state;
    const state = desired !== undefined && desired !== null && (isUnknown(desired) || effectiveState(olds.state) !== desired);
    if (state) diffs.push("state");

    // The replacement keeps the pipe's name, topic and destination table: delete the old pipe
    // first so two pipes never feed the same table at once.
    const deleteBeforeReplace = replaces.length > 0 ? { deleteBeforeReplace: true } : {};
    return { changes: diffs.length > 0, replaces, ...deleteBeforeReplace, diffs, patch, scaling: scalingPaths.length > 0, state };
}

// ---------------------------------------------------------------------------------------------
// outputs

/** Drops null values deep (the API reports unset optional fields as null). */
function dropNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(dropNulls);
    if (isObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
        return out;
    }
    return value;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
    const parts = path.split(".");
    let current = target;
    for (const part of parts.slice(0, -1)) {
        if (!isObject(current[part])) return; // the parent is not there: nothing to carry
        current[part] = { ...(current[part] as Record<string, unknown>) };
        current = current[part] as Record<string, unknown>;
    }
    current[parts[parts.length - 1]] = value;
}

/** `observed` with each write-only path the API did not return copied from `known` (inputs or previous outputs). */
export function keepWriteOnly(observed: unknown, known: unknown, paths: readonly string[]): Record<string, unknown> | undefined {
    if (!isObject(observed)) return isObject(known) ? known : undefined;
    const out = { ...observed };
    for (const path of paths) {
        const kept = at(known, path);
        if (kept !== undefined && at(out, path) === undefined) setAt(out, path, kept);
    }
    return out;
}

/** Parses a Kubernetes CPU quantity (`"500m"`, `"1"`, `"0.5"`) or a number to millicores. */
export function toMillicores(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(m?)\s*$/.exec(value);
    if (!m) return undefined;
    return m[2] === "m" ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

const MEMORY_UNITS: Record<string, number> = { "": 1, G: 1, Gi: 1, M: 1 / 1000, Mi: 1 / 1024, T: 1000, Ti: 1024, GB: 1, MB: 1 / 1000 };

/** Parses a memory quantity (`"1Gi"`, `"512Mi"`, `"2"`) or a number to GB. */
export function toGb(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value);
    if (!m || MEMORY_UNITS[m[2]] === undefined) return undefined;
    return Math.round(Number(m[1]) * MEMORY_UNITS[m[2]] * 1000) / 1000;
}

/**
 * Scaling as observed, normalized: right after a PATCH the API may report 0 or quantity
 * strings (`"500m"`, `"1Gi"`); a 0 or unreadable value falls back to what was asked.
 */
export function normalizeScaling(observed: unknown, requested: unknown): Record<string, number> | undefined {
    const obs = isObject(observed) ? observed : {};
    const req = isObject(requested) ? requested : {};
    const pick = (v: number | undefined, r: unknown) => (v !== undefined && v > 0 ? v : typeof r === "number" ? r : v);
    const out = compact({
        replicas: pick(typeof obs.replicas === "string" ? Number(obs.replicas) : (obs.replicas as number | undefined), req.replicas),
        replicaCpuMillicores: pick(toMillicores(obs.replicaCpuMillicores), req.replicaCpuMillicores),
        replicaMemoryGb: pick(toGb(obs.replicaMemoryGb), req.replicaMemoryGb),
    }) as Record<string, number>;
    return Object.keys(out).length > 0 ? out : undefined;
}

/** Outputs for an observed pipe; `known` supplies write-only values (the inputs, or the previous outputs on read). */
export function clickPipeOutputs(pipe: ApiClickPipe, known: Record<string, unknown>): Record<string, unknown> {
    const kind = kindOf(known.source) ?? kindOf(pipe.source);
    let source: Record<string, unknown> | undefined;
    if (kind) {
        const observed = dropNulls(at(pipe.source, kind));
        source = { [kind]: keepWriteOnly(observed, at(known.source, kind), CLICKPIPE_SOURCE_SPECS[kind].writeOnly) };
    }
    return compact({
        serviceId: known.serviceId ?? pipe.serviceId,
        name: pipe.name ?? known.name,
        description: known.description,
        source: source ?? known.source,
        destination: keepWriteOnly(dropNulls(pipe.destination), known.destination, DESTINATION_WRITE_ONLY),
        fieldMappings: keepOrder(pipe.fieldMappings, known.fieldMappings),
        scaling: normalizeScaling(pipe.scaling, known.scaling),
        state: pipe.state,
        createdAt: pipe.createdAt,
        updatedAt: pipe.updatedAt,
        timeouts: known.timeouts,
        ...hiddenOf(known),
    });
}

// ---------------------------------------------------------------------------------------------
// requests

/** The POST body: only what the user set. */
export function clickPipePostBody(inputs: Record<string, unknown>): Record<string, unknown> {
    const kind = kindOf(inputs.source);
    return compact({
        name: inputs.name,
        source: kind ? { [kind]: at(inputs.source, kind) } : inputs.source,
        destination: inputs.destination,
        fieldMappings: inputs.fieldMappings,
        scaling: inputs.scaling,
    });
}

/** The PATCH body for the in-place changes `changes.patch` lists; undefined when there are none. */
export function clickPipePatchBody(olds: Record<string, unknown>, news: Record<string, unknown>, changes: ClickPipeChanges): Record<string, unknown> | undefined {
    if (changes.patch.length === 0) return undefined;
    const body: Record<string, unknown> = {};
    if (changes.patch.includes("name")) body.name = news.name;
    if (changes.patch.includes("fieldMappings")) body.fieldMappings = news.fieldMappings ?? [];
    if (changes.patch.includes("destination")) body.destination = { columns: at(news.destination, "columns") };
    const kind = kindOf(news.source);
    if (changes.patch.includes("source") && kind) {
        const want = (at(news.source, kind) ?? {}) as Record<string, unknown>;
        const fields: Record<string, unknown> = {};
        for (const f of CLICKPIPE_SOURCE_SPECS[kind].inPlace) {
            const [head, sub] = f.split(".");
            if (head === "tableMappings") continue;
            if (sub) {
                const value = at(want, f);
                if (value !== undefined) fields[head] = { ...((fields[head] as object) ?? {}), [sub]: value };
            } else if (want[head] !== undefined) fields[head] = want[head];
        }
        if (kind === "postgres") {
            const before = (at(olds.source, "postgres.tableMappings") as unknown[] | undefined) ?? [];
            const after = (want.tableMappings as unknown[] | undefined) ?? before;
            const beforeKeys = new Set(before.map(canonical));
            const afterKeys = new Set(after.map(canonical));
            fields.tableMappingsToAdd = after.filter((m) => !beforeKeys.has(canonical(m)));
            // Removal needs only the identifying fields; a changed mapping is removed, then added.
            fields.tableMappingsToRemove = before
                .filter((m) => !afterKeys.has(canonical(m)))
                .map((m) => (isObject(m) ? compact({ sourceSchemaName: m.sourceSchemaName, sourceTable: m.sourceTable, targetTable: m.targetTable }) : m));
        }
        body.source = { [kind]: fields };
    }
    return body;
}

// ---------------------------------------------------------------------------------------------
// CRUD

const RUNNING_DONE: ClickPipeState[] = ["Running", "Completed"];
const FAILED: ClickPipeState[] = ["Failed", "InternalError"];

function pipePath(serviceId: string, pipeId: string): string {
    return `/services/${serviceId}/clickpipes/${pipeId}`;
}

/** Waits for a pipe to reach `target`; `Failed`/`InternalError` end the wait with the pipe's name, id and state. */
async function waitForPipe(client: ApiClient, serviceId: string, pipeId: string, name: string, target: ClickPipeDesiredState, timeoutMs: number, label: string, postgres = false): Promise<ApiClickPipe> {
    // A Postgres pipe's initial snapshot can take hours: reaching it is far enough.
    const done: ClickPipeState[] = target === "Stopped" ? ["Stopped", "Paused"] : postgres ? [...RUNNING_DONE, "Snapshot"] : RUNNING_DONE;
    return waitFor<ApiClickPipe>({
        label,
        id: pipeId,
        timeoutMs,
        targetDescription: target,
        poll: () => client.get<ApiClickPipe>(pipePath(serviceId, pipeId)),
        done: (p) => !!p.state && done.includes(p.state),
        fail: (p) => (p.state && FAILED.includes(p.state) ? `ClickPipe "${p.name ?? name}" (${pipeId}) is in state ${p.state}` : undefined),
    });
}

/** Starts or stops a pipe and waits for the result. */
async function setPipeState(client: ApiClient, serviceId: string, pipe: ApiClickPipe, desired: ClickPipeDesiredState, timeoutMs: number, label: string, postgres: boolean): Promise<ApiClickPipe> {
    const pipeId = pipe.id as string;
    const current = effectiveState(pipe.state);
    if (desired === "Stopped" && current !== "Stopped") {
        await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () => client.patch(`${pipePath(serviceId, pipeId)}/state`, { command: "stop" }));
    } else if (desired === "Running" && (pipe.state === "Stopped" || pipe.state === "Failed" || pipe.state === "Paused")) {
        await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () => client.patch(`${pipePath(serviceId, pipeId)}/state`, { command: "start" }));
    }
    return waitForPipe(client, serviceId, pipeId, pipe.name ?? "", desired, timeoutMs, label, postgres);
}

/** Finds the pipe an uncertain POST may have created: the only one with this name created since the POST started. */
async function findCreated(client: ApiClient, serviceId: string, name: string, since: number): Promise<ApiClickPipe | undefined> {
    const pipes = (await getOrUndefined<ApiClickPipe[]>(client, `/services/${serviceId}/clickpipes`)) ?? [];
    const matches = pipes.filter((p) => p.name === name && (!p.createdAt || Date.parse(p.createdAt) >= since - 60_000));
    return matches.length === 1 ? matches[0] : undefined;
}

/** The stack's ownership id from the hidden input, when known. */
function ownerOf(inputs: Record<string, unknown>): string | undefined {
    const owner = inputs[OWNER_KEY];
    return typeof owner === "string" && OWNER_ID.test(owner) ? owner : undefined;
}

/** How long after its attempt began a pipe can still be that attempt's: the POST is sent within this. */
const ATTEMPT_WINDOW_MS = 15 * 60_000;

/**
 * Pipes interrupted earlier creates of this resource left, found through the attempts file (see
 * `journal.ts`): nothing is looked up unless an earlier run of this stack began a create of this
 * resource and never handed it to the engine. Pipes carry no tags, so an attempt's pipe is the
 * one on the attempt's service with the attempt's name, created from shortly before the attempt
 * began to {@link ATTEMPT_WINDOW_MS} after. The one with this resource's source kind and
 * destination is resumed; any other is deleted; attempts that created nothing are dropped.
 */
async function interruptedPipes(
    client: ApiClient,
    inputs: Record<string, unknown>,
): Promise<{ resume?: { pipe: ApiClickPipe; attempt: string }; discard: Array<{ pipe: ApiClickPipe; attempt: string; serviceId: string }>; nothing: string[] }> {
    const owner = ownerOf(inputs);
    const resource = inputs[CREATION_KEY];
    if (!owner || typeof resource !== "string") return { discard: [], nothing: [] };
    const attempts = interruptedAttempts(owner, "ClickPipe", resource);
    if (attempts.length === 0) return { discard: [], nothing: [] };
    const destination = (isObject(inputs.destination) ? inputs.destination : {}) as Record<string, unknown>;
    const byService = new Map<string, ApiClickPipe[]>();
    const found: Array<{ pipe: ApiClickPipe; attempt: string; serviceId: string }> = [];
    for (const a of attempts) {
        if (!a.serviceId || !a.name) continue;
        if (!byService.has(a.serviceId)) byService.set(a.serviceId, (await getOrUndefined<ApiClickPipe[]>(client, `/services/${a.serviceId}/clickpipes`)) ?? []);
        const since = Date.parse(a.startedAt);
        const pipes = byService.get(a.serviceId)!.filter((p) => {
            if (p.name !== a.name || found.some((f) => f.pipe.id === p.id)) return false;
            const at = p.createdAt ? Date.parse(p.createdAt) : NaN;
            return Number.isNaN(at) || Number.isNaN(since) || (at >= since - 60_000 && at <= since + ATTEMPT_WINDOW_MS);
        });
        // Two candidates for one attempt cannot be told apart: take neither.
        if (pipes.length === 1) found.push({ pipe: pipes[0], attempt: a.attempt, serviceId: a.serviceId });
    }
    const resume = found.find(
        (f) =>
            f.serviceId === inputs.serviceId &&
            f.pipe.name === inputs.name &&
            kindOf(f.pipe.source) === kindOf(inputs.source) &&
            f.pipe.destination?.database === destination.database &&
            (f.pipe.destination?.table ?? undefined) === (destination.table ?? undefined),
    );
    const seen = new Set(found.map((f) => f.attempt));
    return { resume, discard: found.filter((f) => f !== resume), nothing: attempts.map((a) => a.attempt).filter((a) => !seen.has(a)) };
}

async function create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
    const client = apiClient();
    const serviceId = inputs.serviceId as string;
    const name = inputs.name as string;
    const label = labelOf(RESOURCE, inputs);
    const timeoutMs = timeoutFor(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUTS_MS.create);
    const postgres = kindOf(inputs.source) === "postgres";
    const owner = ownerOf(inputs);
    await ensureServiceRunning(client, RESOURCE, serviceId, timeoutMs, label);
    const body = clickPipePostBody(inputs);
    const interrupted = await interruptedPipes(client, inputs);
    if (owner) finishAttempts(owner, interrupted.nothing);
    for (const d of interrupted.discard) {
        warn(
            `${label}: ClickPipe ${d.pipe.id} ("${d.pipe.name}") on service ${d.serviceId} was created by an interrupted earlier run of this resource ` +
                `and never recorded, but its source or destination differs from the program's: deleting it.`,
        );
        await ignoreNotFound(() => withServiceAwake(client, RESOURCE, d.serviceId, timeoutMs, label, () => client.delete(pipePath(d.serviceId, d.pipe.id as string))));
        if (owner) finishAttempts(owner, [d.attempt]);
    }
    let attempt: string;
    let pipe: ApiClickPipe;
    if (interrupted.resume) {
        attempt = interrupted.resume.attempt;
        pipe = interrupted.resume.pipe;
        warn(`${label}: resuming ClickPipe ${pipe.id} on service ${serviceId}, which an interrupted earlier run of this stack created for this resource and never recorded.`);
    } else {
        attempt = newAttemptId();
        if (owner && typeof inputs[CREATION_KEY] === "string") beginAttempt(owner, { attempt, kind: "ClickPipe", resource: inputs[CREATION_KEY] as string, serviceId, name });
        const since = Date.now();
        try {
            pipe = await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () =>
                client.post<ApiClickPipe>(`/services/${serviceId}/clickpipes`, body, { reconcile: () => findCreated(client, serviceId, name, since) }),
            );
        } catch (e) {
            // A refusal created nothing; a lost answer may have, so its attempt stays for the next run.
            if (owner && isApiError(e) && e.status < 500 && e.status !== 429) finishAttempts(owner, [attempt]);
            throw e;
        }
    }
    const id = pipe.id as string;
    try {
        let current = await waitForPipe(client, serviceId, id, name, "Running", timeoutMs, label, postgres);
        if (inputs.state === "Stopped") current = await setPipeState(client, serviceId, current, "Stopped", timeoutMs, label, postgres);
        if (owner) finishAttempts(owner, [attempt]);
        return { id, outs: clickPipeOutputs(current, inputs) };
    } catch (e) {
        if (owner) finishAttempts(owner, [attempt]);
        throw partialFailure(id, clickPipeOutputs(pipe, inputs), inputs, e);
    }
}

async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: Record<string, unknown> }> {
    const client = apiClient();
    const serviceId = news.serviceId as string;
    const label = labelOf(RESOURCE, news);
    const timeoutMs = timeoutFor(news.timeouts as Timeouts | undefined, "update", DEFAULT_TIMEOUTS_MS.update);
    const postgres = kindOf(news.source) === "postgres";
    const changes = diffClickPipe(id, olds, news);
    const path = pipePath(serviceId, id);
    let pipe: ApiClickPipe | undefined;
    const patch = clickPipePatchBody(olds, news, changes);
    if (patch) pipe = await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () => client.patch<ApiClickPipe>(path, patch));
    try {
        if (changes.scaling) {
            const scaling = compact((news.scaling ?? {}) as Record<string, unknown>);
            pipe = await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () => client.patch<ApiClickPipe>(`${path}/scaling`, scaling));
        }
        if (changes.state) {
            const current = await client.get<ApiClickPipe>(path);
            pipe = await setPipeState(client, serviceId, current, news.state as ClickPipeDesiredState, timeoutMs, label, postgres);
        }
        const final = await client.get<ApiClickPipe>(path);
        return { outs: clickPipeOutputs(final, news) };
    } catch (e) {
        throw partialFailure(id, clickPipeOutputs(pipe ?? { id, state: olds.state as ClickPipeState }, news), news, e);
    }
}

async function read(id: string, props: Record<string, unknown>): Promise<{ id: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }> {
    const serviceId = props.serviceId as string;
    const pipe = await getOrUndefined<ApiClickPipe>(apiClient(), pipePath(serviceId, id));
    if (!pipe) return GONE;
    const outs = clickPipeOutputs(pipe, props);
    const effective = effectiveState(pipe.state);
    const inputs = compact({
        serviceId,
        name: outs.name,
        description: outs.description,
        source: outs.source,
        destination: outs.destination,
        fieldMappings: outs.fieldMappings,
        scaling: props.scaling === undefined ? undefined : outs.scaling,
        state: effective === "Running" || effective === "Stopped" ? effective : undefined,
        timeouts: props.timeouts,
        ...hiddenOf(props),
    });
    return { id, props: outs, inputs };
}

async function remove(id: string, props: Record<string, unknown>): Promise<void> {
    const client = apiClient();
    const serviceId = props.serviceId as string;
    const label = labelOf(RESOURCE, props);
    const timeoutMs = timeoutFor(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUTS_MS.delete);
    const path = pipePath(serviceId, id);
    await ignoreNotFound(() => withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () => client.delete(path)));
    await waitFor<ApiClickPipe | null>({
        label,
        id,
        timeoutMs,
        targetDescription: "deleted",
        poll: async () => (await getOrUndefined<ApiClickPipe>(client, path)) ?? null,
        done: (p) => p === null,
    });
}

/** The CRUD of `clickhouse:ClickPipe` as the runtime dispatches it. */
export const clickPipeHandlers: Handlers = {
    check: async (olds, news) => checkClickPipe(olds, news),
    diff: async (id, olds, news) => {
        const { patch: _p, scaling: _s, state: _st, ...result } = diffClickPipe(id, olds, withRemovedState(olds ?? {}, news ?? {}));
        return result;
    },
    create: (inputs) => withDesiredStateMark(create(inputs), inputs),
    read: (id, props) => withDesiredStateMark(read(id, props ?? {}), props ?? {}, "__desiredState"),
    update: (id, olds, news) => withDesiredStateMark(update(id, olds, withRemovedState(olds ?? {}, news ?? {})), news ?? {}),
    delete: (id, props) => remove(id, props ?? {}),
};

// ---------------------------------------------------------------------------------------------
// resource class

function isPlainInput(value: unknown): value is Record<string, unknown> {
    return isObject(value) && !pulumi.Output.isInstance(value) && typeof (value as { then?: unknown }).then !== "function";
}

/**
 * Marks the credentials inside `source` secret, so neither the inputs nor the outputs in the
 * state hold them in plain text even when the program passes plain strings. When the source
 * (or one kind of it) is itself an Output, the whole of it is marked secret.
 */
export function secretSource(source: DeepInput<ClickPipeSourceArgs> | undefined): pulumi.Input<unknown> | undefined {
    if (source === undefined) return undefined;
    if (!isPlainInput(source)) return pulumi.secret(source as pulumi.Input<unknown>);
    const out: Record<string, unknown> = { ...source };
    for (const kind of CLICKPIPE_SOURCE_KINDS) {
        const value = out[kind];
        if (value === undefined || value === null) continue;
        if (!isPlainInput(value)) {
            out[kind] = pulumi.secret(value as pulumi.Input<unknown>);
            continue;
        }
        const copy: Record<string, unknown> = { ...value };
        for (const field of SECRET_SOURCE_FIELDS) {
            if (copy[field] !== undefined && copy[field] !== null) copy[field] = pulumi.secret(copy[field] as pulumi.Input<unknown>);
        }
        const registry = copy.schemaRegistry;
        if (registry !== undefined && registry !== null) {
            copy.schemaRegistry = isPlainInput(registry)
                ? { ...registry, ...(registry.credentials !== undefined ? { credentials: pulumi.secret(registry.credentials as pulumi.Input<unknown>) } : {}) }
                : pulumi.secret(registry as pulumi.Input<unknown>);
        }
        out[kind] = copy;
    }
    return out;
}

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
    declare readonly scaling: pulumi.Output<Pick<ClickPipeScaling, "replicas" | "replicaCpuMillicores" | "replicaMemoryGb"> | undefined>;
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
                description: undefined, fieldMappings: undefined, scaling: undefined, state: undefined, createdAt: undefined, updatedAt: undefined,
                ...args,
                source: secretSource(args.source),
            },
            opts,
        );
    }
}
