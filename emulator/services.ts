import * as net from "net";
import type { ServicePasswordPatchResponse, ServicePostResponse, ServiceReplicaScalingPatchRequest } from "../provider/api/types";
import { Handler } from "./context";
import { Core } from "./core";
import { badRequest, conflict } from "./errors";
import { doubleSha1Hex, generatePassword, newId, randomString, sha256Base64, stableUuid } from "./ids";
import { findBackup } from "./backups";
import * as S from "./schemas";
import { serviceView } from "./serviceView";
import { IpEntry, ServiceRecord, Tag } from "./store";
import { validate } from "./validation";

/** States from which DELETE is accepted (api-facts, from a public issue); the message is the real one. */
export const DELETABLE_STATES: readonly ServiceRecord["state"][] = [
    "provisioning",
    "starting",
    "awaking",
    "idle",
    "stopped",
    "degraded",
    "failed",
];

export function viewOf(core: Core, svc: ServiceRecord) {
    const attached = new Set(svc.privateEndpointIds);
    const available = core.data.privateEndpoints
        .filter((pe) => pe.cloudProvider === svc.provider && pe.region === svc.region && !attached.has(pe.id))
        .map((pe) => pe.id);
    return serviceView(svc, available, core.realServers?.place(svc));
}

const isDevelopment = (svc: { tier?: string }) => svc.tier === "development";

/** Accepts an IPv4/IPv6 address or CIDR block, as the ipAccessList requires. */
function checkIpSource(source: string, path: string) {
    const [addr, prefix, extra] = source.split("/");
    const family = net.isIP(addr);
    const max = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (!family || !prefixOk || extra !== undefined)
        throw badRequest(`${path}: The value must be an IP address or a CIDR block <string:${source}>`);
}

function checkIpList(list: IpEntry[] | undefined, path: string) {
    (list ?? []).forEach((e, i) => checkIpSource(e.source, `${path}[${i}].source`));
}

function mergeTags(tags: Tag[], add: Tag[] = []): Tag[] {
    const out = [...tags];
    for (const t of add) {
        const i = out.findIndex((x) => x.key === t.key);
        const tag = t.value === undefined ? { key: t.key } : { key: t.key, value: t.value };
        if (i >= 0) out[i] = tag;
        else out.push(tag);
    }
    return out;
}

/** The replica and memory fields of create and replicaScaling. */
type ReplicaSettings = Pick<
    ServiceReplicaScalingPatchRequest,
    "numReplicas" | "minReplicas" | "maxReplicas" | "minReplicaMemoryGb" | "maxReplicaMemoryGb"
>;

/** Memory and replica rules shared by create and the two scaling endpoints (beyond the per-field schema). */
function checkReplicaSettings(b: ReplicaSettings, mode: ServiceRecord["autoscalingMode"], current?: ServiceRecord) {
    if (b.numReplicas !== undefined && (b.minReplicas !== undefined || b.maxReplicas !== undefined))
        throw badRequest("request body.numReplicas: numReplicas is mutually exclusive with minReplicas/maxReplicas");
    if ((b.minReplicas === undefined) !== (b.maxReplicas === undefined))
        throw badRequest("request body.minReplicas: minReplicas and maxReplicas must be provided together");
    // Both or neither (checked above).
    if (b.minReplicas !== undefined && b.maxReplicas !== undefined && b.minReplicas > b.maxReplicas)
        throw badRequest(
            `request body.minReplicas: minReplicas (${b.minReplicas}) must be less than or equal to maxReplicas (${b.maxReplicas})`,
        );
    if (mode === "vertical" && b.minReplicas !== undefined && b.minReplicas !== b.maxReplicas)
        throw badRequest("request body.minReplicas: a minReplicas/maxReplicas band requires autoscalingMode 'horizontal'");
    if (mode === "horizontal" && b.numReplicas !== undefined)
        throw badRequest("request body.numReplicas: numReplicas applies to vertical autoscaling; use minReplicas/maxReplicas");
    const min = b.minReplicaMemoryGb ?? current?.minReplicaMemoryGb;
    const max = b.maxReplicaMemoryGb ?? current?.maxReplicaMemoryGb;
    if (
        mode === "horizontal" &&
        b.minReplicaMemoryGb !== undefined &&
        b.maxReplicaMemoryGb !== undefined &&
        b.minReplicaMemoryGb !== b.maxReplicaMemoryGb
    )
        throw badRequest("request body.minReplicaMemoryGb: in horizontal autoscaling minReplicaMemoryGb must equal maxReplicaMemoryGb");
    if (mode === "vertical" && min !== undefined && max !== undefined && min > max)
        throw badRequest(
            `request body.minReplicaMemoryGb: minReplicaMemoryGb (${min}) must be less than or equal to maxReplicaMemoryGb (${max})`,
        );
}

const MEMORY_FIELDS = [
    "minTotalMemoryGb",
    "maxTotalMemoryGb",
    "minReplicaMemoryGb",
    "maxReplicaMemoryGb",
    "numReplicas",
    "minReplicas",
    "maxReplicas",
    "autoscalingMode",
] as const;

/** A development service is fixed size (spec: "Development are fixed size"); refusing is inferred from the Terraform provider's rules. */
function refuseDevelopmentScaling(b: Partial<Record<(typeof MEMORY_FIELDS)[number], unknown>>) {
    const field = MEMORY_FIELDS.find((f) => b[f] !== undefined);
    if (field) throw badRequest(`request body.${field}: cannot update memory or replica settings for development tier service`);
}

function fakeIamRole(svc: { name: string; hostPrefix: string; provider: string }) {
    if (svc.provider !== "aws") return "";
    const account = String(parseInt(svc.hostPrefix.slice(0, 6), 36) % 1e12).padStart(12, "4");
    return `arn:aws:iam::${account}:role/CH-S3-${svc.hostPrefix}-Role`;
}

/** The identity a TDE service uses with the customer's key, in each cloud's shape (inferred; the spec says only "the ID of the IAM role"). */
function tdeRoleId(svc: { hostPrefix: string; provider: string }) {
    const account = String(parseInt(svc.hostPrefix.slice(0, 6), 36) % 1e12).padStart(12, "4");
    if (svc.provider === "aws") return `arn:aws:iam::${account}:role/CH-TDE-${svc.hostPrefix}-Role`;
    if (svc.provider === "gcp") return `ch-tde-${svc.hostPrefix}@clickhouse-cloud-${account}.iam.gserviceaccount.com`;
    return stableUuid(`tde/${svc.hostPrefix}`);
}

/** "When disabled at the organization level, individual services cannot enable crash reports" (spec, Organization.enableCoreDumps). */
function refuseCoreDumpsAgainstOrganization(core: Core, wanted: unknown) {
    if (wanted === true && !core.data.organization.enableCoreDumps)
        throw badRequest(
            "request body.enableCoreDumps: crash reports are disabled for the organization, so a service cannot enable them <boolean:true>",
        );
}

export const listServices: Handler = ({ core, query }) => {
    core.settle();
    const filters = query
        .getAll("filter")
        .flatMap((f) => f.split(","))
        .filter((f) => f !== "");
    const tagFilters = filters.map((f) => {
        const m = /^tag:([^=]+)(?:=(.*))?$/.exec(f);
        if (!m) throw badRequest(`request query.filter: Only tag filters are supported ('tag:Key' or 'tag:Key=Value') <string:${f}>`);
        return { key: m[1], value: m[2] };
    });
    const services = Object.values(core.data.services)
        .filter((s) => tagFilters.every((f) => s.tags.some((t) => t.key === f.key && (f.value === undefined || t.value === f.value))))
        .sort((a, b) => a.createdAt - b.createdAt);
    return { result: services.map((s) => viewOf(core, s)) };
};

export const createService: Handler = ({ core, body }) => {
    validate(S.ServicePostRequest, body);
    const b = body;
    core.settle();
    const provider = b.provider;
    const regions: readonly string[] = S.REGIONS[provider];
    if (!regions.includes(b.region))
        throw badRequest(`request body.region: Region '${b.region}' is not available for provider '${provider}' <string:${b.region}>`);
    // Current tiers (BASIC, SCALE, ENTERPRISE): `tier` is deprecated (spec) and "must be omitted" (Terraform
    // provider's schema); the service has none, so a tier sent is ignored (inferred: the spec still accepts it).
    const tier = core.data.organization.tiers === "legacy" ? (b.tier ?? "production") : undefined;
    if (tier === "development") {
        if (provider === "azure") throw badRequest("request body.tier: Azure services don't support Development tier <string:development>");
        refuseDevelopmentScaling(b);
        if (b.releaseChannel !== undefined && b.releaseChannel !== "default")
            throw badRequest(
                `request body.releaseChannel: release channels are only available for production services <string:${b.releaseChannel}>`,
            );
    }
    const mode = b.autoscalingMode ?? "vertical";
    if (
        (b.minTotalMemoryGb !== undefined || b.maxTotalMemoryGb !== undefined) &&
        (b.minReplicaMemoryGb !== undefined || b.maxReplicaMemoryGb !== undefined)
    )
        throw badRequest(
            "request body.minTotalMemoryGb: use either the deprecated total memory fields or the replica memory fields, not both",
        );
    if (mode === "horizontal" && (b.minTotalMemoryGb !== undefined || b.maxTotalMemoryGb !== undefined))
        throw badRequest("request body.minTotalMemoryGb: total memory settings are not available for horizontal-autoscaling services");
    checkReplicaSettings(b, mode);
    if (b.minTotalMemoryGb !== undefined && b.maxTotalMemoryGb !== undefined && b.minTotalMemoryGb > b.maxTotalMemoryGb)
        throw badRequest(
            `request body.minTotalMemoryGb: minTotalMemoryGb (${b.minTotalMemoryGb}) must be less than or equal to maxTotalMemoryGb (${b.maxTotalMemoryGb})`,
        );
    if (b.byocId !== undefined) {
        const sizes = [48, 116, 172, 232];
        for (const f of ["minReplicaMemoryGb", "maxReplicaMemoryGb"] as const) {
            const v = b[f];
            if (v === undefined || !sizes.includes(v))
                throw badRequest(
                    `request body.${f}: with byocId the value must be one of 48, 116, 172, 232 ${v === undefined ? "<undefined>" : `<number:${v}>`}`,
                );
        }
    }
    checkIpList(b.ipAccessList, "request body.ipAccessList");
    refuseCoreDumpsAgainstOrganization(core, b.enableCoreDumps);
    if (b.isReadonly && !b.dataWarehouseId)
        throw badRequest("request body.isReadonly: a service can only be read-only if a dataWarehouseId is provided <boolean:true>");
    let dataWarehouseId: string = newId();
    let isPrimary = true;
    if (b.dataWarehouseId !== undefined) {
        const primary = Object.values(core.data.services).find(
            (s) => s.isPrimary && (s.dataWarehouseId === b.dataWarehouseId || s.id === b.dataWarehouseId),
        );
        if (!primary)
            throw badRequest(`request body.dataWarehouseId: Data warehouse ${b.dataWarehouseId} not found <string:${b.dataWarehouseId}>`);
        if (primary.provider !== provider || primary.region !== b.region)
            throw badRequest(
                `request body.region: a service joining data warehouse ${primary.dataWarehouseId} must use its provider and region (${primary.provider}, ${primary.region})`,
            );
        dataWarehouseId = primary.dataWarehouseId;
        isPrimary = false;
    }
    if (b.backupId !== undefined) {
        const found = findBackup(core, b.backupId);
        if (!found) throw badRequest(`request body.backupId: Backup ${b.backupId} not found <string:${b.backupId}>`);
        if (found.service.region !== b.region || (tier !== undefined && found.service.tier !== undefined && found.service.tier !== tier))
            throw badRequest(
                "request body.backupId: the region and the tier of the new service must be the same as those of the backup's service",
            );
    }
    const dev = tier === "development";
    let minMem = b.minReplicaMemoryGb ?? (b.minTotalMemoryGb !== undefined ? b.minTotalMemoryGb / 3 : 8);
    let maxMem = b.maxReplicaMemoryGb ?? (b.maxTotalMemoryGb !== undefined ? b.maxTotalMemoryGb / 3 : Math.max(120, minMem));
    if (mode === "horizontal") minMem = maxMem = b.minReplicaMemoryGb ?? b.maxReplicaMemoryGb ?? 8;
    if (dev) minMem = maxMem = 8;
    const now = core.now();
    const password = generatePassword();
    const hostPrefix = randomString(10);
    const svc: ServiceRecord = {
        id: newId(),
        name: b.name,
        provider,
        region: b.region,
        tier,
        state: "provisioning",
        clickhouseVersion: "25.8.1.8909",
        hostPrefix,
        ipAccessList: (b.ipAccessList ?? []).map((e) => ({ ...e })),
        autoscalingMode: mode,
        minReplicaMemoryGb: minMem,
        maxReplicaMemoryGb: maxMem,
        numReplicas: dev ? 1 : (b.numReplicas ?? b.minReplicas ?? 3),
        minReplicas: b.minReplicas ?? b.numReplicas ?? 3,
        maxReplicas: b.maxReplicas ?? b.numReplicas ?? 3,
        idleScaling: b.idleScaling ?? true,
        idleTimeoutMinutes: b.idleTimeoutMinutes ?? 15,
        createdAt: now,
        privateEndpointIds: [...new Set<string>(b.privateEndpointIds ?? [])],
        dataWarehouseId,
        isPrimary,
        isReadonly: b.isReadonly ?? false,
        releaseChannel: b.releaseChannel ?? "default",
        mysqlEnabled: (b.endpoints ?? []).some((e) => e.protocol === "mysql" && e.enabled),
        tags: mergeTags([], b.tags),
        enableCoreDumps: b.enableCoreDumps ?? core.data.organization.enableCoreDumps,
        hasTransparentDataEncryption: b.hasTransparentDataEncryption ?? false,
        iamRole: "",
        complianceType: b.complianceType,
        profile: b.profile,
        byocId: b.byocId,
        encryptionAssumedRoleIdentifier: b.encryptionAssumedRoleIdentifier,
        backupId: b.backupId,
        backup: { backupPeriodInHours: 24, backupRetentionPeriodInHours: 24 },
        encryptionKey: b.encryptionKey,
        secrets: { passwordHash: sha256Base64(password), doubleSha1Hash: doubleSha1Hex(password) },
        pending: [],
        activeSince: now,
    };
    svc.iamRole = fakeIamRole(svc);
    if (svc.hasTransparentDataEncryption) svc.encryptionRoleId = tdeRoleId(svc);
    core.data.services[svc.id] = svc;
    core.schedule(svc, [["running", "provisioning"]]);
    const result: ServicePostResponse = { service: viewOf(core, svc), password };
    return { result };
};

export const getService: Handler = ({ core, params }) => ({ result: viewOf(core, core.service(params.serviceId)) });

export const patchService: Handler = ({ core, params, body }) => {
    validate(S.ServicePatchRequest, body);
    const b = body;
    const svc = core.service(params.serviceId);
    if (b.releaseChannel !== undefined && b.releaseChannel !== "default" && isDevelopment(svc))
        throw badRequest(
            `request body.releaseChannel: release channels are only available for production services <string:${b.releaseChannel}>`,
        );
    if (b.transparentDataEncryptionKeyId !== undefined && !svc.hasTransparentDataEncryption)
        throw badRequest("request body.transparentDataEncryptionKeyId: only available for services with transparent data encryption");
    checkIpList(b.ipAccessList?.add, "request body.ipAccessList.add");
    if (b.name !== undefined) svc.name = b.name;
    // The spec applies `remove` before `add`; removal entries may carry only `source`.
    if (b.ipAccessList) {
        const removed = new Set((b.ipAccessList.remove ?? []).map((e) => e.source));
        const list = svc.ipAccessList.filter((e) => !removed.has(e.source));
        for (const e of b.ipAccessList.add ?? []) {
            const i = list.findIndex((x) => x.source === e.source);
            if (i >= 0) list[i] = { ...e };
            else list.push({ ...e });
        }
        svc.ipAccessList = list;
    }
    if (b.privateEndpointIds) {
        const removed = new Set(b.privateEndpointIds.remove ?? []);
        svc.privateEndpointIds = [
            ...new Set([...svc.privateEndpointIds.filter((id) => !removed.has(id)), ...(b.privateEndpointIds.add ?? [])]),
        ];
    }
    if (b.releaseChannel !== undefined) svc.releaseChannel = b.releaseChannel;
    for (const e of b.endpoints ?? []) if (e.protocol === "mysql") svc.mysqlEnabled = e.enabled;
    if (b.transparentDataEncryptionKeyId !== undefined) svc.transparentDataEncryptionKeyId = b.transparentDataEncryptionKeyId;
    if (b.tags) {
        const remove: Tag[] = b.tags.remove ?? [];
        const kept = svc.tags.filter((t) => !remove.some((r) => r.key === t.key && (r.value === undefined || r.value === t.value)));
        const merged = mergeTags(kept, b.tags.add);
        if (merged.length > 50)
            throw badRequest(`request body.tags.add: a service can have at most 50 tags, this would make ${merged.length}`);
        svc.tags = merged;
    }
    if (b.enableCoreDumps !== undefined) {
        refuseCoreDumpsAgainstOrganization(core, b.enableCoreDumps);
        svc.enableCoreDumps = b.enableCoreDumps;
    }
    return { result: viewOf(core, svc) };
};

export const deleteService: Handler = ({ core, params }) => {
    const svc = core.service(params.serviceId);
    if (svc.state === "terminating") return {};
    const settlingAfterStop =
        svc.state === "stopped" &&
        svc.stoppedAt !== undefined &&
        core.now() - svc.stoppedAt < (core.settings.quirks.deleteConflictAfterStopSeconds * 1000) / core.settings.speed;
    if (!DELETABLE_STATES.includes(svc.state) || settlingAfterStop)
        throw conflict(
            `Only instance in one of the following states: ${DELETABLE_STATES.map((s) => `'${s}'`).join(",")} can be terminated. Current state: '${settlingAfterStop ? "stopping" : svc.state}'`,
        );
    if (svc.isPrimary && Object.values(core.data.services).some((s) => s.id !== svc.id && s.dataWarehouseId === svc.dataWarehouseId))
        throw conflict(
            `The primary service of data warehouse ${svc.dataWarehouseId} can be terminated only after the other services of the warehouse`,
        );
    core.enter("service", svc, "terminating");
    core.schedule(svc, [["gone", "terminating"]]);
    return {};
};

export const changeServiceState: Handler = ({ core, params, body }) => {
    validate(S.ServiceStatePatchRequest, body);
    const command = body.command;
    const svc = core.service(params.serviceId);
    if (svc.state === "terminating")
        throw conflict(
            `Service cannot be ${command === "stop" ? "stopped" : "started"} while it is terminating. Current state: 'terminating'`,
        );
    const settling: ServiceRecord["state"][] = ["running", "starting", "provisioning", "awaking"];
    if (command === "stop") {
        if (svc.state !== "stopped" && svc.state !== "stopping") {
            core.enter("service", svc, "stopping");
            core.schedule(svc, [["stopped", "stopping"]]);
        }
    } else if (!settling.includes(svc.state)) {
        // `awake` on a stopped service starts it, like `start`; `start` on an idle one wakes it (inferred).
        const transient = svc.state === "idle" ? "awaking" : "starting";
        core.enter("service", svc, transient);
        core.schedule(svc, [["running", transient === "awaking" ? "awaking" : "starting"]]);
    }
    return { result: viewOf(core, svc) };
};

export const patchScaling: Handler = ({ core, params, body }) => {
    validate(S.ServiceScalingPatchRequest, body);
    const b = body;
    const svc = core.service(params.serviceId);
    if (isDevelopment(svc)) refuseDevelopmentScaling(b);
    if (
        svc.autoscalingMode === "horizontal" &&
        (b.minTotalMemoryGb !== undefined || b.maxTotalMemoryGb !== undefined || b.numReplicas !== undefined)
    )
        throw badRequest(
            "request body: total memory and numReplicas are not available for horizontal-autoscaling services; use replicaScaling",
        );
    const min = b.minTotalMemoryGb !== undefined ? b.minTotalMemoryGb / 3 : svc.minReplicaMemoryGb;
    const max = b.maxTotalMemoryGb !== undefined ? b.maxTotalMemoryGb / 3 : svc.maxReplicaMemoryGb;
    if (min > max)
        throw badRequest(
            `request body.minTotalMemoryGb: minTotalMemoryGb (${min * 3}) must be less than or equal to maxTotalMemoryGb (${max * 3})`,
        );
    svc.minReplicaMemoryGb = min;
    svc.maxReplicaMemoryGb = max;
    if (b.numReplicas !== undefined) svc.numReplicas = b.numReplicas;
    applyIdle(core, svc, b);
    return { result: viewOf(core, svc) };
};

function applyIdle(core: Core, svc: ServiceRecord, b: Pick<ServiceReplicaScalingPatchRequest, "idleScaling" | "idleTimeoutMinutes">) {
    if (b.idleScaling !== undefined) svc.idleScaling = b.idleScaling;
    if (b.idleTimeoutMinutes !== undefined) svc.idleTimeoutMinutes = b.idleTimeoutMinutes;
    // A new idle policy counts from now, so a shorter timeout does not make the service idle in the past.
    if (b.idleScaling !== undefined || b.idleTimeoutMinutes !== undefined) svc.activeSince = Math.max(svc.activeSince, core.now());
}

export const patchReplicaScaling: Handler = ({ core, params, body }) => {
    validate(S.ServiceReplicaScalingPatchRequest, body);
    const b = body;
    const svc = core.service(params.serviceId);
    if (isDevelopment(svc)) refuseDevelopmentScaling(b);
    const mode = b.autoscalingMode ?? svc.autoscalingMode;
    checkReplicaSettings(b, mode, svc);
    if (mode === "horizontal") {
        const mem = b.minReplicaMemoryGb ?? b.maxReplicaMemoryGb ?? svc.maxReplicaMemoryGb;
        svc.minReplicaMemoryGb = svc.maxReplicaMemoryGb = mem;
        // minReplicas and maxReplicas come together (checkReplicaSettings).
        if (b.minReplicas !== undefined && b.maxReplicas !== undefined) {
            svc.minReplicas = b.minReplicas;
            svc.maxReplicas = b.maxReplicas;
        } else if (svc.autoscalingMode !== "horizontal") svc.minReplicas = svc.maxReplicas = svc.numReplicas;
    } else {
        if (b.minReplicaMemoryGb !== undefined) svc.minReplicaMemoryGb = b.minReplicaMemoryGb;
        if (b.maxReplicaMemoryGb !== undefined) svc.maxReplicaMemoryGb = b.maxReplicaMemoryGb;
        if (b.numReplicas !== undefined) svc.numReplicas = b.numReplicas;
        else if (b.minReplicas !== undefined) svc.numReplicas = b.minReplicas;
        else if (svc.autoscalingMode === "horizontal") svc.numReplicas = svc.maxReplicas;
    }
    svc.autoscalingMode = mode;
    applyIdle(core, svc, b);
    return { result: viewOf(core, svc) };
};

export const patchPassword: Handler = ({ core, params, body }) => {
    validate(S.ServicePasswordPatchRequest, body);
    const b = body;
    const svc = core.service(params.serviceId);
    if (b.newPasswordHash === undefined) {
        // "If newPasswordHash is not provided this key [newDoubleSha1Hash] will be ignored and the generated password will be used."
        const password = generatePassword();
        svc.secrets = { ...svc.secrets, passwordHash: sha256Base64(password), doubleSha1Hash: doubleSha1Hex(password) };
        const result: ServicePasswordPatchResponse = { password };
        return { result };
    }
    svc.secrets = { ...svc.secrets, passwordHash: b.newPasswordHash, doubleSha1Hash: b.newDoubleSha1Hash };
    const result: ServicePasswordPatchResponse = {};
    return { result };
};
