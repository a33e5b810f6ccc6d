/**
 * What `clickhouse:ClickPipe` accepts and how each part changes: the source kinds with their
 * accepted, in-place and write-only fields, the destination's, the top-level arguments.
 */

export const RESOURCE = "clickhouse:ClickPipe";

/** Source kinds this provider supports. */
export const CLICKPIPE_SOURCE_KINDS = ["kafka", "objectStorage", "kinesis", "postgres"] as const;
/** A supported source kind. */
export type ClickPipeSourceKind = (typeof CLICKPIPE_SOURCE_KINDS)[number];
/** Source kinds the API has but this provider does not support (yet). */
export const UNSUPPORTED_KINDS = ["pubsub", "mysql", "bigquery", "mongodb"];

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
export const DESTINATION_IN_PLACE = ["columns"];
/** Destination fields the API never returns. */
export const DESTINATION_WRITE_ONLY = ["roles"];
/** Source fields holding secrets, wrapped with `pulumi.secret` by the resource class. */
export const SECRET_SOURCE_FIELDS = ["credentials", "accessKey", "connectionString", "serviceAccountKey"];

export const TOP_LEVEL = ["serviceId", "name", "description", "source", "destination", "fieldMappings", "scaling", "state", "timeouts"] as const;
export const DEFAULT_TIMEOUTS_MS = { create: 30 * 60_000, update: 30 * 60_000, delete: 20 * 60_000 };
