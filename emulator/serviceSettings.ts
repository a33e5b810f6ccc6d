import { randomUUID } from "crypto";
import type {
    ClickPipesCdcScaling,
    ClickPipesCdcScalingPatchRequest,
    ScalingSchedule,
    ScalingScheduleEntry,
    ScalingScheduleEntryRequest,
    ScalingSchedulePostRequest,
    ServiceClickhouseSetting,
    ServiceClickhouseSettingsList,
    ServiceClickhouseSettingsPatchRequest,
    ServiceClickhouseSettingsPatchResponse,
    UpgradeWindow,
    UpgradeWindowPutRequest,
} from "../provider/api/types";
import { Handler } from "./context";
import { Core } from "./core";
import { badRequest, notFound } from "./errors";
import { kept as keptAt } from "./generic";
import { entriesOf } from "./json";
import { ServiceRecord } from "./store";
import { arr, bool, int, num, objOf, str, validate } from "./validation";

/**
 * Service settings beyond this provider's resources that the official Terraform provider's
 * examples manage: scaling schedules, upgrade windows, the CDC ClickPipes infrastructure and
 * ClickHouse settings. Each is kept in the generic store under its API path (so it goes with its
 * service); rules come from the spec's descriptions unless a comment says otherwise.
 */

const store = (core: Core) => core.data.generic;
const pathOf = (serviceId: string, what: string) => `/services/${serviceId}/${what}`;
const kept = <T>(core: Core, path: string) => keptAt<T>(store(core), path);
/** The object kept at `path`, made from `initial` when there is none. */
function keptOr<T>(core: Core, path: string, initial: T): T {
    let rec = kept<T>(core, path);
    if (!rec) store(core)[path] = rec = { value: initial, createdAt: core.now() };
    return rec.value;
}

// ---- Scaling schedule -------------------------------------------------------------------------------
const replicaMemory = num({ minimum: 8, maximum: 356, multipleOf: 4 });
const ScheduleEntry = objOf<ScalingScheduleEntryRequest, "name" | "weekdays" | "startHourUtc" | "endHourUtc">(
    {
        name: str({ minLength: 1, maxLength: 255 }),
        weekdays: arr(int({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
        startHourUtc: int({ minimum: 0, maximum: 23 }),
        endHourUtc: int({ minimum: 1, maximum: 24 }),
        autoscalingMode: str({ enum: ["vertical", "horizontal"] }),
        minReplicaMemoryGb: replicaMemory,
        maxReplicaMemoryGb: replicaMemory,
        numReplicas: int({ minimum: 1 }),
        minReplicas: int({ minimum: 1 }),
        maxReplicas: int({ minimum: 1 }),
        idleScaling: bool(),
        idleTimeoutMinutes: int({ minimum: 5 }),
    },
    { required: ["name", "weekdays", "startHourUtc", "endHourUtc"] },
);
const ScalingSchedulePostRequest = objOf<ScalingSchedulePostRequest, "entries">(
    { entries: arr(ScheduleEntry, { maxItems: 100 }) },
    { required: ["entries"] },
);

/** An entry as kept: `ScalingScheduleEntry` without `isActiveNow`, which depends on the time of the answer. */
type Entry = Omit<ScalingScheduleEntry, "isActiveNow">;

/** The rules the spec's field descriptions state, beyond the field schemas. */
function checkEntry(e: ScalingScheduleEntryRequest, i: number): void {
    const p = `request body.entries[${i}]`;
    const mode = e.autoscalingMode ?? "vertical";
    if (e.endHourUtc === e.startHourUtc) throw badRequest(`${p}.endHourUtc: must differ from startHourUtc <number:${e.endHourUtc}>`);
    if (e.numReplicas !== undefined && (e.minReplicas !== undefined || e.maxReplicas !== undefined))
        throw badRequest(`${p}.numReplicas: numReplicas is mutually exclusive with minReplicas/maxReplicas`);
    if ((e.minReplicas === undefined) !== (e.maxReplicas === undefined))
        throw badRequest(`${p}.minReplicas: minReplicas and maxReplicas must be provided together`);
    // Both or neither (checked above), here and for the memory below.
    if (e.minReplicas !== undefined && e.maxReplicas !== undefined && e.minReplicas > e.maxReplicas)
        throw badRequest(`${p}.minReplicas: minReplicas (${e.minReplicas}) must be less than or equal to maxReplicas (${e.maxReplicas})`);
    if ((e.minReplicaMemoryGb === undefined) !== (e.maxReplicaMemoryGb === undefined))
        throw badRequest(`${p}.minReplicaMemoryGb: provide both minReplicaMemoryGb and maxReplicaMemoryGb, or neither`);
    if (e.minReplicaMemoryGb !== undefined && e.maxReplicaMemoryGb !== undefined && e.minReplicaMemoryGb > e.maxReplicaMemoryGb)
        throw badRequest(
            `${p}.minReplicaMemoryGb: minReplicaMemoryGb (${e.minReplicaMemoryGb}) must be less than or equal to maxReplicaMemoryGb (${e.maxReplicaMemoryGb})`,
        );
    if (mode === "horizontal") {
        if (e.minReplicaMemoryGb === undefined || e.minReplicaMemoryGb !== e.maxReplicaMemoryGb)
            throw badRequest(`${p}.minReplicaMemoryGb: a horizontal entry needs minReplicaMemoryGb equal to maxReplicaMemoryGb`);
        if (e.numReplicas !== undefined)
            throw badRequest(`${p}.numReplicas: a horizontal entry scales between minReplicas and maxReplicas`);
    } else if (e.minReplicas !== undefined && e.minReplicas !== e.maxReplicas) {
        throw badRequest(
            `${p}.minReplicas: a minReplicas/maxReplicas band needs autoscalingMode 'horizontal'; a vertical entry takes an equal band or numReplicas`,
        );
    }
}

/** True when the entry's weekly window holds `now` (UTC); an end before the start spans midnight. */
function activeNow(e: Entry, now: number): boolean {
    const d = new Date(now);
    const day = d.getUTCDay();
    const hour = d.getUTCHours();
    if (e.startHourUtc < e.endHourUtc) return e.weekdays.includes(day) && hour >= e.startHourUtc && hour < e.endHourUtc;
    // Overnight: from start on a listed day until end on the next day.
    return (e.weekdays.includes(day) && hour >= e.startHourUtc) || (e.weekdays.includes((day + 6) % 7) && hour < e.endHourUtc);
}

function scheduleView(core: Core, svc: ServiceRecord, entries: Entry[]): ScalingSchedule {
    const now = core.now();
    const horizontal = svc.autoscalingMode === "horizontal";
    const view = entries.map((e) => ({ ...e, isActiveNow: activeNow(e, now) }));
    const active = view.find((e) => e.isActiveNow);
    return {
        entries: view,
        // The base config is the service's own scaling (managed with replicaScaling, as the spec says).
        baseConfig: {
            autoscalingMode: svc.autoscalingMode,
            minReplicaMemoryGb: svc.minReplicaMemoryGb,
            maxReplicaMemoryGb: svc.maxReplicaMemoryGb,
            minReplicas: horizontal ? svc.minReplicas : svc.numReplicas,
            maxReplicas: horizontal ? svc.maxReplicas : svc.numReplicas,
            idleScaling: svc.idleScaling,
            idleTimeoutMinutes: Math.round(svc.idleTimeoutMinutes),
        },
        ...(active ? { activeEntryId: active.id } : {}),
    };
}

export const getScalingSchedule: Handler = ({ core, params }) => {
    const svc = core.service(params.serviceId);
    const rec = kept<{ entries: Entry[] }>(core, pathOf(svc.id, "scalingSchedule"));
    // "Returns 404 if no schedule has been configured or if the schedule was cleared" (spec).
    if (!rec) throw notFound(`No scaling schedule is configured for service ${svc.id}`);
    return { result: scheduleView(core, svc, rec.value.entries) };
};

/** Creates or fully replaces the schedule; empty entries clear it (then GET is 404 and the base config empty). */
export const postScalingSchedule: Handler = ({ core, params, body }) => {
    validate(ScalingSchedulePostRequest, body);
    const svc = core.service(params.serviceId);
    const given = body.entries;
    given.forEach(checkEntry);
    const path = pathOf(svc.id, "scalingSchedule");
    if (given.length === 0) {
        delete store(core)[path];
        const cleared: ScalingSchedule = { entries: [], baseConfig: {} };
        return { result: cleared };
    }
    const entries: Entry[] = given.map((e) => {
        const mode = e.autoscalingMode ?? "vertical";
        const entry: Entry = {
            id: randomUUID(),
            name: e.name,
            weekdays: [...e.weekdays],
            startHourUtc: e.startHourUtc,
            endHourUtc: e.endHourUtc,
            autoscalingMode: mode,
        };
        // Each pair comes together (checkEntry).
        if (e.minReplicaMemoryGb !== undefined && e.maxReplicaMemoryGb !== undefined) {
            entry.minReplicaMemoryGb = e.minReplicaMemoryGb;
            entry.maxReplicaMemoryGb = e.maxReplicaMemoryGb;
        }
        // A vertical entry reports its fixed count as an equal band (spec).
        const min = e.numReplicas ?? e.minReplicas;
        const max = e.numReplicas ?? e.maxReplicas;
        if (min !== undefined && max !== undefined) {
            entry.minReplicas = min;
            entry.maxReplicas = max;
        }
        if (e.idleScaling !== undefined) entry.idleScaling = e.idleScaling;
        if (e.idleTimeoutMinutes !== undefined) entry.idleTimeoutMinutes = e.idleTimeoutMinutes;
        return entry;
    });
    store(core)[path] = { value: { entries }, createdAt: core.now() };
    return { result: scheduleView(core, svc, entries) };
};

export const deleteScalingSchedule: Handler = ({ core, params }) => {
    const svc = core.service(params.serviceId);
    const path = pathOf(svc.id, "scalingSchedule");
    if (!store(core)[path]) throw notFound(`No scaling schedule is configured for service ${svc.id}`);
    delete store(core)[path];
    return {};
};

// ---- Upgrade window ---------------------------------------------------------------------------------
// The schema takes any hour up to 18 (so does the body's type); hours other than 0, 6, 12 and 18 get their own message.
const UpgradeWindowPutRequest = objOf<Omit<UpgradeWindowPutRequest, "startHourUtc"> & { startHourUtc: number }, "weekday" | "startHourUtc">(
    { weekday: int({ minimum: 0, maximum: 6 }), startHourUtc: int({ minimum: 0, maximum: 18 }) },
    { required: ["weekday", "startHourUtc"] },
);
/** "Must be one of 0, 6, 12, or 18"; "currently only a 6-hour window is supported" (spec). */
const START_HOURS: readonly number[] = [0, 6, 12, 18] satisfies UpgradeWindow["startHourUtc"][];
const isStartHour = (h: number): h is UpgradeWindow["startHourUtc"] => START_HOURS.includes(h);
const DURATION_HOURS: UpgradeWindow["duration"] = 6;

function primaryOnly(svc: ServiceRecord) {
    // "can only be set on primary services; secondary services inherit the primary service window" (spec; tf matches "secondary service").
    if (!svc.isPrimary)
        throw badRequest(
            `Service ${svc.id} is a secondary service of data warehouse ${svc.dataWarehouseId}; it inherits the upgrade window of the primary service`,
        );
}

export const getUpgradeWindow: Handler = ({ core, params }) => {
    const svc = core.service(params.serviceId);
    const rec = kept<UpgradeWindow>(core, pathOf(svc.id, "upgradeWindow"));
    if (!rec) throw notFound(`No upgrade window is configured for service ${svc.id}`);
    return { result: { ...rec.value } };
};

export const putUpgradeWindow: Handler = ({ core, params, body }) => {
    validate(UpgradeWindowPutRequest, body);
    const b = body;
    const startHourUtc = b.startHourUtc;
    if (!isStartHour(startHourUtc))
        throw badRequest(`request body.startHourUtc: The value must be one of ${START_HOURS.join(", ")} <number:${startHourUtc}>`);
    const svc = core.service(params.serviceId);
    primaryOnly(svc);
    const value: UpgradeWindow = { weekday: b.weekday, startHourUtc, duration: DURATION_HOURS };
    store(core)[pathOf(svc.id, "upgradeWindow")] = { value, createdAt: core.now() };
    return { result: { ...value } };
};

export const deleteUpgradeWindow: Handler = ({ core, params }) => {
    const svc = core.service(params.serviceId);
    primaryOnly(svc);
    const path = pathOf(svc.id, "upgradeWindow");
    if (!store(core)[path]) throw notFound(`No upgrade window is configured for service ${svc.id}`);
    delete store(core)[path];
    return {};
};

// ---- ClickPipes CDC scaling -------------------------------------------------------------------------
const DATABASE_SOURCES: readonly string[] = ["postgres", "mysql", "bigquery", "mongodb"];
const ClickPipesCdcScalingPatchRequest = objOf<ClickPipesCdcScalingPatchRequest>({
    replicaCpuMillicores: int({ minimum: 1000, maximum: 32000, multipleOf: 1000 }),
    replicaMemoryGb: num({ minimum: 4, maximum: 128, multipleOf: 4 }),
});
/** 2 cores and 8 GB: the documented default (docs: scaling DB ClickPipes). */
type CdcScaling = Required<ClickPipesCdcScaling>;
const CDC_DEFAULT: CdcScaling = { replicaCpuMillicores: 2000, replicaMemoryGb: 8 };

/**
 * "This endpoint becomes available once at least one database ClickPipe was provisioned"; the
 * infrastructure "is automatically cleaned up when all DB ClickPipes are deleted" (spec, tf).
 * The status before that is inferred (404).
 */
function cdcScaling(core: Core, serviceId: string): CdcScaling {
    const svc = core.service(serviceId);
    const path = pathOf(svc.id, "clickpipesCdcScaling");
    const hasDatabasePipe = Object.values(core.data.clickpipes).some(
        (p) => p.serviceId === svc.id && DATABASE_SOURCES.includes(p.sourceKind),
    );
    if (!hasDatabasePipe) {
        delete store(core)[path];
        throw notFound(
            `The CDC ClickPipes infrastructure of service ${svc.id} does not exist: it is created with the first database ClickPipe`,
        );
    }
    return keptOr(core, path, { ...CDC_DEFAULT });
}

export const getCdcScaling: Handler = ({ core, params }) => {
    const result: ClickPipesCdcScaling = { ...cdcScaling(core, params.serviceId) };
    return { result };
};

export const patchCdcScaling: Handler = ({ core, params, body }) => {
    validate(ClickPipesCdcScalingPatchRequest, body);
    const current = cdcScaling(core, params.serviceId);
    const next = { ...current, ...body };
    // "Memory in GiB for DB ClickPipes. Must be 4x the CPU core count" (spec).
    if (next.replicaMemoryGb !== (next.replicaCpuMillicores / 1000) * 4)
        throw badRequest(
            `request body.replicaMemoryGb: must be 4 x the CPU core count: ${next.replicaCpuMillicores} millicores need ${(next.replicaCpuMillicores / 1000) * 4} GB <number:${next.replicaMemoryGb}>`,
        );
    current.replicaCpuMillicores = next.replicaCpuMillicores;
    current.replicaMemoryGb = next.replicaMemoryGb;
    const result: ClickPipesCdcScaling = { ...current };
    return { result };
};

// ---- ClickHouse settings ----------------------------------------------------------------------------
const ServiceClickhouseSettingsPatchRequest = objOf<ServiceClickhouseSettingsPatchRequest, "settings">(
    { settings: str({ minLength: 2 }) },
    { required: ["settings"] },
);
/** Settings whose change the API warns about (the spec's example names compatibility). */
const DISRUPTIVE: Record<string, string> = {
    compatibility: "Changing the compatibility version without comprehensive testing can cause query failures or instability.",
};

function settingsOf(core: Core, serviceId: string): Record<string, string> {
    const svc = core.service(serviceId);
    return keptOr<Record<string, string>>(core, pathOf(svc.id, "clickhouseSettings"), {});
}

/** "Only settings that have been explicitly set are included" (spec). */
export const listClickhouseSettings: Handler = ({ core, params }) => {
    const result: ServiceClickhouseSettingsList = {
        settings: Object.entries(settingsOf(core, params.serviceId)).map(([name, value]) => ({ name, value })),
    };
    return { result };
};

export const patchClickhouseSettings: Handler = ({ core, params, body }) => {
    validate(ServiceClickhouseSettingsPatchRequest, body);
    const text = body.settings;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        parsed = undefined;
    }
    if (
        !parsed ||
        typeof parsed !== "object" ||
        Array.isArray(parsed) ||
        Object.values(parsed).some((v) => v === null || typeof v === "object")
    )
        throw badRequest(
            `request body.settings: must be a JSON object of setting names to values, e.g. {"compatibility": "24.8"} <string:${text.slice(0, 80)}>`,
        );
    const settings = settingsOf(core, params.serviceId);
    const applied: Record<string, string> = {};
    for (const [name, value] of entriesOf(parsed)) {
        if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) || name === "__proto__")
            throw badRequest(`request body.settings: '${name}' is not a setting name`);
        // "Returned as a string for all setting types" (spec).
        settings[name] = applied[name] = String(value);
    }
    const warnings = Object.keys(applied)
        .filter((n) => DISRUPTIVE[n])
        .map((name) => ({ name, message: DISRUPTIVE[name] }));
    const result: ServiceClickhouseSettingsPatchResponse = { settings: JSON.stringify(applied), warnings };
    return { result };
};

export const getClickhouseSetting: Handler = ({ core, params }) => {
    const settings = settingsOf(core, params.serviceId);
    // Inferred: a setting never set has no value here (the API would answer the platform default, which the emulator does not know).
    if (!Object.prototype.hasOwnProperty.call(settings, params.settingName))
        throw notFound(`ClickHouse setting ${params.settingName} is not configured on service ${params.serviceId}`);
    const result: ServiceClickhouseSetting = { name: params.settingName, value: settings[params.settingName] };
    return { result };
};

/** "Deleting a setting that was never configured is a no-op (200 OK)" (spec). */
export const deleteClickhouseSetting: Handler = ({ core, params }) => {
    const settings = settingsOf(core, params.serviceId);
    if (Object.prototype.hasOwnProperty.call(settings, params.settingName)) delete settings[params.settingName];
    return {};
};
