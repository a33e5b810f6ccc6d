/**
 * What `clickhouse:ClickPipe` accepts and how each part changes, as tables (see ../properties.ts):
 * the top-level arguments and outputs, the fields of each source kind, the destination's. The
 * key lists, the diff spec, the write-only and secret fields and the class's outputs are derived
 * from these tables; adding a field means adding its row.
 */
import { argumentKeys, diffSpecOf, inputOnlyKeys, outputKeys, Property, PropertyTable, secretKeys, updatingKeys } from "../properties";
import type { ClickPipeSourceArgs } from "./args";

export const RESOURCE = "clickhouse:ClickPipe";

export const DEFAULT_TIMEOUTS_MS = { create: 30 * 60_000, update: 30 * 60_000, delete: 20 * 60_000 };

// ---------------------------------------------------------------------------------------------
// Top level

/** A top-level argument or output of a pipe. */
interface PipeProperty extends Property {
    /** Compared by its own rule in diff.ts (path by path, or by the state it satisfies), not by the diff spec. */
    ownDiff?: true;
    /** For in-place arguments: the call that applies a change (`none`: kept in the state only). */
    applies?: "patch" | "scaling" | "state" | "none";
    /** Kept in the outputs, but the resource class declares no output for it. */
    undeclared?: true;
}

/** The arguments and outputs of a pipe, in the order messages list them. */
const PIPE: Readonly<Record<string, PipeProperty>> = {
    serviceId: { change: "replace", unset: "required", api: true },
    name: { change: "update", unset: "required", api: true, applies: "patch" },
    description: { change: "update", unset: "change", inputOnly: true, applies: "none" },
    // Secret through its secret fields (SOURCE_TABLES), not as a whole.
    source: { change: "replace", unset: "required", api: true, ownDiff: true },
    destination: { change: "replace", unset: "required", api: true, ownDiff: true },
    fieldMappings: { change: "update", unset: "change", set: true, api: true, applies: "patch" },
    scaling: { change: "update", api: true, ownDiff: true, applies: "scaling" },
    state: { change: "update", api: true, ownDiff: true, applies: "state" },
    timeouts: { change: "update", unset: "change", inputOnly: true, applies: "none", undeclared: true },
    createdAt: { api: true },
    updatedAt: { api: true },
};

function rowsWhere(table: Readonly<Record<string, PipeProperty>>, pick: (p: PipeProperty) => boolean): PropertyTable {
    return Object.fromEntries(Object.entries(table).filter(([, p]) => pick(p)));
}

/** Every top-level argument (unknown-key detection). */
export const TOP_LEVEL = argumentKeys(PIPE);

/** The arguments the diff spec compares; the others have their own rule in diff.ts. */
export const TOP_LEVEL_DIFF = diffSpecOf(rowsWhere(PIPE, (p) => !p.ownDiff));

/** Top-level arguments the pipe's PATCH changes. */
export const PATCHED = Object.keys(rowsWhere(PIPE, (p) => p.applies === "patch"));

/** Outputs the resource class declares that the arguments may leave unset: registered as undefined so the class has them. */
export const UNSET_OUTPUTS = outputKeys(rowsWhere(PIPE, (p) => !p.undeclared && p.unset !== "required"));

// ---------------------------------------------------------------------------------------------
// Source kinds

/** Source kinds this provider supports. */
export const CLICKPIPE_SOURCE_KINDS = ["kafka", "objectStorage", "kinesis", "postgres"] as const;
/** A supported source kind. */
export type ClickPipeSourceKind = (typeof CLICKPIPE_SOURCE_KINDS)[number];
/** Source kinds the API has but this provider does not support (yet). */
export const UNSUPPORTED_KINDS = ["pubsub", "mysql", "bigquery", "mongodb"];

// A kind of ClickPipeSourceArgs missing from CLICKPIPE_SOURCE_KINDS is a compile error here.
const EVERY_KIND_LISTED: Record<Exclude<keyof ClickPipeSourceArgs, ClickPipeSourceKind>, never> = {};
void EVERY_KIND_LISTED;

/*
 * The fields of each kind, in the POST schema's order: `update` where the kind's PATCH schema has
 * the field, `replace` otherwise; `inputOnly` where the API never returns it; `secret` where the
 * resource class marks it secret. A dotted key is a part of a field with its own rule (a part
 * without `change` follows its field); it is not an accepted key itself.
 */
const KAFKA: PropertyTable = {
    type: { change: "replace" },
    format: { change: "replace" },
    brokers: { change: "replace" },
    topics: { change: "replace" },
    consumerGroup: { change: "replace" },
    authentication: { change: "update" },
    iamRole: { change: "update" },
    offset: { change: "replace" },
    schemaRegistry: { change: "replace" },
    caCertificate: { change: "update" },
    reversePrivateEndpointIds: { change: "update" },
    exactlyOnce: { change: "replace" },
    credentials: { change: "update", inputOnly: true, secret: true },
    "schemaRegistry.credentials": { inputOnly: true, secret: true },
};

const OBJECT_STORAGE: PropertyTable = {
    type: { change: "replace" },
    format: { change: "replace" },
    url: { change: "replace" },
    delimiter: { change: "replace" },
    compression: { change: "replace" },
    isContinuous: { change: "replace" },
    queueUrl: { change: "replace" },
    skipInitialLoad: { change: "replace" },
    startAfter: { change: "replace" },
    authentication: { change: "update" },
    iamRole: { change: "update" },
    connectionString: { change: "update", inputOnly: true, secret: true },
    path: { change: "replace" },
    azureContainerName: { change: "replace" },
    accessKey: { change: "update", inputOnly: true, secret: true },
    serviceAccountKey: { change: "update", inputOnly: true, secret: true },
};

const KINESIS: PropertyTable = {
    format: { change: "replace" },
    streamName: { change: "replace" },
    region: { change: "replace" },
    useEnhancedFanOut: { change: "replace" },
    iteratorType: { change: "replace" },
    timestamp: { change: "replace" },
    authentication: { change: "update" },
    iamRole: { change: "update" },
    accessKey: { change: "update", inputOnly: true, secret: true },
};

const POSTGRES: PropertyTable = {
    type: { change: "replace" },
    credentials: { change: "update", inputOnly: true, secret: true },
    host: { change: "update" },
    port: { change: "update" },
    database: { change: "update" },
    settings: { change: "replace" },
    authentication: { change: "replace" },
    iamRole: { change: "replace" },
    tlsHost: { change: "update" },
    caCertificate: { change: "update" },
    disableTls: { change: "update" },
    skipCertVerification: { change: "update" },
    "settings.syncIntervalSeconds": { change: "update" },
    "settings.pullBatchSize": { change: "update" },
    tableMappings: { change: "update" },
};

/** The field table of each kind. */
const SOURCE_TABLES: Record<ClickPipeSourceKind, PropertyTable> = {
    kafka: KAFKA,
    objectStorage: OBJECT_STORAGE,
    kinesis: KINESIS,
    postgres: POSTGRES,
};

interface KindSpec {
    /** Accepted fields (the POST shape). */
    fields: readonly string[];
    /** Fields (or dotted paths) the PATCH endpoint changes; every other field replaces. */
    inPlace: readonly string[];
    /** Fields the API never returns: kept from the inputs. */
    writeOnly: readonly string[];
}

const isPart = (key: string) => key.includes(".");

function specOf(table: PropertyTable): KindSpec {
    return { fields: argumentKeys(table).filter((k) => !isPart(k)), inPlace: updatingKeys(table), writeOnly: inputOnlyKeys(table) };
}

/** Per kind: accepted fields, in-place fields (from the PATCH schemas), write-only fields. */
export const CLICKPIPE_SOURCE_SPECS: Record<ClickPipeSourceKind, KindSpec> = {
    kafka: specOf(KAFKA),
    objectStorage: specOf(OBJECT_STORAGE),
    kinesis: specOf(KINESIS),
    postgres: specOf(POSTGRES),
};

const secretPaths = [...new Set(CLICKPIPE_SOURCE_KINDS.flatMap((kind) => secretKeys(SOURCE_TABLES[kind])))];
/** Source fields holding secrets, of any kind, wrapped with `pulumi.secret` by the resource class. */
export const SECRET_SOURCE_FIELDS = secretPaths.filter((k) => !isPart(k));
/** Parts (`field.key`) of source fields holding secrets. */
export const SECRET_SOURCE_PARTS = secretPaths.filter(isPart);

// ---------------------------------------------------------------------------------------------
// Destination and scaling

const DESTINATION: PropertyTable = {
    database: { change: "replace" },
    table: { change: "replace" },
    managedTable: { change: "replace" },
    tableDefinition: { change: "replace" },
    // Configuration only: the table is not altered.
    columns: { change: "update" },
    roles: { change: "replace", inputOnly: true },
};

/** Accepted destination fields. */
export const DESTINATION_FIELDS = argumentKeys(DESTINATION);
/** Destination fields the PATCH endpoint changes; the others replace. */
export const DESTINATION_IN_PLACE = updatingKeys(DESTINATION);
/** Destination fields the API never returns. */
export const DESTINATION_WRITE_ONLY = inputOnlyKeys(DESTINATION);

/** The scaling a pipe's arguments set (all through `PATCH /scaling`). */
export const SCALING_FIELDS = ["replicas", "replicaCpuMillicores", "replicaMemoryGb"] as const;
