/**
 * The bad-input matrix: one invalid argument per case, across every resource, each run through
 * `pulumi preview` on its own. Each case names the property the error must name and a pattern
 * of what the error must say is accepted.
 */

export type Kind = "Service" | "ServiceScaling" | "BackupConfiguration" | "PrivateEndpoint" | "ServiceQueryEndpoint" | "ClickPipe";

export interface BadInput {
    /** Short id, also the resource name in the program. */
    id: string;
    kind: Kind;
    args: Record<string, unknown>;
    /** The property the error must name (as the engine prints it: `property <name>`). */
    property: string;
    /** What the message must say is accepted (or why the value is refused). */
    accepted: RegExp;
    /** In the short form inside `npm test`. */
    short?: boolean;
    /**
     * A rule no official source confirms (issue 12): preview warns, naming the property, and
     * goes on; the API decides at `up`. The case must still make no request.
     */
    warns?: boolean;
}

const SID = "11111111-2222-4333-8444-555555555555";
const svc = (over: Record<string, unknown>) => ({ name: "svc", provider: "aws", region: "eu-central-1", tier: "production", ...over });
const kafka = (over: Record<string, unknown> = {}) => ({
    type: "kafka",
    format: "JSONEachRow",
    brokers: "broker-1:9092",
    topics: "events",
    authentication: "PLAIN",
    credentials: { username: "u", password: "kafka-pw-never-shown" },
    ...over,
});
const dest = { database: "default", table: "events", managedTable: true, columns: [{ name: "ts", type: "DateTime" }] };
const maps = [{ sourceField: "ts", destinationField: "ts" }];
const pipe = (source: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
    serviceId: SID,
    name: "pipe",
    source,
    destination: dest,
    fieldMappings: maps,
    ...over,
});
const pg = (over: Record<string, unknown> = {}) => ({
    host: "db.example.com",
    port: 5432,
    database: "app",
    credentials: { username: "repl", password: "pg-pw-never-shown" },
    settings: { replicationMode: "cdc" },
    tableMappings: [{ sourceSchemaName: "public", sourceTable: "users", targetTable: "public_users" }],
    ...over,
});
const pgPipe = (over: Record<string, unknown>) => ({
    serviceId: SID,
    name: "cdc",
    source: { postgres: pg(over) },
    destination: { database: "app" },
});

export const BAD_INPUTS: BadInput[] = [
    // Service: documented rules, enums, types, ranges, malformed addresses.
    {
        id: "svc-name-empty",
        kind: "Service",
        args: svc({ name: "" }),
        property: "name",
        accepted: /required|must not be empty/,
        short: true,
    },
    { id: "svc-name-long", kind: "Service", args: svc({ name: "n".repeat(51) }), property: "name", accepted: /at most 50/ },
    { id: "svc-name-blank", warns: true, kind: "Service", args: svc({ name: " lead" }), property: "name", accepted: /1–50 characters/ },
    { id: "svc-name-type", kind: "Service", args: svc({ name: 42 }), property: "name", accepted: /must be a string/ },
    {
        id: "svc-provider",
        kind: "Service",
        args: svc({ provider: "aws2" }),
        property: "provider",
        accepted: /accepted values: aws, gcp, azure/,
        short: true,
    },
    { id: "svc-region", kind: "Service", args: svc({ region: "mars-1" }), property: "region", accepted: /accepted values:.*eu-central-1/ },
    {
        id: "svc-region-cloud",
        kind: "Service",
        args: svc({ region: "us-central1" }),
        property: "region",
        accepted: /not a region of aws; accepted for aws/,
    },
    { id: "svc-tier", kind: "Service", args: svc({ tier: "ultra" }), property: "tier", accepted: /accepted values:.*production/ },
    {
        id: "svc-tier-azure-dev",
        kind: "Service",
        args: svc({ provider: "azure", region: "eastus2", tier: "development" }),
        property: "tier",
        accepted: /Azure services do not support/,
    },
    {
        id: "svc-min-mem",
        kind: "Service",
        args: svc({ minReplicaMemoryGb: 7 }),
        property: "minReplicaMemoryGb",
        accepted: /8/,
        short: true,
    },
    { id: "svc-max-mem", kind: "Service", args: svc({ maxReplicaMemoryGb: 400 }), property: "maxReplicaMemoryGb", accepted: /356/ },
    {
        id: "svc-mem-multiple",
        kind: "Service",
        args: svc({ maxReplicaMemoryGb: 18 }),
        property: "maxReplicaMemoryGb",
        accepted: /multiple of 4/,
    },
    { id: "svc-mem-type", kind: "Service", args: svc({ minReplicaMemoryGb: "eight" }), property: "minReplicaMemoryGb", accepted: /number/ },
    {
        id: "svc-mem-order",
        kind: "Service",
        args: svc({ minReplicaMemoryGb: 32, maxReplicaMemoryGb: 16 }),
        property: "minReplicaMemoryGb",
        accepted: /at most the maximum/,
    },
    { id: "svc-replicas-zero", kind: "Service", args: svc({ numReplicas: 0 }), property: "numReplicas", accepted: /1/ },
    { id: "svc-replicas-frac", kind: "Service", args: svc({ numReplicas: 2.5 }), property: "numReplicas", accepted: /integer|whole/ },
    {
        id: "svc-idle-timeout",
        kind: "Service",
        args: svc({ idleScaling: true, idleTimeoutMinutes: 2 }),
        property: "idleTimeoutMinutes",
        accepted: /5/,
    },
    {
        id: "svc-idle-rule",
        kind: "Service",
        args: svc({ idleScaling: false, idleTimeoutMinutes: 10 }),
        property: "idleTimeoutMinutes",
        accepted: /only applies with idleScaling true/,
        short: true,
    },
    { id: "svc-idle-type", kind: "Service", args: svc({ idleScaling: "yes" }), property: "idleScaling", accepted: /true or false|boolean/ },
    {
        id: "svc-release",
        kind: "Service",
        args: svc({ releaseChannel: "nightly" }),
        property: "releaseChannel",
        accepted: /accepted values:.*default/,
    },
    {
        id: "svc-cidr-prefix",
        kind: "Service",
        args: svc({ ipAccessList: [{ source: "10.0.0.0/33" }] }),
        property: "ipAccessList[0].source",
        accepted: /IPv4 or IPv6 address or CIDR/,
        short: true,
    },
    {
        id: "svc-ip-octet",
        kind: "Service",
        args: svc({ ipAccessList: [{ source: "300.1.1.1" }] }),
        property: "ipAccessList[0].source",
        accepted: /IPv4 or IPv6 address or CIDR/,
    },
    {
        id: "svc-ip-empty",
        kind: "Service",
        args: svc({ ipAccessList: [{ source: "" }] }),
        property: "ipAccessList[0].source",
        accepted: /IPv4 or IPv6 address or CIDR/,
    },
    {
        id: "svc-ipv6-bad",
        kind: "Service",
        args: svc({ ipAccessList: [{ source: "2001:db8::g/64" }] }),
        property: "ipAccessList[0].source",
        accepted: /IPv4 or IPv6 address or CIDR/,
    },
    {
        id: "svc-ip-key",
        kind: "Service",
        args: svc({ ipAccessList: [{ source: "10.0.0.1", comment: "x" }] }),
        property: "ipAccessList[0].comment",
        accepted: /accepted properties.*source, description/,
    },
    {
        id: "svc-tag-key",
        kind: "Service",
        args: svc({ tags: [{ key: "bad key!", value: "v" }] }),
        property: "tags[0].key",
        accepted: /letters, digits/,
    },
    {
        id: "svc-tag-reserved",
        kind: "Service",
        args: svc({ tags: [{ key: "pulumi-creation", value: "v" }] }),
        property: "tags[0].key",
        accepted: /reserves/,
    },
    {
        id: "svc-endpoint-proto",
        kind: "Service",
        args: svc({ endpoints: [{ protocol: "https", enabled: false }] }),
        property: "endpoints[0].protocol",
        accepted: /only "mysql"/,
    },
    {
        id: "svc-endpoint-enabled",
        kind: "Service",
        args: svc({ endpoints: [{ protocol: "mysql", enabled: "yes" }] }),
        property: "endpoints[0].enabled",
        accepted: /true or false/,
    },
    { id: "svc-password-empty", kind: "Service", args: svc({ password: "" }), property: "password", accepted: /must be/, short: true },
    {
        id: "svc-password-both",
        kind: "Service",
        args: svc({ password: "Sup3r-secret-pw", passwordHash: "x" }),
        property: "password",
        accepted: /give one of them/,
    },
    { id: "svc-hash-format", kind: "Service", args: svc({ passwordHash: "abc" }), property: "passwordHash", accepted: /base64\(sha256/ },
    {
        id: "svc-sha1-alone",
        kind: "Service",
        args: svc({ doubleSha1PasswordHash: "a".repeat(40) }),
        property: "doubleSha1PasswordHash",
        accepted: /without "passwordHash"/,
    },
    { id: "svc-backup-id", kind: "Service", args: svc({ backupId: "not-a-uuid" }), property: "backupId", accepted: /UUID/ },
    { id: "svc-readonly", kind: "Service", args: svc({ isReadonly: true }), property: "isReadonly", accepted: /dataWarehouseId/ },
    { id: "svc-state", kind: "Service", args: svc({ state: "paused" }), property: "state", accepted: /accepted values/ },
    { id: "svc-timeouts", kind: "Service", args: svc({ timeouts: "10m" }), property: "timeouts", accepted: /create: "45m"/ },
    { id: "svc-adopt-id", kind: "Service", args: svc({ adoptServiceId: "xyz" }), property: "adoptServiceId", accepted: /UUID/ },
    {
        id: "svc-dev-replicas",
        kind: "Service",
        args: svc({ tier: "development", numReplicas: 2 }),
        property: "numReplicas",
        accepted: /fixed size/,
    },
    {
        id: "svc-endpoint-ids",
        warns: true,
        kind: "Service",
        args: svc({ privateEndpointIds: [""] }),
        property: "privateEndpointIds[0]",
        accepted: /non-empty string/,
    },
    {
        id: "svc-encryption-key",
        warns: true,
        kind: "Service",
        args: svc({ encryptionKey: "" }),
        property: "encryptionKey",
        accepted: /must be a non-empty key|non-empty/,
    },
    { id: "svc-org-id", kind: "Service", args: svc({ organizationId: "org-1" }), property: "organizationId", accepted: /UUID/ },

    // ServiceScaling
    {
        id: "scl-min-mem",
        kind: "ServiceScaling",
        args: { serviceId: SID, minReplicaMemoryGb: 7 },
        property: "minReplicaMemoryGb",
        accepted: /8/,
        short: true,
    },
    {
        id: "scl-multiple",
        kind: "ServiceScaling",
        args: { serviceId: SID, maxReplicaMemoryGb: 10 },
        property: "maxReplicaMemoryGb",
        accepted: /multiple of 4/,
    },
    {
        id: "scl-max-mem",
        kind: "ServiceScaling",
        args: { serviceId: SID, maxReplicaMemoryGb: 360 },
        property: "maxReplicaMemoryGb",
        accepted: /356/,
    },
    {
        id: "scl-total",
        kind: "ServiceScaling",
        args: { serviceId: SID, minTotalMemoryGb: 25 },
        property: "minTotalMemoryGb",
        accepted: /multiple of 12/,
    },
    { id: "scl-replicas", kind: "ServiceScaling", args: { serviceId: SID, numReplicas: 21 }, property: "numReplicas", accepted: /20/ },
    {
        id: "scl-idle",
        kind: "ServiceScaling",
        args: { serviceId: SID, idleScaling: true, idleTimeoutMinutes: 4 },
        property: "idleTimeoutMinutes",
        accepted: /5/,
    },
    {
        id: "scl-mixed",
        kind: "ServiceScaling",
        args: { serviceId: SID, minTotalMemoryGb: 24, minReplicaMemoryGb: 8 },
        property: "minTotalMemoryGb",
        accepted: /use only the per-replica fields/,
    },
    {
        id: "scl-empty",
        kind: "ServiceScaling",
        args: { serviceId: SID },
        property: "minReplicaMemoryGb",
        accepted: /set at least one of/,
        short: true,
    },
    {
        id: "scl-order",
        kind: "ServiceScaling",
        args: { serviceId: SID, minReplicaMemoryGb: 64, maxReplicaMemoryGb: 16 },
        property: "minReplicaMemoryGb",
        accepted: /must not exceed the maximum/,
    },
    { id: "scl-service-id", kind: "ServiceScaling", args: { serviceId: "abc", numReplicas: 2 }, property: "serviceId", accepted: /UUID/ },
    { id: "scl-type", kind: "ServiceScaling", args: { serviceId: SID, numReplicas: "three" }, property: "numReplicas", accepted: /number/ },

    // BackupConfiguration
    {
        id: "bkp-period",
        kind: "BackupConfiguration",
        args: { serviceId: SID, backupPeriodInHours: 5 },
        property: "backupPeriodInHours",
        accepted: /6, 8, 12, 16, 20, 24, 36, 48/,
        short: true,
    },
    {
        id: "bkp-retention-multiple",
        kind: "BackupConfiguration",
        args: { serviceId: SID, backupRetentionPeriodInHours: 25 },
        property: "backupRetentionPeriodInHours",
        accepted: /multiple of 24/,
    },
    {
        id: "bkp-retention-max",
        kind: "BackupConfiguration",
        args: { serviceId: SID, backupRetentionPeriodInHours: 2000 },
        property: "backupRetentionPeriodInHours",
        accepted: /1080/,
    },
    {
        id: "bkp-time-hour",
        kind: "BackupConfiguration",
        args: { serviceId: SID, backupStartTime: "25:00" },
        property: "backupStartTime",
        accepted: /HH:MM/,
        short: true,
    },
    {
        id: "bkp-time-format",
        kind: "BackupConfiguration",
        args: { serviceId: SID, backupStartTime: "2:30pm" },
        property: "backupStartTime",
        accepted: /HH:MM/,
    },
    {
        id: "bkp-time-period",
        kind: "BackupConfiguration",
        args: { serviceId: SID, backupStartTime: "02:30", backupPeriodInHours: 12 },
        property: "backupPeriodInHours",
        accepted: /must be 24 or unset/,
    },
    {
        id: "bkp-empty",
        kind: "BackupConfiguration",
        args: { serviceId: SID },
        property: "backupRetentionPeriodInHours",
        accepted: /set at least one of/,
    },
    {
        id: "bkp-service-id",
        kind: "BackupConfiguration",
        args: { serviceId: "", backupPeriodInHours: 24 },
        property: "serviceId",
        accepted: /UUID|required/,
    },

    // PrivateEndpoint
    { id: "pe-missing", kind: "PrivateEndpoint", args: { serviceId: SID }, property: "endpointId", accepted: /required/, short: true },
    {
        id: "pe-space",
        kind: "PrivateEndpoint",
        args: { serviceId: SID, endpointId: "vpce 123" },
        property: "endpointId",
        accepted: /without spaces or commas/,
    },
    {
        id: "pe-comma",
        kind: "PrivateEndpoint",
        args: { serviceId: SID, endpointId: "vpce-1,vpce-2" },
        property: "endpointId",
        accepted: /without spaces or commas/,
    },
    {
        id: "pe-description",
        kind: "PrivateEndpoint",
        args: { serviceId: SID, endpointId: "vpce-0123456789abcdef0", description: "d".repeat(300) },
        property: "description",
        accepted: /at most 255/,
    },

    // ServiceQueryEndpoint
    {
        id: "qe-roles-empty",
        warns: true,
        kind: "ServiceQueryEndpoint",
        args: { serviceId: SID, roles: [], openApiKeys: ["key1"] },
        property: "roles",
        accepted: /at least one role/,
        short: true,
    },
    {
        id: "qe-role",
        kind: "ServiceQueryEndpoint",
        args: { serviceId: SID, roles: ["admin"], openApiKeys: ["key1"] },
        property: "roles[0]",
        accepted: /sql_console_read_only, sql_console_admin/,
    },
    {
        id: "qe-keys-empty",
        warns: true,
        kind: "ServiceQueryEndpoint",
        args: { serviceId: SID, roles: ["sql_console_admin"], openApiKeys: [] },
        property: "openApiKeys",
        accepted: /at least one API key id/,
    },
    {
        id: "qe-key-secret",
        kind: "ServiceQueryEndpoint",
        args: { serviceId: SID, roles: ["sql_console_admin"], openApiKeys: ["keyid1:qe-secret-never-shown"] },
        property: "openApiKeys[0]",
        accepted: /never the secret/,
    },
    {
        id: "qe-origins",
        warns: true,
        kind: "ServiceQueryEndpoint",
        args: { serviceId: SID, roles: ["sql_console_admin"], openApiKeys: ["k1"], allowedOrigins: "a.com, b.com" },
        property: "allowedOrigins",
        accepted: /single commas without spaces/,
    },
    {
        id: "qe-roles-dup",
        warns: true,
        kind: "ServiceQueryEndpoint",
        args: { serviceId: SID, roles: ["sql_console_admin", "sql_console_admin"], openApiKeys: ["k1"] },
        property: "roles",
        accepted: /duplicates/,
    },

    // ClickPipe
    {
        id: "cp-source-missing",
        kind: "ClickPipe",
        args: { serviceId: SID, name: "p", destination: dest },
        property: "source",
        accepted: /exactly one of kafka/,
        short: true,
    },
    {
        id: "cp-source-two",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka(), kinesis: { format: "JSONEachRow" } }),
        property: "source",
        accepted: /exactly one of/,
    },
    {
        id: "cp-source-unknown",
        kind: "ClickPipe",
        args: pipe({ bigquery: {} }),
        property: "source.bigquery",
        accepted: /accepted properties of "source"|not supported/,
    },
    {
        id: "cp-kafka-type",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka({ type: "kafkaz" }) }),
        property: "source.kafka.type",
        accepted: /accepted values:.*confluent/,
    },
    {
        id: "cp-kafka-format",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka({ format: "XML" }) }),
        property: "source.kafka.format",
        accepted: /accepted values:.*JSONEachRow/,
    },
    {
        id: "cp-kafka-brokers",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka({ brokers: "" }) }),
        property: "source.kafka.brokers",
        accepted: /host:port/,
    },
    {
        id: "cp-kafka-creds",
        warns: true,
        kind: "ClickPipe",
        args: pipe({ kafka: kafka({ credentials: undefined }) }),
        property: "source.kafka.credentials",
        accepted: /username, password/,
        short: true,
    },
    {
        id: "cp-kafka-offset",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka({ offset: { strategy: "from_middle" } }) }),
        property: "source.kafka.offset.strategy",
        accepted: /from_beginning, from_latest, from_timestamp/,
    },
    {
        id: "cp-kafka-registry",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka({ schemaRegistry: { url: "http://registry:8081" } }) }),
        property: "source.kafka.schemaRegistry.url",
        accepted: /https:\/\/ URL/,
    },
    {
        id: "cp-s3-compression",
        kind: "ClickPipe",
        args: pipe({ objectStorage: { type: "s3", format: "CSV", url: "https://b.s3.amazonaws.com/*.csv", compression: "rar" } }),
        property: "source.objectStorage.compression",
        accepted: /accepted values:.*gzip/,
    },
    {
        id: "cp-s3-skip",
        warns: true,
        kind: "ClickPipe",
        args: pipe({ objectStorage: { type: "s3", format: "CSV", url: "https://b.s3.amazonaws.com/*.csv", skipInitialLoad: true } }),
        property: "source.objectStorage.skipInitialLoad",
        accepted: /queue-driven/,
    },
    {
        id: "cp-s3-url",
        warns: true,
        kind: "ClickPipe",
        args: pipe({ objectStorage: { type: "s3", format: "CSV", url: "bucket/*.csv" } }),
        property: "source.objectStorage.url",
        accepted: /a URL of the files/,
    },
    {
        id: "cp-kinesis-region",
        warns: true,
        kind: "ClickPipe",
        args: pipe({
            kinesis: {
                format: "JSONEachRow",
                streamName: "s",
                region: "Mars",
                iteratorType: "LATEST",
                authentication: "IAM_ROLE",
                iamRole: "arn:aws:iam::1:role/r",
            },
        }),
        property: "source.kinesis.region",
        accepted: /AWS region/,
    },
    { id: "cp-pg-port", kind: "ClickPipe", args: pgPipe({ port: 70000 }), property: "source.postgres.port", accepted: /65535/ },
    {
        id: "cp-pg-host",
        kind: "ClickPipe",
        args: pgPipe({ host: "db host" }),
        property: "source.postgres.host",
        accepted: /host name or IP/,
    },
    {
        id: "cp-pg-mappings",
        warns: true,
        kind: "ClickPipe",
        args: pgPipe({ tableMappings: [] }),
        property: "source.postgres.tableMappings",
        accepted: /at least one table/,
    },
    {
        id: "cp-pg-mode",
        kind: "ClickPipe",
        args: pgPipe({ settings: { replicationMode: "logical" } }),
        property: "source.postgres.settings.replicationMode",
        accepted: /cdc, snapshot, cdc_only/,
    },
    {
        id: "cp-destination",
        kind: "ClickPipe",
        args: { serviceId: SID, name: "p", source: { kafka: kafka() } },
        property: "destination",
        accepted: /database, table, managedTable, columns/,
    },
    {
        id: "cp-columns-empty",
        warns: true,
        kind: "ClickPipe",
        args: pipe({ kafka: kafka() }, { destination: { ...dest, columns: [] } }),
        property: "destination.columns",
        accepted: /list the destination table's columns/,
    },
    {
        id: "cp-scaling",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka() }, { scaling: { replicas: 0 } }),
        property: "scaling.replicas",
        accepted: /1/,
    },
    {
        id: "cp-name",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka() }, { name: "" }),
        property: "name",
        accepted: /required|must not be empty/,
    },
    {
        id: "cp-state",
        kind: "ClickPipe",
        args: pipe({ kafka: kafka() }, { state: "Paused" }),
        property: "state",
        accepted: /accepted values:.*Running/,
    },
    {
        id: "cp-mapping-unknown",
        warns: true,
        kind: "ClickPipe",
        args: pipe({ kafka: kafka() }, { fieldMappings: [{ sourceField: "ts", destinationField: "nope" }] }),
        property: "fieldMappings",
        accepted: /column/,
    },
];

/** Secret-looking values inside the matrix: the errors must not echo them. */
export const BAD_INPUT_SECRETS = {
    "kafka password in bad input": "kafka-pw-never-shown",
    "postgres password in bad input": "pg-pw-never-shown",
    "query endpoint key secret in bad input": "qe-secret-never-shown",
    "service password in bad input": "Sup3r-secret-pw",
};

/** The program every bad-input preview runs: one resource, read from BAD_INPUT_CASE. */
export const BAD_INPUT_PROGRAM = `
import * as clickhouse from "pulumi-clickhouse-cloud";
const c = JSON.parse(process.env.BAD_INPUT_CASE ?? "{}");
const Klass = (clickhouse as any)[c.kind];
new Klass(c.id, c.args);
`;
