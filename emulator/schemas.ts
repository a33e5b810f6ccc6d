import { ALL_REGIONS as CATALOG_REGIONS, SERVICE_REGIONS, SERVICE_TIERS } from "../provider/api/catalog";
import type * as Api from "../provider/api/types";
import { anything, arr, bool, int, Nullable, nullable, num, obj, objOf, str, Schema, WithRequired } from "./validation";

/**
 * Request body schemas, written from the OpenAPI document's constraints (types, enums, ranges,
 * multiples, patterns). Each body schema is typed with its generated request type (objOf checks
 * that it names exactly the type's fields), so a handler gets the body in that type once
 * `validate` passed; where the emulator requires what the document leaves optional, the type says so.
 */

/** An IP access list entry: the emulator requires its `source` (the document leaves every field optional). */
export type IpEntry = WithRequired<Api.IpAccessListEntry, "source">;
/** A ClickPipe field mapping: the emulator requires both fields. */
export type FieldMapping = Required<Api.ClickPipeFieldMapping>;
/** An endpoint change: the emulator requires both fields. */
export type EndpointChange = Required<Api.ServiceEndpointChange>;
/** T whose `endpoints` changes have both fields. */
type WithEndpointChanges<T extends { endpoints?: unknown }> = Omit<T, "endpoints"> & { endpoints?: EndpointChange[] };
/** T whose `fieldMappings` have both fields. */
type WithFieldMappings<T extends { fieldMappings?: unknown }> = Omit<T, "fieldMappings"> & { fieldMappings?: FieldMapping[] };

// One vocabulary with the provider (regions per cloud, tiers): provider/api/catalog.ts, checked against the spec's enums.
export const REGIONS = SERVICE_REGIONS;
export type CloudProvider = keyof typeof SERVICE_REGIONS;
const ALL_REGIONS = [...CATALOG_REGIONS];

export const TIERS = [...SERVICE_TIERS];
const RELEASE_CHANNELS = ["slow", "default", "fast"];
const PROFILES = ["v1-default", "v1-highmem-xs", "v1-highmem-s", "v1-highmem-m", "v1-highmem-l", "v1-highmem-xl"];

const name = str({ minLength: 1, maxLength: 50 });
const totalMemory = num({ minimum: 24, maximum: 1068, multipleOf: 12 });
const replicaMemory = num({ minimum: 8, maximum: 356, multipleOf: 4 });
const replicas = int({ minimum: 1, maximum: 20 });
// "Must be >= 5 minutes" (spec description of idleTimeoutMinutes).
const idleTimeoutMinutes = num({ minimum: 5 });
const autoscalingMode = str({ enum: ["vertical", "horizontal"] });
const tag = objOf<Api.ResourceTagsV1, "key">(
    {
        key: str({ minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9._-]+$/ }),
        value: str({ maxLength: 256, pattern: /^[a-zA-Z0-9._-]+$/ }),
    },
    { required: ["key"] },
);
const ipEntry = obj({ source: str({ minLength: 1 }), description: str() }, { required: ["source"] });
const endpointChange = objOf<Api.ServiceEndpointChange, "protocol" | "enabled">(
    { protocol: str({ enum: ["mysql"] }), enabled: bool() },
    { required: ["protocol", "enabled"] },
);

export const ServicePostRequest = objOf<
    WithEndpointChanges<Omit<Api.ServicePostRequest, "ipAccessList"> & { ipAccessList?: IpEntry[] }>,
    "name" | "provider" | "region"
>(
    {
        name,
        provider: str({ enum: ["aws", "gcp", "azure"] }),
        region: str({ enum: ALL_REGIONS }),
        tier: str({ enum: TIERS }),
        ipAccessList: arr(ipEntry),
        minTotalMemoryGb: totalMemory,
        maxTotalMemoryGb: totalMemory,
        autoscalingMode,
        minReplicaMemoryGb: replicaMemory,
        maxReplicaMemoryGb: replicaMemory,
        numReplicas: replicas,
        minReplicas: replicas,
        maxReplicas: replicas,
        idleScaling: bool(),
        idleTimeoutMinutes,
        isReadonly: bool(),
        dataWarehouseId: str(),
        backupId: str({ format: "uuid" }),
        encryptionKey: str(),
        encryptionAssumedRoleIdentifier: str(),
        privateEndpointIds: arr(str()),
        privatePreviewTermsChecked: bool(),
        releaseChannel: str({ enum: RELEASE_CHANNELS }),
        byocId: str(),
        hasTransparentDataEncryption: bool(),
        endpoints: arr(endpointChange),
        profile: str({ enum: PROFILES }),
        complianceType: str({ enum: ["hipaa", "pci"] }),
        tags: arr(tag, { maxItems: 50 }),
        enableCoreDumps: bool(),
    },
    { required: ["name", "provider", "region"] },
);

export const ServicePatchRequest = objOf<
    WithEndpointChanges<
        Omit<Api.ServicePatchRequest, "ipAccessList"> & { ipAccessList?: { [K in keyof Api.IpAccessListPatch]: IpEntry[] } }
    >
>({
    name,
    ipAccessList: obj({ add: arr(ipEntry), remove: arr(obj({ source: str(), description: str() }, { required: ["source"] })) }),
    privateEndpointIds: obj({ add: arr(str()), remove: arr(str()) }),
    releaseChannel: str({ enum: RELEASE_CHANNELS }),
    endpoints: arr(endpointChange),
    transparentDataEncryptionKeyId: str(),
    tags: obj({ add: arr(tag, { maxItems: 50 }), remove: arr(tag, { maxItems: 50 }) }),
    enableCoreDumps: bool(),
});

export const ServiceStatePatchRequest = objOf<Api.ServiceStatePatchRequest, "command">(
    { command: str({ enum: ["start", "stop", "awake"] }) },
    { required: ["command"] },
);

export const ServiceScalingPatchRequest = objOf<Api.ServiceScalingPatchRequest>({
    minTotalMemoryGb: totalMemory,
    maxTotalMemoryGb: totalMemory,
    numReplicas: replicas,
    idleScaling: bool(),
    idleTimeoutMinutes,
});

export const ServiceReplicaScalingPatchRequest = objOf<Api.ServiceReplicaScalingPatchRequest>({
    minReplicaMemoryGb: replicaMemory,
    maxReplicaMemoryGb: replicaMemory,
    autoscalingMode,
    numReplicas: replicas,
    minReplicas: replicas,
    maxReplicas: replicas,
    idleScaling: bool(),
    idleTimeoutMinutes,
});

export const ServicePasswordPatchRequest = objOf<Api.ServicePasswordPatchRequest>({
    // Hash formats from the spec's algorithms: base64(sha256) and hex(sha1(sha1)).
    newPasswordHash: str({ pattern: /^[A-Za-z0-9+/]{43}=$/ }),
    newDoubleSha1Hash: str({ pattern: /^[0-9a-fA-F]{40}$/ }),
});

export const ServicePrivateEndpointPostRequest = objOf<Api.ServicePrivateEndpointPostRequest, "id">(
    { id: str({ minLength: 1 }), description: str() },
    { required: ["id"] },
);

// null resets a field to its default (spec).
export const BackupConfigurationPatchRequest = objOf<Nullable<Api.BackupConfigurationPatchRequest>>({
    backupPeriodInHours: nullable(num({ minimum: 1 })),
    backupRetentionPeriodInHours: nullable(num({ minimum: 24, maximum: 1080, multipleOf: 24 })),
    backupStartTime: nullable(str({ pattern: /^([01][0-9]|2[0-3]):[0-5][0-9]$/ })),
});

export const QueryEndpointPostRequest = objOf<Api.InstanceServiceQueryApiEndpointsPostRequest>({
    roles: arr(str({ enum: ["sql_console_read_only", "sql_console_admin"] })),
    openApiKeys: arr(str()),
    allowedOrigins: str(),
});

// ---- ClickPipes ----------------------------------------------------------------------------------
const plain = obj({ username: str(), password: str() });
const mskIamUser = obj({ accessKeyId: str(), secretKey: str() });
const kafkaCredentials = obj({
    username: str(),
    password: str(),
    accessKeyId: str(),
    secretKey: str(),
    connectionString: str(),
    certificate: str(),
    privateKey: str(),
});
const kafkaAuth = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "IAM_ROLE", "IAM_USER", "MUTUAL_TLS"];
const objectStorageAuth = ["IAM_ROLE", "IAM_USER", "CONNECTION_STRING", "SERVICE_ACCOUNT"];
const compression = ["none", "gzip", "gz", "brotli", "br", "xz", "LZMA", "zstd", "auto"];
const pgTableMapping = objOf<Api.ClickPipePostgresPipeTableMapping>({
    sourceSchemaName: str(),
    sourceTable: str(),
    targetTable: str(),
    excludedColumns: arr(str(), { uniqueItems: true }),
    useCustomSortingKey: bool(),
    sortingKeys: arr(str(), { uniqueItems: true }),
    tableEngine: str({ enum: ["MergeTree", "ReplacingMergeTree", "Null"] }),
    partitionKey: str(),
    partitionByExpr: str(),
});
const pgSettings = objOf<Api.ClickPipePostgresPipeSettings>({
    syncIntervalSeconds: int({ minimum: 1 }),
    pullBatchSize: int({ minimum: 1 }),
    publicationName: str(),
    replicationMode: str({ enum: ["cdc", "snapshot", "cdc_only"] }),
    replicationSlotName: str(),
    allowNullableColumns: bool(),
    initialLoadParallelism: int({ minimum: 1 }),
    snapshotNumRowsPerPartition: int({ minimum: 1000 }),
    snapshotNumberOfParallelTables: int({ minimum: 1 }),
    enableFailoverSlots: bool(),
    deleteOnMerge: bool(),
});

/** The kinds of source a ClickPipe has (the fields of `ClickPipeSource`). */
export type PipeSourceKind = keyof Api.ClickPipeSource;
export const PIPE_SOURCE_KINDS = [
    "kafka",
    "objectStorage",
    "kinesis",
    "pubsub",
    "postgres",
    "mysql",
    "bigquery",
    "mongodb",
] as const satisfies readonly PipeSourceKind[];
// Every kind of the document is listed: a kind it adds fails to compile here.
const _everySourceKind: Exclude<PipeSourceKind, (typeof PIPE_SOURCE_KINDS)[number]> extends never ? true : never = true;

const kafkaPost = objOf<Api.ClickPipePostKafkaSource, "type" | "format" | "brokers" | "topics" | "authentication">(
    {
        type: str({ enum: ["kafka", "redpanda", "msk", "gcmk", "confluent", "warpstream", "azureeventhub", "dokafka"] }),
        format: str({ enum: ["JSONEachRow", "Avro", "AvroConfluent", "Protobuf"] }),
        brokers: str({ minLength: 1 }),
        topics: str({ minLength: 1 }),
        consumerGroup: nullable(str()),
        authentication: str({ enum: kafkaAuth }),
        iamRole: nullable(str()),
        offset: nullable(
            obj(
                { strategy: str({ enum: ["from_beginning", "from_latest", "from_timestamp"] }), timestamp: nullable(str()) },
                { required: ["strategy"] },
            ),
        ),
        schemaRegistry: nullable(
            obj({
                url: str(),
                authentication: str({ enum: ["PLAIN"] }),
                caCertificate: nullable(str()),
                credentials: obj({ username: str(), password: str() }),
            }),
        ),
        caCertificate: nullable(str()),
        reversePrivateEndpointIds: arr(str()),
        exactlyOnce: nullable(bool()),
        credentials: kafkaCredentials,
    },
    { required: ["type", "format", "brokers", "topics", "authentication"] },
);
const objectStoragePost = objOf<Api.ClickPipePostObjectStorageSource, "type" | "format">(
    {
        type: str({ enum: ["s3", "gcs", "dospaces", "azureblobstorage", "cloudflarer2", "ovhobjectstorage"] }),
        format: str({
            enum: ["JSONEachRow", "JSONAsObject", "CSV", "CSVWithNames", "TabSeparated", "TabSeparatedWithNames", "Parquet", "Avro"],
        }),
        url: str(),
        delimiter: nullable(str()),
        compression: nullable(str({ enum: compression })),
        isContinuous: nullable(bool()),
        queueUrl: nullable(str()),
        skipInitialLoad: nullable(bool()),
        startAfter: nullable(str()),
        authentication: nullable(str({ enum: objectStorageAuth })),
        iamRole: nullable(str()),
        connectionString: nullable(str()),
        path: nullable(str()),
        azureContainerName: nullable(str()),
        accessKey: nullable(mskIamUser),
        serviceAccountKey: nullable(str()),
    },
    { required: ["type", "format"] },
);
const kinesisPost = objOf<Api.ClickPipePostKinesisSource, "format" | "streamName" | "region" | "iteratorType" | "authentication">(
    {
        format: str({ enum: ["JSONEachRow", "Avro", "AvroConfluent"] }),
        streamName: str({ minLength: 1 }),
        region: str({ minLength: 1 }),
        useEnhancedFanOut: nullable(bool()),
        iteratorType: str({ enum: ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] }),
        timestamp: nullable(int()),
        authentication: str({ enum: ["IAM_ROLE", "IAM_USER"] }),
        iamRole: nullable(str()),
        accessKey: nullable(mskIamUser),
    },
    { required: ["format", "streamName", "region", "iteratorType", "authentication"] },
);
const postgresPost = objOf<Api.ClickPipeMutatePostgresSource, "host" | "port" | "database">(
    {
        type: nullable(
            str({
                enum: [
                    "postgres",
                    "supabase",
                    "neon",
                    "alloydb",
                    "planetscale",
                    "rdspostgres",
                    "aurorapostgres",
                    "cloudsqlpostgres",
                    "azurepostgres",
                    "crunchybridge",
                    "tigerdata",
                ],
            }),
        ),
        credentials: plain,
        host: str({ format: "hostname" }),
        port: int({ minimum: 1, maximum: 65535 }),
        database: str(),
        settings: pgSettings,
        authentication: str({ enum: ["basic", "IAM_ROLE"] }),
        iamRole: str(),
        tlsHost: str(),
        caCertificate: str(),
        disableTls: bool(),
        skipCertVerification: bool(),
        tableMappings: arr(pgTableMapping),
    },
    { required: ["host", "port", "database"] },
);
// Source kinds outside the provider's scope are accepted as opaque objects.
const opaque = nullable(obj({}, { loose: true }));
// MySQL and MongoDB are outside the provider's scope too, but a pipe stored without what the
// OpenAPI document requires of them (ClickPipeMutateMySQLSource, ClickPipeMutateMongoDBSource)
// would be answered in a shape the document forbids; only those fields are checked.
const looseList = arr(obj({}, { loose: true }));
const mongoReadPreference = str({ enum: ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"] });
const mysqlPost = nullable(
    obj(
        {
            host: str({ format: "hostname" }),
            port: int({ minimum: 1, maximum: 65535 }),
            settings: obj(
                { replicationMode: str({ enum: ["cdc", "snapshot", "cdc_only"] }) },
                { required: ["replicationMode"], loose: true },
            ),
            tableMappings: looseList,
        },
        { required: ["host", "port", "settings", "tableMappings"], loose: true },
    ),
);
const mongodbPost = nullable(
    obj(
        {
            uri: str(),
            readPreference: mongoReadPreference,
            settings: obj({}, { loose: true }),
            tableMappings: looseList,
        },
        { required: ["uri", "readPreference", "settings", "tableMappings"], loose: true },
    ),
);

// ClickPipePatchMySQLSource requires host and port, ClickPipePatchMongoDBSource uri and
// readPreference; both type the table mapping changes as arrays.
const mappingChanges = { tableMappingsToAdd: looseList, tableMappingsToRemove: looseList };
const mysqlPatch = nullable(
    obj(
        { host: str({ format: "hostname" }), port: int({ minimum: 1, maximum: 65535 }), ...mappingChanges },
        { required: ["host", "port"], loose: true },
    ),
);
const mongodbPatch = nullable(
    obj({ uri: str(), readPreference: mongoReadPreference, ...mappingChanges }, { required: ["uri", "readPreference"], loose: true }),
);

export const ClickPipePostSource = objOf<Api.ClickPipePostSource>({
    kafka: nullable(kafkaPost),
    objectStorage: nullable(objectStoragePost),
    kinesis: nullable(kinesisPost),
    pubsub: opaque,
    postgres: nullable(postgresPost),
    mysql: mysqlPost,
    bigquery: opaque,
    mongodb: mongodbPost,
    validateSamples: bool(),
});

const column = obj({ name: str({ minLength: 1 }), type: str({ minLength: 1 }) }, { required: ["name", "type"] });
const fieldMapping = objOf<Api.ClickPipeFieldMapping, "sourceField" | "destinationField">(
    { sourceField: str(), destinationField: str() },
    { required: ["sourceField", "destinationField"] },
);
const tableDefinition = obj({
    engine: obj({
        type: str({ enum: ["MergeTree", "ReplacingMergeTree", "SummingMergeTree", "Null"] }),
        versionColumnId: nullable(str()),
        columnIds: arr(str()),
    }),
    sortingKey: arr(str()),
    partitionBy: str(),
    primaryKey: str(),
});
// "Empty scaling or settings objects fail validation" (api-facts, from the official CLI).
export const ClickPipeScaling = objOf<Api.ClickPipeScaling>(
    {
        replicas: int({ minimum: 1, maximum: 40 }),
        concurrency: int(),
        replicaCpuMillicores: int({ minimum: 125, maximum: 2000 }),
        replicaMemoryGb: num({ minimum: 0.5, maximum: 8 }),
    },
    { nonEmpty: true },
);
const nint = (min: number, max: number) => nullable(int({ minimum: min, maximum: max }));
export const ClickPipeSettings = objOf<Api.ClickPipeSettings>(
    {
        streaming_max_insert_wait_ms: nint(500, 60000),
        object_storage_concurrency: nint(1, 35),
        object_storage_polling_interval_ms: nint(100, 3600000),
        object_storage_max_insert_bytes: nint(10485760, 53687091200),
        object_storage_max_file_count: nint(1, 10000),
        clickhouse_max_threads: nint(0, 64),
        clickhouse_max_insert_threads: nint(0, 16),
        clickhouse_min_insert_block_size_bytes: nint(0, 10737418240),
        clickhouse_max_download_threads: nint(0, 32),
        clickhouse_parallel_distributed_insert_select: nint(0, 2),
        object_storage_use_cluster_function: nullable(bool()),
        clickhouse_parallel_view_processing: nullable(bool()),
    },
    { nonEmpty: true },
);

export const ClickPipePostRequest = objOf<WithFieldMappings<Api.ClickPipePostRequest>, "name" | "source" | "destination">(
    {
        name: str({ minLength: 1, maxLength: 255 }),
        source: ClickPipePostSource,
        destination: obj(
            { database: str(), table: str(), managedTable: bool(), tableDefinition, columns: arr(column), roles: arr(str()) },
            { required: ["database"] },
        ),
        fieldMappings: arr(fieldMapping),
        scaling: ClickPipeScaling,
        settings: ClickPipeSettings,
    },
    { required: ["name", "source", "destination"] },
);

export const ClickPipePatchSource = objOf<Api.ClickPipePatchSource>({
    kafka: nullable(
        objOf<Api.ClickPipePatchKafkaSource>({
            authentication: nullable(str({ enum: kafkaAuth })),
            iamRole: nullable(str()),
            caCertificate: nullable(str()),
            reversePrivateEndpointIds: arr(str()),
            credentials: kafkaCredentials,
        }),
    ),
    objectStorage: nullable(
        objOf<Api.ClickPipePatchObjectStorageSource>({
            skipInitialLoad: nullable(bool()),
            startAfter: nullable(str()),
            authentication: nullable(str({ enum: objectStorageAuth })),
            iamRole: nullable(str()),
            connectionString: nullable(str()),
            path: nullable(str()),
            azureContainerName: nullable(str()),
            accessKey: nullable(mskIamUser),
            serviceAccountKey: nullable(str()),
        }),
    ),
    kinesis: nullable(
        objOf<Api.ClickPipePatchKinesisSource>({
            authentication: nullable(str({ enum: ["IAM_ROLE", "IAM_USER"] })),
            iamRole: nullable(str()),
            accessKey: nullable(mskIamUser),
        }),
    ),
    pubsub: opaque,
    postgres: objOf<Api.ClickPipePatchPostgresSource>({
        credentials: plain,
        host: nullable(str({ format: "hostname" })),
        port: nullable(int({ minimum: 1, maximum: 65535 })),
        database: nullable(str()),
        tlsHost: nullable(str()),
        caCertificate: nullable(str()),
        disableTls: nullable(bool()),
        skipCertVerification: nullable(bool()),
        settings: obj({ syncIntervalSeconds: nullable(int({ minimum: 1 })), pullBatchSize: nullable(int({ minimum: 1 })) }),
        tableMappingsToAdd: arr(pgTableMapping),
        tableMappingsToRemove: looseList,
    }),
    mysql: mysqlPatch,
    mongodb: mongodbPatch,
    validateSamples: bool(),
});

export const ClickPipePatchRequest = objOf<WithFieldMappings<Api.ClickPipePatchRequest>>({
    name: nullable(str({ minLength: 1, maxLength: 255 })),
    source: nullable(ClickPipePatchSource),
    destination: nullable(obj({ columns: arr(column) })),
    fieldMappings: arr(fieldMapping),
    settings: nullable(ClickPipeSettings),
});

export const ClickPipeScalingPatchRequest = objOf<Api.ClickPipeScalingPatchRequest>({
    replicas: nullable(int({ minimum: 1, maximum: 40 })),
    concurrency: nullable(int({ minimum: 0, maximum: 34 })),
    replicaCpuMillicores: nullable(int({ minimum: 125, maximum: 2000 })),
    replicaMemoryGb: nullable(num({ minimum: 0.5, maximum: 8 })),
});

export const ClickPipeStatePatchRequest = objOf<Api.ClickPipeStatePatchRequest, "command">(
    { command: str({ enum: ["start", "stop", "resync"] }) },
    { required: ["command"] },
);

/** `POST /_emulator/state`: forces a state on a service or a ClickPipe. */
export interface ControlStateBody {
    kind: "service" | "clickpipe";
    id: string;
    state: string;
}
export const ControlStateRequest = objOf<ControlStateBody, keyof ControlStateBody>(
    { kind: str({ enum: ["service", "clickpipe"] }), id: str(), state: str() },
    { required: ["kind", "id", "state"] },
);
export const anySchema: Schema = anything();
