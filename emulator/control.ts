import { Core, TransitionEvent } from "./core";
import { ApiError } from "./errors";
import { FaultOptions, LIMITS, normalizeFaults, QuirkOptions, RateLimitOptions, RuntimeSettings } from "./options";
import { pipeView } from "./clickpipes";
import { viewOf } from "./services";
import * as S from "./schemas";
import { OrganizationRecord, OrgPrivateEndpoint, PipeRecord, QueryEndpointRecord, ServiceRecord } from "./store";
import { Schema, validate } from "./validation";
import { isUuid } from "./ids";
import { entriesOf, isObject, member } from "./json";
import {
    checkRecord,
    isPipeState,
    isServiceState,
    MAX_CLOCK_OFFSET_MS,
    PIPE_STATES,
    PipeRecordSchema,
    RecordError,
    ServiceRecordSchema,
} from "./records";
import { SERVICE_STATES } from "../provider/api/catalog";

/** One `/v1` request as logged: never bodies, headers or secrets. */
export interface LogEntry {
    time: string;
    method: string;
    path: string;
    status: number;
    durationMs: number;
    keyId: string | null;
}

export interface ControlDeps {
    core: Core;
    settings: RuntimeSettings;
    log: LogEntry[];
    clearRateLimits: () => void;
}

const PROTECTED = ["id", "secrets", "pending"];
/** Fields a record may lack that the control API may still set. */
const OPTIONAL_FIELDS = [
    "complianceType",
    "profile",
    "byocId",
    "transparentDataEncryptionKeyId",
    "settings",
    "encryptionKey",
    "encryptionRoleId",
];
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A record as the control API shows it: without its write-only values. */
export type WithoutSecrets<T> = Omit<T, "secrets"> & { secrets?: never };
const withoutSecrets = <T extends ServiceRecord | PipeRecord>(r: T): WithoutSecrets<T> => {
    const { secrets: _s, ...rest } = r;
    return rest;
};

/** Sets fields of a record (any of its own, or an optional one); refused unless the record still passes its schema. */
function patchRecord(rec: ServiceRecord | PipeRecord, partial: unknown, schema: Schema) {
    if (!isObject(partial)) throw new ApiError(400, "BAD_REQUEST", "control: expected an object of fields");
    for (const k of Object.keys(partial)) {
        // Own fields only: `k in rec` would also accept what the prototype has (toString, constructor...).
        if (
            PROTOTYPE_KEYS.has(k) ||
            PROTECTED.includes(k) ||
            (!Object.prototype.hasOwnProperty.call(rec, k) && !OPTIONAL_FIELDS.includes(k))
        )
            throw new ApiError(400, "BAD_REQUEST", `control: field '${k}' cannot be patched`);
    }
    // A JSON copy, as the data file keeps it (fields set to undefined are left out).
    const before: unknown = JSON.parse(JSON.stringify(rec));
    // Field by field: the schema check below decides whether the record is still one the emulator can serve.
    for (const [k, v] of entriesOf(partial)) Reflect.set(rec, k, v);
    try {
        checkRecord(schema, rec, "control body");
    } catch (e) {
        for (const k of Object.keys(rec)) Reflect.deleteProperty(rec, k);
        Object.assign(rec, before);
        if (e instanceof RecordError) throw new ApiError(400, "BAD_REQUEST", e.message);
        throw e;
    }
}

/** A record id from a control path or body: a UUID, never a name an object inherits. */
function controlId(kind: string, raw: string): string {
    let id = raw;
    try {
        id = decodeURIComponent(raw);
    } catch {
        // left as sent; refused below
    }
    if (!isUuid(id)) throw new ApiError(400, "BAD_REQUEST", `control: ${kind} id must be a UUID, got ${JSON.stringify(id)}`);
    return id.toLowerCase();
}

/** Handles `/_emulator/...` (no auth, no rate limit, not logged). Answers plain JSON, not the API envelope. */
export function handleControl(deps: ControlDeps, method: string, path: string, body: unknown): { status: number; body: unknown } {
    const { core, settings } = deps;
    const key = `${method} ${path.replace(/^\/_emulator/, "")}`;
    let m: RegExpExecArray | null;
    switch (key) {
        case "GET /log":
            return { status: 200, body: deps.log };
        case "DELETE /log":
            deps.log.length = 0;
            return { status: 200, body: {} };
        case "POST /reset":
            core.reset();
            deps.log.length = 0;
            deps.clearRateLimits();
            return { status: 200, body: {} };
        case "GET /events":
            core.settle();
            return { status: 200, body: core.events };
        case "GET /stats": {
            const m = process.memoryUsage();
            return {
                status: 200,
                body: { rssBytes: m.rss, heapUsedBytes: m.heapUsed, uptimeSeconds: process.uptime(), logEntries: deps.log.length },
            };
        }
        case "GET /objects": {
            core.settle();
            const objects: EmulatorObjects = {
                services: Object.values(core.data.services).map(withoutSecrets),
                clickpipes: Object.values(core.data.clickpipes).map(withoutSecrets),
                queryEndpoints: Object.values(core.data.queryEndpoints),
                privateEndpoints: core.data.privateEndpoints,
            };
            return { status: 200, body: objects };
        }
        case "POST /clock/advance": {
            const seconds = Number(member(body, "seconds"));
            if (!isFinite(seconds) || seconds < 0) throw new ApiError(400, "BAD_REQUEST", "control: seconds must be a non-negative number");
            if (core.clock.offsetMs + seconds * 1000 > MAX_CLOCK_OFFSET_MS)
                throw new ApiError(
                    400,
                    "BAD_REQUEST",
                    `control: the virtual clock may run at most 100 years ahead of wall time (${MAX_CLOCK_OFFSET_MS / 1000} s); seconds ${seconds} is too many`,
                );
            core.clock.advance(seconds);
            core.settle();
            core.persist();
            return { status: 200, body: { now: new Date(core.now()).toISOString() } };
        }
        case "GET /organization":
            return { status: 200, body: { ...core.data.organization } };
        case "PUT /organization": {
            const tiers = member(body, "tiers");
            if (tiers !== "current" && tiers !== "legacy")
                throw new ApiError(400, "BAD_REQUEST", `control: tiers must be "current" or "legacy", got ${JSON.stringify(tiers)}`);
            core.data.organization.tiers = tiers;
            core.persist();
            return { status: 200, body: { ...core.data.organization } };
        }
        case "GET /faults":
            return { status: 200, body: settings.faults };
        case "PUT /faults": {
            const lat = member(body, "latencyMs");
            if (lat !== undefined && !isLatency(lat))
                throw new ApiError(
                    400,
                    "BAD_REQUEST",
                    `control: latencyMs must be [min, max] milliseconds between ${LIMITS.latencyMs[0]} and ${LIMITS.latencyMs[1]}`,
                );
            // normalizeFaults keeps the rates that are numbers (clamped to 0–1) and takes 0 for the others.
            const rate = (name: string) => {
                const v = member(body, name);
                return typeof v === "number" ? v : undefined;
            };
            const faults: FaultOptions = {
                errorRate: rate("errorRate"),
                errorAfterRate: rate("errorAfterRate"),
                resetRate: rate("resetRate"),
                latencyMs: lat === undefined ? undefined : [lat[0], lat[1] ?? lat[0]],
            };
            settings.faults = normalizeFaults(faults, undefined);
            return { status: 200, body: settings.faults };
        }
        case "GET /quirks":
            return { status: 200, body: settings.quirks };
        case "PUT /quirks": {
            const seconds = Number(member(body, "deleteConflictAfterStopSeconds") ?? 0);
            if (!(seconds >= LIMITS.quirkSeconds[0] && seconds <= LIMITS.quirkSeconds[1]))
                throw new ApiError(
                    400,
                    "BAD_REQUEST",
                    `control: deleteConflictAfterStopSeconds must be a number of seconds between 0 and ${LIMITS.quirkSeconds[1]}`,
                );
            settings.quirks = { deleteConflictAfterStopSeconds: seconds };
            return { status: 200, body: settings.quirks };
        }
        case "GET /rateLimit":
            return { status: 200, body: settings.rateLimit || { enabled: false } };
        case "PUT /rateLimit": {
            if (member(body, "enabled") === false) settings.rateLimit = false;
            else {
                const requests = Number(member(body, "requests")),
                    windowSeconds = Number(member(body, "windowSeconds"));
                const within = (x: number, [min, max]: readonly [number, number]) => x >= min && x <= max;
                if (!within(requests, LIMITS.rateLimitRequests) || !within(windowSeconds, LIMITS.rateLimitWindowSeconds))
                    throw new ApiError(
                        400,
                        "BAD_REQUEST",
                        `control: expected {requests: ${LIMITS.rateLimitRequests.join("–")}, windowSeconds: ${LIMITS.rateLimitWindowSeconds.join("–")}} or {enabled: false}`,
                    );
                settings.rateLimit = { requests, windowSeconds };
            }
            deps.clearRateLimits();
            return { status: 200, body: settings.rateLimit || { enabled: false } };
        }
        case "POST /state": {
            validate(S.ControlStateRequest, body, "control body");
            const id = controlId(body.kind, body.id);
            core.settle();
            const missing = () => new ApiError(404, "NOT_FOUND", `control: no ${body.kind} ${body.id}`);
            const badState = (states: readonly string[]) =>
                new ApiError(400, "BAD_REQUEST", `control: state must be one of ${states.join(", ")}`);
            // A forced state sticks: planned transitions are dropped until the next command.
            let forced: WithoutSecrets<ServiceRecord | PipeRecord>;
            if (body.kind === "service") {
                const rec = core.data.services[id];
                if (!rec) throw missing();
                if (!isServiceState(body.state)) throw badState(SERVICE_STATES);
                rec.pending = [];
                core.enter("service", rec, body.state);
                forced = withoutSecrets(rec);
            } else {
                const rec = core.data.clickpipes[id];
                if (!rec) throw missing();
                if (!isPipeState(body.state)) throw badState(PIPE_STATES);
                rec.pending = [];
                core.enter("clickpipe", rec, body.state);
                forced = withoutSecrets(rec);
            }
            core.persist();
            return { status: 200, body: forced };
        }
    }
    if (method === "POST" && (m = /^\/_emulator\/services\/([^/]+)$/.exec(path))) {
        core.settle();
        const svc = core.data.services[controlId("service", m[1])];
        if (!svc) throw new ApiError(404, "NOT_FOUND", `control: no service ${m[1]}`);
        patchRecord(svc, body ?? {}, ServiceRecordSchema);
        core.persist();
        return { status: 200, body: viewOf(core, svc) };
    }
    if (method === "POST" && (m = /^\/_emulator\/clickpipes\/([^/]+)$/.exec(path))) {
        core.settle();
        const pipe = core.data.clickpipes[controlId("clickpipe", m[1])];
        if (!pipe) throw new ApiError(404, "NOT_FOUND", `control: no clickpipe ${m[1]}`);
        patchRecord(pipe, body ?? {}, PipeRecordSchema);
        core.persist();
        return { status: 200, body: pipeView(pipe) };
    }
    throw new ApiError(404, "NOT_FOUND", `control: no route ${method} ${path}`);
}

/** `latencyMs` of `PUT /faults`: [min, max] (or [both]) milliseconds within the limits. */
function isLatency(v: unknown): v is [number] | [number, number] {
    return (
        Array.isArray(v) &&
        v.length >= 1 &&
        v.length <= 2 &&
        v.every((x: unknown) => typeof x === "number" && x >= LIMITS.latencyMs[0] && x <= LIMITS.latencyMs[1])
    );
}

/** The internal objects the control API shows (secrets removed): the emulator's records, times in milliseconds. */
export interface EmulatorObjects {
    services: WithoutSecrets<ServiceRecord>[];
    clickpipes: WithoutSecrets<PipeRecord>[];
    queryEndpoints: QueryEndpointRecord[];
    privateEndpoints: OrgPrivateEndpoint[];
}

/** Client for the control API; each method is one HTTP call to `/_emulator/...`. */
export class EmulatorControl {
    constructor(
        private readonly url: string,
        private readonly token?: string,
    ) {}

    private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
        const headers: Record<string, string> = this.token ? { "x-emulator-token": this.token } : {};
        if (method !== "GET") headers["content-type"] = "application/json";
        const res = await fetch(`${this.url}/_emulator${path}`, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const data: unknown = await res.json();
        if (!res.ok) throw new Error(`emulator control ${method} ${path}: ${res.status} ${member(data, "error") ?? ""}`);
        // The control API's answer to this call, which each method below names.
        return data as T;
    }

    log(): Promise<LogEntry[]> {
        return this.call("GET", "/log");
    }
    clearLog(): Promise<void> {
        return this.call("DELETE", "/log");
    }
    reset(): Promise<void> {
        return this.call("POST", "/reset");
    }
    setState(kind: "service" | "clickpipe", id: string, state: string): Promise<unknown> {
        return this.call("POST", "/state", { kind, id, state });
    }
    advance(seconds: number): Promise<{ now: string }> {
        return this.call("POST", "/clock/advance", { seconds });
    }
    setFaults(f: FaultOptions): Promise<Required<FaultOptions>> {
        return this.call("PUT", "/faults", f);
    }
    setRateLimit(r: RateLimitOptions | { enabled: false } | false): Promise<unknown> {
        return this.call("PUT", "/rateLimit", r === false ? { enabled: false } : r);
    }
    setQuirks(q: QuirkOptions): Promise<Required<QuirkOptions>> {
        return this.call("PUT", "/quirks", q);
    }
    objects(): Promise<EmulatorObjects> {
        return this.call("GET", "/objects");
    }
    /** The organization's kind (`tiers`: current or legacy) and settings. */
    organization(): Promise<OrganizationRecord> {
        return this.call("GET", "/organization");
    }
    /** Switches the organization between the current tiers (services without `tier`) and legacy tiers. */
    setOrganization(o: { tiers: "current" | "legacy" }): Promise<{ tiers: "current" | "legacy" }> {
        return this.call("PUT", "/organization", o);
    }
    events(): Promise<TransitionEvent[]> {
        return this.call("GET", "/events");
    }
    /** Memory of the emulator's process (used by the benchmark). */
    stats(): Promise<{ rssBytes: number; heapUsedBytes: number; uptimeSeconds: number; logEntries: number }> {
        return this.call("GET", "/stats");
    }
    /** Changes a service behind the provider's back (e.g. name, ipAccessList, minReplicaMemoryGb); returns its public view. */
    patchService(id: string, partial: Record<string, unknown>): Promise<Record<string, unknown>> {
        return this.call("POST", `/services/${id}`, partial);
    }
    patchClickPipe(id: string, partial: Record<string, unknown>): Promise<Record<string, unknown>> {
        return this.call("POST", `/clickpipes/${id}`, partial);
    }
}
