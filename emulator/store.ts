import * as fs from "fs";
import { pidAlive } from "../provider/processes";
import * as os from "os";
import * as path from "path";
import type {
    ApiKey,
    BackupConfiguration,
    ClickPipe,
    ClickPipeMutateDestination,
    ClickPipeScaling,
    ClickPipeState,
    Organization,
    OrganizationPrivateEndpoint,
    ResourceTagsV1,
    Service,
    ServicePostRequest,
    ServiceQueryAPIEndpoint,
    ServiceState,
} from "../provider/api/types";
import type { FieldMapping, IpEntry, PipeSourceKind } from "./schemas";
import type { GenericRecord } from "./generic";
import { member } from "./json";
import type { WithRequired } from "./validation";
import {
    checkRecord,
    checkRecordMap,
    GenericRecordSchema,
    MAX_CLOCK_OFFSET_MS,
    MAX_TIME_MS,
    OrganizationRecordSchema,
    PipeRecordSchema,
    PrivateEndpointRecordSchema,
    QueryEndpointRecordSchema,
    RecordError,
    ServiceRecordSchema,
} from "./records";

/**
 * The emulator's records. Each is typed from the generated API type of what it answers (fields the
 * emulator always keeps are required), plus the emulator's own fields: secrets, times in
 * milliseconds, planned transitions. The views (serviceView, pipeView...) turn them into the API's
 * types, which the compiler checks against the OpenAPI document.
 */

/** A state change planned on the virtual clock; `gone` removes the object (after terminating/deleting). */
export interface Pending<S extends string = string> {
    state: S | "gone";
    at: number;
}

export type Tag = ResourceTagsV1;
export type { IpEntry };

/** The backup configuration a service keeps (`BackupConfiguration` with its two periods always set). */
export type BackupSettings = WithRequired<BackupConfiguration, "backupPeriodInHours" | "backupRetentionPeriodInHours">;

/** Fields of `Service` every service record has, as the API answers them. */
type KeptServiceFields =
    | "id"
    | "name"
    | "provider"
    | "region"
    | "state"
    | "clickhouseVersion"
    | "autoscalingMode"
    | "minReplicaMemoryGb"
    | "maxReplicaMemoryGb"
    | "numReplicas"
    | "minReplicas"
    | "maxReplicas"
    | "idleScaling"
    | "idleTimeoutMinutes"
    | "privateEndpointIds"
    | "dataWarehouseId"
    | "isPrimary"
    | "isReadonly"
    | "releaseChannel"
    | "enableCoreDumps"
    | "hasTransparentDataEncryption"
    | "iamRole";
/** Fields of `Service` a service record has when they are set. */
type OptionalServiceFields =
    | "tier"
    | "complianceType"
    | "profile"
    | "byocId"
    | "transparentDataEncryptionKeyId"
    | "encryptionAssumedRoleIdentifier"
    | "encryptionKey"
    | "encryptionRoleId";

export interface ServiceRecord extends Required<Pick<Service, KeptServiceFields>>, Pick<Service, OptionalServiceFields> {
    // `tier`: only on legacy organizations; services of the current tiers have none.
    // `encryptionKey`: the customer KMS key (an ARN, not key material): the spec answers it on `Service`.
    // `encryptionRoleId`: the role the service uses for transparent data encryption; answered when TDE is on (spec).
    ipAccessList: IpEntry[];
    tags: Tag[];
    /** ms since 1970 (answered as an ISO time). */
    createdAt: number;
    hostPrefix: string;
    /** Whether the MySQL endpoint is on (`endpoints` of the requests; the view lists it then). */
    mysqlEnabled: boolean;
    /** The backup the service was restored from. */
    backupId?: ServicePostRequest["backupId"];
    backup: BackupSettings;
    /** Write-only values: never part of any answer, the log or the control API's objects. */
    secrets: {
        passwordHash: string;
        doubleSha1Hash?: string;
        /** Where files of earlier versions kept the KMS key. */ encryptionKey?: string;
    };
    pending: Pending<ServiceState>[];
    /** When the service last became running (start, awake, provisioning done): idle timeouts count from here. */
    activeSince: number;
    /** When the service last reached `stopped` (for the delete-after-stop quirk). */
    stoppedAt?: number;
    /** The loopback ports of the service's real server (./realServers.ts), kept across restarts of the emulator. */
    realPorts?: { http: number; https: number; tcp: number; tcpSecure: number };
}

export interface PipeRecord extends Required<Pick<ClickPipe, "id" | "serviceId" | "name" | "state">>, Pick<ClickPipe, "settings"> {
    scaling: WithRequired<ClickPipeScaling, "replicas" | "replicaCpuMillicores" | "replicaMemoryGb">;
    sourceKind: PipeSourceKind;
    /** The source of the pipe's kind, as answered (without its write-only fields): its fields depend on the kind. */
    source: Record<string, unknown>;
    /** As posted (the view leaves out `roles`, which `ClickPipe.destination` does not have). */
    destination: ClickPipeMutateDestination;
    fieldMappings: FieldMapping[];
    /** ms since 1970 (answered as ISO times). */
    createdAt: number;
    updatedAt: number;
    pending: Pending<ClickPipeState>[];
    /** What loading the pipe's rows into a real server did (./realPipes.ts), once it has. */
    realLoad?: { at: number; rows?: number; skipped?: string; error?: string };
    /** Write-only credentials, keyed by their path in the source object. */
    secrets: Record<string, unknown>;
}

/** A service's query endpoint (`ServiceQueryAPIEndpoint`), kept by the id of its service. */
export interface QueryEndpointRecord extends Required<ServiceQueryAPIEndpoint> {
    serviceId: string;
}

/** A private endpoint registered with the organization (`Organization.privateEndpoints`). */
export type OrgPrivateEndpoint = Required<OrganizationPrivateEndpoint>;

/**
 * Organization tiers: `current` (BASIC, SCALE, ENTERPRISE; services have no `tier`) or `legacy`
 * (services are `development` or `production`).
 */
export type OrganizationTiers = "current" | "legacy";

export interface OrganizationRecord extends Required<Pick<Organization, "enableCoreDumps">>, Pick<Organization, "name"> {
    tiers: OrganizationTiers;
    // `name`: set by `PATCH /organizations/{id}`; the default name otherwise.
}

/** An API key (`ApiKey`) as stored under `/keys/<id>` of the generic store; the hashes never leave it. */
export interface KeyRecord
    extends Required<Pick<ApiKey, "id" | "name" | "state" | "roles" | "keySuffix" | "createdAt">>, Pick<ApiKey, "expireAt" | "usedAt"> {
    assignedRoleIds: string[];
    ipAccessList: IpEntry[];
    /** base64(sha256(key id)), base64(sha256(secret)) as the spec's `hashData`; absent for the emulator's own key. */
    keyIdHash?: string;
    keySecretHash?: string;
    primary?: boolean;
}

export interface StoreData {
    version: 1;
    organization: OrganizationRecord;
    clockOffsetMs: number;
    organizationCreatedAt: number;
    services: Record<string, ServiceRecord>;
    clickpipes: Record<string, PipeRecord>;
    queryEndpoints: Record<string, QueryEndpointRecord>;
    privateEndpoints: OrgPrivateEndpoint[];
    /** Objects of the operations answered by the generic layer, by their path below the organization. */
    generic: Record<string, GenericRecord>;
}

// Crash reports on by default, as services default to them (the earlier `false` contradicted the spec's rule).
export const defaultOrganization = (): OrganizationRecord => ({ tiers: "current", enableCoreDumps: true });

/** A map of records by id without a prototype: `map["__proto__"]` or `map["constructor"]` is just a missing id. */
export function dict<T>(entries: Record<string, T> = {}): Record<string, T> {
    // Object.create answers `any`: the object without a prototype is the empty map of records.
    return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export function emptyData(now: number): StoreData {
    return {
        version: 1,
        organization: defaultOrganization(),
        clockOffsetMs: 0,
        organizationCreatedAt: now,
        services: dict(),
        clickpipes: dict(),
        queryEndpoints: dict(),
        privateEndpoints: [],
        generic: dict(),
    };
}

/** Error thrown when the data file cannot be used; the emulator refuses to start and leaves the file untouched. */
export class DataFileError extends Error {}

/** Reads the data file; a missing file means a fresh start, anything unreadable is refused (never overwritten). */
export function loadData(file: string, now: number): StoreData {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if (member(e, "code") === "ENOENT") return emptyData(now);
        throw new DataFileError(`emulator: cannot read data file ${file}: ${member(e, "message")}`);
    }
    const refuse = (why: string) =>
        new DataFileError(
            `emulator: data file ${file} is not a valid emulator state file (${why}); refusing to start so it is not overwritten. Fix or move it, or choose another --data-file.`,
        );
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (e) {
        throw refuse(`invalid JSON: ${member(e, "message")}`);
    }
    // What a data file holds, to be checked field by field below: each record against its schema (records.ts).
    const d = data as Partial<StoreData> | null;
    if (typeof d !== "object" || d === null || Array.isArray(d)) throw refuse("not a JSON object");
    if (d.version !== 1) throw refuse(`unknown version ${JSON.stringify(d.version)}`);
    const mapOf = <K extends "services" | "clickpipes" | "queryEndpoints">(key: K): NonNullable<StoreData[K]> => {
        const map = d[key];
        if (typeof map !== "object" || map === null || Array.isArray(map)) throw refuse(`"${key}" must be an object`);
        return map;
    };
    const services = mapOf("services");
    const clickpipes = mapOf("clickpipes");
    const queryEndpoints = mapOf("queryEndpoints");
    if (!Array.isArray(d.privateEndpoints)) throw refuse(`"privateEndpoints" must be an array`);
    if (typeof d.clockOffsetMs !== "number" || !(Math.abs(d.clockOffsetMs) <= MAX_CLOCK_OFFSET_MS))
        throw refuse(
            `"clockOffsetMs" must be a number of milliseconds between -${MAX_CLOCK_OFFSET_MS} and ${MAX_CLOCK_OFFSET_MS} (100 years), got ${JSON.stringify(d.clockOffsetMs)}`,
        );
    if (
        d.organizationCreatedAt !== undefined &&
        !(typeof d.organizationCreatedAt === "number" && d.organizationCreatedAt >= 0 && d.organizationCreatedAt <= MAX_TIME_MS)
    )
        throw refuse(`"organizationCreatedAt" must be a time in milliseconds, got ${JSON.stringify(d.organizationCreatedAt)}`);
    try {
        if (d.organization !== undefined) checkRecord(OrganizationRecordSchema, d.organization, "organization");
        checkRecordMap("services", services, ServiceRecordSchema);
        checkRecordMap("clickpipes", clickpipes, PipeRecordSchema);
        for (const [id, p] of Object.entries(clickpipes))
            if (!Object.prototype.hasOwnProperty.call(services, p.serviceId))
                throw new RecordError(`clickpipes[${JSON.stringify(id)}].serviceId: no service ${p.serviceId} in "services"`);
        checkRecordMap("queryEndpoints", queryEndpoints, QueryEndpointRecordSchema, "serviceId");
        d.privateEndpoints.forEach((pe, i) => checkRecord(PrivateEndpointRecordSchema, pe, `privateEndpoints[${i}]`));
        if (d.generic !== undefined) {
            if (typeof d.generic !== "object" || d.generic === null || Array.isArray(d.generic))
                throw new RecordError(`generic: must be an object`);
            for (const [k, rec] of Object.entries(d.generic)) {
                if (!/^\/[^\s]*$/.test(k) || k.includes("/../") || k.includes("__proto__"))
                    throw new RecordError(`generic[${JSON.stringify(k)}]: the key must be a path`);
                checkRecord(GenericRecordSchema, rec, `generic[${JSON.stringify(k)}]`);
            }
        }
    } catch (e) {
        if (e instanceof RecordError) throw refuse(`record ${e.message}`);
        throw e;
    }
    return {
        ...d,
        version: d.version,
        clockOffsetMs: d.clockOffsetMs,
        privateEndpoints: d.privateEndpoints,
        organizationCreatedAt: typeof d.organizationCreatedAt === "number" ? d.organizationCreatedAt : now,
        // Files of earlier versions have no organization record: their services all carry a tier.
        organization: d.organization ?? { ...defaultOrganization(), tiers: "legacy" },
        services: dict(services),
        clickpipes: dict(clickpipes),
        queryEndpoints: dict(queryEndpoints),
        generic: dict(d.generic ?? {}),
    };
}

/** Writes atomically: a temporary file in the same directory, then rename over the target. */
export function saveData(file: string, data: StoreData): void {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(data, null, 1));
    fs.renameSync(tmp, file);
}

const heldLocks = new Set<string>();

function lockHolder(lock: string): { pid: number; host: string } | undefined {
    try {
        const held: unknown = JSON.parse(fs.readFileSync(lock, "utf8"));
        const pid = member(held, "pid");
        return typeof pid === "number" ? { pid, host: String(member(held, "host") ?? "") } : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Takes `<file>.lock` so that two emulators never share a data file (each would overwrite the
 * other's objects). A lock left by a process that no longer runs on this host is taken over.
 * Returns the release function; the lock is also removed when the process exits.
 */
export function lockDataFile(file: string): () => void {
    const lock = path.resolve(file) + ".lock";
    const body = JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() });
    for (let attempt = 0; ; attempt++) {
        try {
            fs.writeFileSync(lock, body, { flag: "wx" });
            break;
        } catch (e) {
            const code = member(e, "code");
            if (code !== "EEXIST")
                throw new DataFileError(`emulator: cannot create the lock file ${lock} of data file ${file}: ${member(e, "message")}`);
            const holder = lockHolder(lock);
            const stale =
                holder !== undefined &&
                holder.host === os.hostname() &&
                !heldLocks.has(lock) &&
                (holder.pid === process.pid || !pidAlive(holder.pid));
            if (stale && attempt === 0) {
                fs.rmSync(lock, { force: true });
                continue;
            }
            throw new DataFileError(
                `emulator: data file ${file} is in use by another emulator${holder ? ` (pid ${holder.pid}${holder.host !== os.hostname() ? ` on ${holder.host}` : ""})` : ""}; ` +
                    `stop it or choose another --data-file. If no emulator uses it, delete the lock file ${lock}.`,
            );
        }
    }
    heldLocks.add(lock);
    const onExit = () => fs.rmSync(lock, { force: true });
    process.once("exit", onExit);
    let released = false;
    return () => {
        if (released) return;
        released = true;
        heldLocks.delete(lock);
        process.removeListener("exit", onExit);
        fs.rmSync(lock, { force: true });
    };
}
