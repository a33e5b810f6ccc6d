import type { ClickPipeState, ServiceState } from "../provider/api/types";
import { SERVICE_STATES } from "../provider/api/catalog";
import { ApiError } from "./errors";
import { isUuid } from "./ids";
import { entriesOf, member } from "./json";
import { arr, bool, int, num, obj, Schema, str, validate } from "./validation";

/**
 * Shapes of the stored records, checked when a data file is loaded and after every control-API
 * patch: a record the code cannot handle is refused where it enters, with its name, instead of
 * making every later request fail with a generic 500.
 */

export const PIPE_STATES = [
    "Unknown",
    "Provisioning",
    "Running",
    "Degraded",
    "Stopping",
    "Stopped",
    "Failed",
    "Completed",
    "InternalError",
    "Setup",
    "Snapshot",
    "Paused",
    "Pausing",
    "Modifying",
    "Resync",
] as const satisfies readonly ClickPipeState[];

// Each list is every state of the document's enum: a state the document adds or drops fails to compile here.
const _everyServiceState: [ServiceState] extends [(typeof SERVICE_STATES)[number]] ? true : never = true;
const _everyPipeState: [ClickPipeState] extends [(typeof PIPE_STATES)[number]] ? true : never = true;

const serviceStates: readonly string[] = SERVICE_STATES;
const pipeStates: readonly string[] = PIPE_STATES;
/** Whether a state is one of the states a service (or a ClickPipe) reports. */
export const isServiceState = (s: string): s is ServiceState => serviceStates.includes(s);
export const isPipeState = (s: string): s is ClickPipeState => pipeStates.includes(s);

/** Timestamps (ms since 1970) up to the year 3000: far enough for any clock advance, and always a valid Date. */
export const MAX_TIME_MS = 32503680000000;
/** The virtual clock may run at most 100 years ahead (or behind) of wall time. */
export const MAX_CLOCK_OFFSET_MS = 100 * 365.25 * 24 * 3600 * 1000;

const time = num({ minimum: 0, maximum: MAX_TIME_MS });
const text = (maxLength = 4096) => str({ maxLength });
const loose = obj({}, { loose: true });
const pending = arr(obj({ state: str({ minLength: 1, maxLength: 32 }), at: time }, { required: ["state", "at"] }), { maxItems: 100 });
const memory = num({ minimum: 0, maximum: 100000 });
const count = int({ minimum: 0, maximum: 10000 });

export const ServiceRecordSchema = obj(
    {
        id: str({ format: "uuid" }),
        name: text(256),
        provider: str({ enum: ["aws", "gcp", "azure"] }),
        region: text(64),
        tier: text(64),
        state: str({ enum: SERVICE_STATES }),
        clickhouseVersion: text(64),
        hostPrefix: str({ pattern: /^[a-z0-9]{1,63}$/ }),
        ipAccessList: arr(obj({ source: text(64), description: text() }, { required: ["source"] }), { maxItems: 10000 }),
        autoscalingMode: str({ enum: ["vertical", "horizontal"] }),
        minReplicaMemoryGb: memory,
        maxReplicaMemoryGb: memory,
        numReplicas: count,
        minReplicas: count,
        maxReplicas: count,
        idleScaling: bool(),
        idleTimeoutMinutes: num({ minimum: 0, maximum: 1e7 }),
        createdAt: time,
        privateEndpointIds: arr(text(512), { maxItems: 10000 }),
        dataWarehouseId: text(64),
        isPrimary: bool(),
        isReadonly: bool(),
        releaseChannel: text(32),
        mysqlEnabled: bool(),
        tags: arr(obj({ key: text(128), value: text(256) }, { required: ["key"] }), { maxItems: 1000 }),
        enableCoreDumps: bool(),
        hasTransparentDataEncryption: bool(),
        iamRole: text(),
        complianceType: text(32),
        profile: text(64),
        byocId: text(256),
        transparentDataEncryptionKeyId: text(),
        encryptionAssumedRoleIdentifier: text(),
        encryptionKey: text(),
        encryptionRoleId: text(),
        backupId: text(64),
        backup: obj(
            {
                backupPeriodInHours: num({ minimum: 1, maximum: 100000 }),
                backupRetentionPeriodInHours: num({ minimum: 1, maximum: 100000 }),
                backupStartTime: str({ pattern: /^([01][0-9]|2[0-3]):[0-5][0-9]$/ }),
            },
            { required: ["backupPeriodInHours", "backupRetentionPeriodInHours"] },
        ),
        secrets: obj({ passwordHash: text(), doubleSha1Hash: text(), encryptionKey: text() }, { required: ["passwordHash"] }),
        pending,
        activeSince: time,
        stoppedAt: time,
        realPorts: obj(
            {
                http: int({ minimum: 1, maximum: 65535 }),
                https: int({ minimum: 1, maximum: 65535 }),
                tcp: int({ minimum: 1, maximum: 65535 }),
                tcpSecure: int({ minimum: 1, maximum: 65535 }),
            },
            { required: ["http", "https", "tcp", "tcpSecure"] },
        ),
    },
    {
        required: [
            "id",
            "name",
            "provider",
            "region",
            "state",
            "clickhouseVersion",
            "hostPrefix",
            "ipAccessList",
            "autoscalingMode",
            "minReplicaMemoryGb",
            "maxReplicaMemoryGb",
            "numReplicas",
            "minReplicas",
            "maxReplicas",
            "idleScaling",
            "idleTimeoutMinutes",
            "createdAt",
            "privateEndpointIds",
            "dataWarehouseId",
            "isPrimary",
            "isReadonly",
            "releaseChannel",
            "mysqlEnabled",
            "tags",
            "enableCoreDumps",
            "hasTransparentDataEncryption",
            "iamRole",
            "backup",
            "secrets",
            "pending",
            "activeSince",
        ],
    },
);

export const PipeRecordSchema = obj(
    {
        id: str({ format: "uuid" }),
        serviceId: str({ format: "uuid" }),
        name: text(255),
        state: str({ enum: PIPE_STATES }),
        scaling: obj(
            {
                replicas: count,
                concurrency: count,
                replicaCpuMillicores: int({ minimum: 0, maximum: 1e6 }),
                replicaMemoryGb: num({ minimum: 0, maximum: 1e4 }),
            },
            { required: ["replicas", "replicaCpuMillicores", "replicaMemoryGb"] },
        ),
        sourceKind: text(32),
        source: loose,
        destination: loose,
        fieldMappings: arr(obj({ sourceField: text(), destinationField: text() }, { required: ["sourceField", "destinationField"] }), {
            maxItems: 10000,
        }),
        settings: loose,
        createdAt: time,
        updatedAt: time,
        pending,
        secrets: loose,
        realLoad: loose,
    },
    {
        required: [
            "id",
            "serviceId",
            "name",
            "state",
            "scaling",
            "sourceKind",
            "source",
            "destination",
            "fieldMappings",
            "createdAt",
            "updatedAt",
            "pending",
            "secrets",
        ],
    },
);

export const QueryEndpointRecordSchema = obj(
    {
        id: str({ format: "uuid" }),
        serviceId: str({ format: "uuid" }),
        roles: arr(text(64), { maxItems: 100 }),
        openApiKeys: arr(text(256), { maxItems: 1000 }),
        allowedOrigins: text(),
    },
    { required: ["id", "serviceId", "roles", "openApiKeys", "allowedOrigins"] },
);

export const GenericRecordSchema = obj({ value: { type: "any" }, createdAt: time }, { required: ["value", "createdAt"] });

export const OrganizationRecordSchema = obj(
    { tiers: str({ enum: ["current", "legacy"] }), name: text(256), enableCoreDumps: bool() },
    { required: ["tiers", "enableCoreDumps"] },
);

export const PrivateEndpointRecordSchema = obj(
    { id: text(512), description: text(), cloudProvider: text(16), region: text(64) },
    { required: ["id", "description", "cloudProvider", "region"] },
);

/** Throws the validation message of the first field of `value` that breaks `schema`, named from `where`. */
export function checkRecord(schema: Schema, value: unknown, where: string): void {
    try {
        validate(schema, value, where);
    } catch (e) {
        if (e instanceof ApiError) throw new RecordError(e.detail);
        throw e;
    }
}

/** A stored record that breaks its shape; the message names the record and the field. */
export class RecordError extends Error {}

/** Checks a map of records: each key a UUID equal to the record's own id (or `keyField`). */
export function checkRecordMap(name: string, map: object, schema: Schema, keyField = "id"): void {
    for (const [key, rec] of entriesOf(map)) {
        const where = `${name}[${JSON.stringify(key)}]`;
        if (!isUuid(key)) throw new RecordError(`${where}: the key must be a UUID`);
        checkRecord(schema, rec, where);
        if (member(rec, keyField) !== key)
            throw new RecordError(`${where}.${keyField}: must equal the key <string:${member(rec, keyField)}>`);
    }
}
