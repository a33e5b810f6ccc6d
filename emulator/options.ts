import type { RealServersOptions } from "./realServers";

/** Names of the configurable transition durations, in seconds at speed 1. */
export type DurationName =
    | "provisioning"
    | "starting"
    | "stopping"
    | "awaking"
    | "terminating"
    | "pipeProvisioning"
    | "pipeStopping"
    | "pipeStarting"
    | "pipeDeleting";

/** Faults injected into `/v1` requests (never into the control API). */
export interface FaultOptions {
    /** Probability (0–1) of answering 500 or 503 before the request is handled (no side effect). @default 0 */
    errorRate?: number;
    /** Probability (0–1) of answering 500 after the request was handled (the change did happen). @default 0 */
    errorAfterRate?: number;
    /** Probability (0–1) of destroying the connection without an answer. @default 0 */
    resetRate?: number;
    /** Added latency, uniformly drawn from [min, max] milliseconds. @default [0, 0] */
    latencyMs?: [number, number];
}

export interface QuirkOptions {
    /**
     * Seconds (at speed 1) after a service reaches `stopped` during which DELETE still answers 409, as the
     * real API can report a transitioning state right after `stopped` (api-facts, from the Terraform provider). @default 0
     */
    deleteConflictAfterStopSeconds?: number;
}

/** One answer the emulator sent on `/v1`, passed to {@link EmulatorOptions.onResponse} (used by the conformance test). */
export interface ResponseRecord {
    method: string;
    /** Path without query string. */
    path: string;
    status: number;
    contentType: string;
    /** The raw body text. */
    body: string;
    headers: Record<string, string>;
}

export interface RateLimitOptions {
    /** Requests allowed per key within the window. @default 10 */
    requests: number;
    /** Sliding window length in seconds (wall time, not scaled by speed). @default 10 */
    windowSeconds: number;
}

export interface EmulatorOptions {
    /** TCP port; 0 picks a free one. @default 0 */
    port?: number;
    /** Listen address. @default "127.0.0.1" */
    host?: string;
    /** The only organization the emulator serves. @default DEFAULTS.organizationId */
    organizationId?: string;
    /** API key id (HTTP Basic user). @default DEFAULTS.keyId */
    keyId?: string;
    /** API key secret (HTTP Basic password). @default DEFAULTS.keySecret */
    keySecret?: string;
    /** Per-key rate limit, or false to switch it off. @default {requests: 10, windowSeconds: 10} */
    rateLimit?: RateLimitOptions | false;
    /** Multiplies the speed of every duration, idle timeouts included (2 = twice as fast). @default 1 */
    speed?: number;
    /** Transition durations in seconds at speed 1. @default 1 each */
    durations?: Partial<Record<DurationName, number>>;
    faults?: FaultOptions;
    /** Real-API quirks a robust client must survive; all off by default. */
    quirks?: QuirkOptions;
    /** JSON file that keeps all objects across restarts. */
    dataFile?: string;
    /** Serve HTTPS with this PEM certificate and key (e.g. a self-signed one for TLS tests). @default plain HTTP */
    tls?: { cert: string; key: string };
    /**
     * Kind of the organization: `current` (BASIC, SCALE, ENTERPRISE tiers: services have no `tier`)
     * or `legacy` (`development` / `production` services). Overrides what a data file holds.
     * @default "current" (a data file of an earlier version: "legacy")
     */
    organizationTiers?: "current" | "legacy";
    /** Token of the control API (header `X-Emulator-Token`). @default random at each start */
    controlToken?: string;
    /**
     * Give each service a real `clickhouse-server` (docs/emulator.md, "Real servers"): `true`, or
     * the binary and the folder of the servers' directories. Needs the binary and openssl.
     * @default false (services are records only)
     */
    realServers?: boolean | RealServersOptions;
    /** Suppress console output. @default false */
    quiet?: boolean;
    /** Called for every `/v1` answer sent (not for resets or control API calls). */
    onResponse?: (r: ResponseRecord) => void;
}

/** Fixed development credentials: never valid anywhere but on this emulator. */
export const DEFAULTS = {
    organizationId: "7c0f5e1a-4d1b-4c8e-9a55-000000000001",
    keyId: "emulatorKeyId0000001",
    keySecret: "4b1d_emulator_secret_key_0000000000000000",
    organizationName: "Emulated organization",
};

export const DEFAULT_DURATIONS: Record<DurationName, number> = {
    provisioning: 1,
    starting: 1,
    stopping: 1,
    awaking: 1,
    terminating: 1,
    pipeProvisioning: 1,
    pipeStopping: 1,
    pipeStarting: 1,
    pipeDeleting: 1,
};

/** Settings that the control API can change while running. */
export interface RuntimeSettings {
    speed: number;
    durations: Record<DurationName, number>;
    rateLimit: RateLimitOptions | false;
    faults: Required<FaultOptions>;
    quirks: Required<QuirkOptions>;
}

export function normalizeFaults(f: FaultOptions | undefined, base?: Required<FaultOptions>): Required<FaultOptions> {
    const clamp = (x: unknown, d: number) => (typeof x === "number" && isFinite(x) ? Math.min(1, Math.max(0, x)) : d);
    const lat = f?.latencyMs ?? base?.latencyMs ?? [0, 0];
    return {
        errorRate: clamp(f?.errorRate, base?.errorRate ?? 0),
        errorAfterRate: clamp(f?.errorAfterRate, base?.errorAfterRate ?? 0),
        resetRate: clamp(f?.resetRate, base?.resetRate ?? 0),
        latencyMs: [Math.max(0, Number(lat[0]) || 0), Math.max(0, Number(lat[1] ?? lat[0]) || 0)],
    };
}

/** Bounds of every numeric setting: beyond them durations and times overflow what a Date can hold. */
export const LIMITS = {
    speed: [0.001, 1e6],
    durationSeconds: [0, 86400],
    rateLimitRequests: [1, 1e6],
    rateLimitWindowSeconds: [0.001, 86400],
    quirkSeconds: [0, 86400],
    latencyMs: [0, 60000],
} as const;

function bounded(name: string, v: unknown, [min, max]: readonly [number, number]): void {
    if (v === undefined) return;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
        throw new RangeError(`emulator: ${name} must be a number between ${min} and ${max}, got ${JSON.stringify(v)}`);
}

/** Refuses options outside {@link LIMITS} with a RangeError naming the option. */
export function checkOptions(o: EmulatorOptions): void {
    bounded("speed", o.speed, LIMITS.speed);
    for (const [k, v] of Object.entries(o.durations ?? {})) bounded(`durations.${k}`, v, LIMITS.durationSeconds);
    if (o.rateLimit) {
        bounded("rateLimit.requests", o.rateLimit.requests, LIMITS.rateLimitRequests);
        bounded("rateLimit.windowSeconds", o.rateLimit.windowSeconds, LIMITS.rateLimitWindowSeconds);
    }
    bounded("quirks.deleteConflictAfterStopSeconds", o.quirks?.deleteConflictAfterStopSeconds, LIMITS.quirkSeconds);
    for (const v of o.faults?.latencyMs ?? []) bounded("faults.latencyMs", v, LIMITS.latencyMs);
    if (o.organizationTiers !== undefined && o.organizationTiers !== "current" && o.organizationTiers !== "legacy")
        throw new RangeError(`emulator: organizationTiers must be "current" or "legacy", got ${JSON.stringify(o.organizationTiers)}`);
    if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535))
        throw new RangeError(`emulator: port must be an integer between 0 and 65535, got ${JSON.stringify(o.port)}`);
}
