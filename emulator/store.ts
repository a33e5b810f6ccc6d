import * as fs from "fs";
import * as path from "path";

/** A state change planned on the virtual clock; `gone` removes the object (after terminating/deleting). */
export interface Pending { state: string; at: number }

export interface Tag { key: string; value?: string }
export interface IpEntry { source: string; description?: string }

export interface BackupSettings { backupPeriodInHours: number; backupRetentionPeriodInHours: number; backupStartTime?: string }

export interface ServiceRecord {
    id: string; name: string; provider: "aws" | "gcp" | "azure"; region: string; tier: string; state: string;
    clickhouseVersion: string; hostPrefix: string; ipAccessList: IpEntry[];
    autoscalingMode: "vertical" | "horizontal"; minReplicaMemoryGb: number; maxReplicaMemoryGb: number;
    numReplicas: number; minReplicas: number; maxReplicas: number;
    idleScaling: boolean; idleTimeoutMinutes: number; createdAt: number;
    privateEndpointIds: string[]; dataWarehouseId: string; isPrimary: boolean; isReadonly: boolean; releaseChannel: string;
    mysqlEnabled: boolean; tags: Tag[]; enableCoreDumps: boolean; hasTransparentDataEncryption: boolean;
    iamRole: string; complianceType?: string; profile?: string; byocId?: string; transparentDataEncryptionKeyId?: string;
    encryptionAssumedRoleIdentifier?: string; backupId?: string;
    backup: BackupSettings;
    /** Write-only values: never part of any answer, the log or the control API's objects. */
    secrets: { passwordHash: string; doubleSha1Hash?: string; encryptionKey?: string };
    pending: Pending[];
    /** When the service last became running (start, awake, provisioning done): idle timeouts count from here. */
    activeSince: number;
    /** When the service last reached `stopped` (for the delete-after-stop quirk). */
    stoppedAt?: number;
}

export interface PipeRecord {
    id: string; serviceId: string; name: string; state: string;
    scaling: { replicas: number; concurrency?: number; replicaCpuMillicores: number; replicaMemoryGb: number };
    sourceKind: string; source: Record<string, unknown>;
    destination: Record<string, unknown>; fieldMappings: { sourceField: string; destinationField: string }[];
    settings?: Record<string, unknown>; createdAt: number; updatedAt: number; pending: Pending[];
    /** Write-only credentials, keyed by their path in the source object. */
    secrets: Record<string, unknown>;
}

export interface QueryEndpointRecord { id: string; serviceId: string; roles: string[]; openApiKeys: string[]; allowedOrigins: string }
export interface OrgPrivateEndpoint { id: string; description: string; cloudProvider: string; region: string }

export interface StoreData {
    version: 1;
    clockOffsetMs: number;
    organizationCreatedAt: number;
    services: Record<string, ServiceRecord>;
    clickpipes: Record<string, PipeRecord>;
    queryEndpoints: Record<string, QueryEndpointRecord>;
    privateEndpoints: OrgPrivateEndpoint[];
}

/** A map of records by id without a prototype: `map["__proto__"]` or `map["constructor"]` is just a missing id. */
export function dict<T>(entries: Record<string, T> = {}): Record<string, T> {
    return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export function emptyData(now: number): StoreData {
    return { version: 1, clockOffsetMs: 0, organizationCreatedAt: now, services: dict(), clickpipes: dict(), queryEndpoints: dict(), privateEndpoints: [] };
}

/** Error thrown when the data file cannot be used; the emulator refuses to start and leaves the file untouched. */
export class DataFileError extends Error {}

/** Reads the data file; a missing file means a fresh start, anything unreadable is refused (never overwritten). */
export function loadData(file: string, now: number): StoreData {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyData(now);
        throw new DataFileError(`emulator: cannot read data file ${file}: ${(e as Error).message}`);
    }
    const refuse = (why: string) =>
        new DataFileError(`emulator: data file ${file} is not a valid emulator state file (${why}); refusing to start so it is not overwritten. Fix or move it, or choose another --data-file.`);
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (e) {
        throw refuse(`invalid JSON: ${(e as Error).message}`);
    }
    const d = data as Partial<StoreData>;
    if (typeof d !== "object" || d === null || Array.isArray(d)) throw refuse("not a JSON object");
    if (d.version !== 1) throw refuse(`unknown version ${JSON.stringify(d.version)}`);
    for (const key of ["services", "clickpipes", "queryEndpoints"] as const)
        if (typeof d[key] !== "object" || d[key] === null || Array.isArray(d[key])) throw refuse(`"${key}" must be an object`);
    if (!Array.isArray(d.privateEndpoints)) throw refuse(`"privateEndpoints" must be an array`);
    if (typeof d.clockOffsetMs !== "number") throw refuse(`"clockOffsetMs" must be a number`);
    return {
        ...(d as StoreData), organizationCreatedAt: typeof d.organizationCreatedAt === "number" ? d.organizationCreatedAt : now,
        services: dict(d.services), clickpipes: dict(d.clickpipes), queryEndpoints: dict(d.queryEndpoints),
    };
}

/** Writes atomically: a temporary file in the same directory, then rename over the target. */
export function saveData(file: string, data: StoreData): void {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(data, null, 1));
    fs.renameSync(tmp, file);
}
