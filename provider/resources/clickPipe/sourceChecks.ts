/**
 * The `source` rules of `clickhouse:ClickPipe`'s `check`: that exactly one supported kind is
 * set, and then the rules of that kind (Kafka, object storage, Kinesis, Postgres) with the
 * vocabularies the spec gives for each: types, formats, authentication methods and the
 * credentials each method needs. A new source kind adds its rules here. No API call.
 */
import { show, UUID, Validator } from "../validation";
import { isUnknown } from "../unknown";
import { CLICKPIPE_SOURCE_KINDS, CLICKPIPE_SOURCE_SPECS, ClickPipeSourceKind, UNSUPPORTED_KINDS } from "./properties";
import { eachItem, forbid, requireCredentials } from "./nestedChecks";
import { isObject, isSupportedKind, sourceKinds } from "./values";

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
const PG_TYPES = [
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
];
const PG_SETTINGS = [
    "syncIntervalSeconds",
    "pullBatchSize",
    "publicationName",
    "replicationMode",
    "replicationSlotName",
    "allowNullableColumns",
    "initialLoadParallelism",
    "snapshotNumRowsPerPartition",
    "snapshotNumberOfParallelTables",
    "enableFailoverSlots",
    "deleteOnMerge",
];
const PG_TABLE_MAPPING = [
    "sourceSchemaName",
    "sourceTable",
    "targetTable",
    "excludedColumns",
    "useCustomSortingKey",
    "sortingKeys",
    "tableEngine",
    "partitionKey",
    "partitionByExpr",
];

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
        if (typeof id !== "string" || !UUID.test(id))
            v.fail(path, `"${path}" is ${show(id)}; expected a reverse private endpoint id (a UUID).`);
    });
    const type = v.value(`${p}.type`);
    const auth = v.value(`${p}.authentication`);
    if (
        typeof type === "string" &&
        typeof auth === "string" &&
        KAFKA_AUTH[type] &&
        KAFKA_AUTH_ALL.includes(auth) &&
        !KAFKA_AUTH[type].includes(auth)
    ) {
        v.fail(
            `${p}.authentication`,
            `"${p}.authentication" is ${show(auth)}, which a "${type}" source does not support; accepted for ${type}: ${KAFKA_AUTH[type].join(", ")}.`,
        );
    }
    if (typeof auth === "string" && !isUnknown(auth)) {
        const because = `for authentication ${auth}`;
        if (auth === "IAM_ROLE") {
            if (v.value(`${p}.iamRole`) === undefined || v.value(`${p}.iamRole`) === null)
                v.warn(`${p}.iamRole`, `"${p}.iamRole" is not set; expected an IAM role ARN ${because}.`);
            forbid(v, `${p}.credentials`, because);
        } else if (auth === "IAM_USER") requireCredentials(v, `${p}.credentials`, ["accessKeyId", "secretKey"], because);
        else if (auth === "MUTUAL_TLS") requireCredentials(v, `${p}.credentials`, ["certificate", "privateKey"], because);
        else if (type === "azureeventhub")
            requireCredentials(v, `${p}.credentials`, ["connectionString"], "for an Azure Event Hubs source");
        else if (KAFKA_AUTH_ALL.includes(auth)) requireCredentials(v, `${p}.credentials`, ["username", "password"], because);
    }
    v.knownKeys(`${p}.offset`, ["strategy", "timestamp"]);
    if (!v.skip(`${p}.offset`)) {
        v.oneOf(`${p}.offset.strategy`, ["from_beginning", "from_latest", "from_timestamp"], true);
        if (v.value(`${p}.offset.strategy`) === "from_timestamp")
            v.string(`${p}.offset.timestamp`, { required: true, patternText: 'a UTC timestamp to the minute, e.g. "2025-01-31T08:00"' });
    }
    v.knownKeys(`${p}.schemaRegistry`, ["url", "authentication", "caCertificate", "credentials"]);
    if (!v.skip(`${p}.schemaRegistry`)) {
        v.string(`${p}.schemaRegistry.url`, {
            required: true,
            pattern: /^https:\/\/\S+$/,
            patternText: "an https:// URL (the API requires HTTPS)",
        });
        v.oneOf(`${p}.schemaRegistry.authentication`, ["PLAIN"]);
        if (v.value(`${p}.schemaRegistry.credentials`) !== undefined)
            requireCredentials(v, `${p}.schemaRegistry.credentials`, ["username", "password"], "for the schema registry");
    }
}

function checkObjectStorage(v: Validator, p: string): void {
    v.oneOf(`${p}.type`, OS_TYPES, true);
    v.oneOf(`${p}.format`, OS_FORMATS, true);
    const type = v.value(`${p}.type`);
    if (type === "azureblobstorage") {
        v.string(`${p}.azureContainerName`, { required: true });
        if (v.value(`${p}.path`) === undefined || v.value(`${p}.path`) === null)
            v.warn(`${p}.path`, `"${p}.path" is not set; expected a path inside the container, wildcards allowed, e.g. "logs/*.json".`);
    } else {
        const url = v.value(`${p}.url`);
        if (url === undefined || url === null || url === "")
            v.warn(
                `${p}.url`,
                `"${p}.url" is not set; expected a URL of the files, wildcards allowed, e.g. "https://bucket.s3.amazonaws.com/logs/*.json".`,
            );
        else if (typeof url === "string" && !isUnknown(url) && !/^\S+:\/\/\S+$/.test(url))
            v.warn(
                `${p}.url`,
                `"${p}.url" is ${show(url)}; expected a URL of the files, e.g. "https://bucket.s3.amazonaws.com/logs/*.json".`,
            );
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
        v.warn(
            `${p}.skipInitialLoad`,
            `"${p}.skipInitialLoad" is true but "${p}.queueUrl" is not set; skipping the initial load only applies to queue-driven ingestion.`,
        );
    }
    if (v.value(`${p}.skipInitialLoad`) === true && typeof v.value(`${p}.startAfter`) === "string") {
        v.fail(`${p}.startAfter`, `"${p}.startAfter" cannot be set when "${p}.skipInitialLoad" is true.`);
    }
    v.oneOf(`${p}.authentication`, Object.keys(OS_AUTH));
    const auth = v.value(`${p}.authentication`);
    if (typeof auth === "string" && OS_AUTH[auth]) {
        const because = `for authentication ${auth}`;
        if (typeof type === "string" && OS_TYPES.includes(type) && !OS_AUTH[auth].includes(type)) {
            v.fail(
                `${p}.authentication`,
                `"${p}.authentication" is ${show(auth)}, which a "${type}" source does not support; ${auth} is for ${OS_AUTH[auth].join(", ")}.`,
            );
        }
        if (auth === "IAM_USER") requireCredentials(v, `${p}.accessKey`, ["accessKeyId", "secretKey"], because);
        if (auth === "IAM_ROLE" && (v.value(`${p}.iamRole`) === undefined || v.value(`${p}.iamRole`) === null))
            v.warn(`${p}.iamRole`, `"${p}.iamRole" is not set; expected an IAM role ARN ${because}.`);
        if (auth === "CONNECTION_STRING") v.string(`${p}.connectionString`, { required: true });
        if (auth === "SERVICE_ACCOUNT")
            v.string(`${p}.serviceAccountKey`, { required: true, patternText: "a base64-encoded service account JSON key" });
    } else if (auth === undefined || auth === null) {
        for (const f of ["accessKey", "iamRole", "connectionString", "serviceAccountKey"])
            forbid(v, `${p}.${f}`, `without "${p}.authentication" (public access)`);
    }
}

function checkKinesis(v: Validator, p: string): void {
    v.oneOf(`${p}.format`, ["JSONEachRow", "Avro", "AvroConfluent"], true);
    v.string(`${p}.streamName`, { required: true });
    v.string(`${p}.region`, { required: true, patternText: 'an AWS region such as "us-east-1"' });
    const region = v.value(`${p}.region`);
    if (typeof region === "string" && !isUnknown(region) && region !== "" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
        v.warn(`${p}.region`, `"${p}.region" is ${show(region)}; expected an AWS region such as "us-east-1".`);
    v.boolean(`${p}.useEnhancedFanOut`);
    v.oneOf(`${p}.iteratorType`, ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"], true);
    if (v.value(`${p}.iteratorType`) === "AT_TIMESTAMP")
        v.number(`${p}.timestamp`, { required: true, integer: true, min: 0, unit: "(UNIX seconds)" });
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
    for (const f of ["syncIntervalSeconds", "pullBatchSize", "initialLoadParallelism", "snapshotNumberOfParallelTables"])
        v.number(`${s}.${f}`, { integer: true, min: 1 });
    v.number(`${s}.snapshotNumRowsPerPartition`, { integer: true, min: 1000 });
    v.oneOf(`${s}.replicationMode`, ["cdc", "snapshot", "cdc_only"]);
    for (const f of ["allowNullableColumns", "enableFailoverSlots", "deleteOnMerge"]) v.boolean(`${s}.${f}`);
    v.string(`${s}.publicationName`);
    v.string(`${s}.replicationSlotName`);
    if (
        typeof v.value(`${s}.replicationSlotName`) === "string" &&
        v.value(`${s}.replicationMode`) !== "cdc_only" &&
        !v.skip(`${s}.replicationMode`)
    ) {
        v.fail(
            `${s}.replicationSlotName`,
            `"${s}.replicationSlotName" only applies with replicationMode "cdc_only" (got ${show(v.value(`${s}.replicationMode`))}).`,
        );
    }
    const tables = v.value(`${p}.tableMappings`);
    if (tables === undefined || tables === null)
        v.warn(`${p}.tableMappings`, `"${p}.tableMappings" is not set; expected a list of { sourceSchemaName, sourceTable, targetTable }.`);
    else {
        const mappings = tables;
        if (Array.isArray(mappings) && mappings.length === 0)
            v.warn(`${p}.tableMappings`, `"${p}.tableMappings" is empty; list at least one table to replicate.`);
        eachItem(v, `${p}.tableMappings`, (m) => {
            m.knownKeys(undefined, PG_TABLE_MAPPING);
            for (const f of ["sourceSchemaName", "sourceTable", "targetTable"]) m.string(f, { required: true });
            m.oneOf("tableEngine", ["MergeTree", "ReplacingMergeTree", "Null"]);
            m.boolean("useCustomSortingKey");
            if (m.value("useCustomSortingKey") === true) {
                const keys = m.value("sortingKeys");
                if (!Array.isArray(keys) || keys.length === 0)
                    m.fail("sortingKeys", `"sortingKeys" must list at least one column when "useCustomSortingKey" is true.`);
            }
        });
    }
}

const KIND_CHECKS: Record<ClickPipeSourceKind, (v: Validator, path: string) => void> = {
    kafka: checkKafka,
    objectStorage: checkObjectStorage,
    kinesis: checkKinesis,
    postgres: checkPostgres,
};

/** Validates the source; returns its kind when exactly one supported kind is set. */
export function checkSource(v: Validator): ClickPipeSourceKind | undefined {
    if (!v.required("source", `an object with exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}`)) return undefined;
    if (v.skip("source")) return undefined;
    const source = v.value("source");
    if (!isObject(source)) {
        v.fail("source", `"source" must be an object with exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}, got ${show(source)}.`);
        return undefined;
    }
    const kinds = sourceKinds(source);
    for (const k of kinds) {
        if (UNSUPPORTED_KINDS.includes(k))
            v.fail(
                `source.${k}`,
                `"source.${k}" pipes are not supported by this provider; supported sources: ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`,
            );
        else if (!isSupportedKind(k))
            v.fail(`source.${k}`, `unknown property "source.${k}"; accepted properties of "source": ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`);
    }
    const supported = kinds.filter(isSupportedKind);
    if (kinds.length === 0) {
        v.fail("source", `"source" sets no source; set exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`);
        return undefined;
    }
    if (supported.length > 1) {
        v.fail(
            "source",
            `"source" sets ${supported.join(" and ")}; a pipe reads from exactly one of ${CLICKPIPE_SOURCE_KINDS.join(", ")}.`,
        );
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
