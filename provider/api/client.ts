/**
 * HTTP client of the ClickHouse Cloud API: one per (API URL, key, organization), shared by every
 * resource of the process. It knows nothing about resources; it decides authentication,
 * envelopes, errors, retries and pacing, in this one place.
 *
 * Retries (p-retry 4, the last CommonJS major, so Jest and the compiled provider load it alike):
 * - 429: always safe (the request was refused, not executed). Waits for the larger of
 *   `X-RateLimit-Reset` and `Retry-After` plus a little jitter, and pauses the whole key.
 * - 5xx, network errors and timeouts: exponential backoff with jitter, bounded by a number of
 *   retries and a total backoff time.
 * - A POST that may have reached the server (5xx, reset or timeout after sending) is not repeated
 *   blindly: the caller's `reconcile` looks the object up first. Without `reconcile`, such a POST
 *   is not retried; a POST that certainly never arrived (connection refused, 429) is.
 *
 * Once the engine cancels the run (Ctrl-C, see ../cancel): no POST is sent any more (a lost
 * create's `reconcile` still looks), backoff and 429 waits end at once, and so does a wait for a
 * rate-limit slot, each with a cancellation error. A request on the wire is left to finish.
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";
import axios, { AxiosInstance, AxiosResponse } from "axios";
import pRetry = require("p-retry");
import { cancellableSleep, cancellationError, isCancellation, isCancelled } from "../cancel";
import { ProviderConfig } from "../config";
import { debug } from "../log";
import { ApiError, parseApiErrorString, redact, secretValuesOf } from "./errors";
import { RateLimit, RateLimiter, Release, limiterFor } from "./limiter";
import { acquireNoticed, noticeThrottled } from "./rateLimitNotice";

export { ApiError, isApiError, isConflict, isNotFound } from "./errors";

/** Tuning of one client; every field has an environment default. */
export interface ClientOptions {
    /** Per-request timeout. @default 30000, env `CLICKHOUSE_HTTP_TIMEOUT_MS` */
    timeoutMs?: number;
    /** Retries after the first attempt for 5xx/network errors. @default 5, env `CLICKHOUSE_MAX_RETRIES` */
    maxRetries?: number;
    /** Upper bound of the total backoff sleep for 5xx/network errors. @default 60000, env `CLICKHOUSE_RETRY_BUDGET_MS` */
    retryBudgetMs?: number;
    /** First backoff delay; doubles each retry (with jitter). @default 1000 */
    backoffBaseMs?: number;
    /** Largest single backoff delay. @default 15000 */
    backoffMaxMs?: number;
    /** How many 429 answers one call sits out before giving up. @default 20 */
    max429Retries?: number;
    /** Longest single wait a 429 may impose. @default 60000 */
    max429WaitMs?: number;
    /** Rate limit of the key (applies to every client of the key). @default env `CLICKHOUSE_RATE_LIMIT` or 10/10 */
    rateLimit?: RateLimit | false;
}

/** Options of a single call. */
export interface RequestOptions<T = unknown> {
    /**
     * For a create POST: looks the object up after a failure that may have reached the server.
     * Return the object to use it as the POST's result, or undefined to send the POST again.
     */
    reconcile?: () => Promise<T | undefined>;
    /** Query string parameters. */
    query?: Record<string, string | number | boolean | undefined>;
}

const DEFAULTS = {
    timeoutMs: 30_000,
    maxRetries: 5,
    retryBudgetMs: 60_000,
    backoffBaseMs: 1_000,
    backoffMaxMs: 15_000,
    max429Retries: 20,
    max429WaitMs: 60_000,
};

function envInt(name: string, fallback: number): number {
    const v = process.env[name];
    if (v === undefined || v.trim() === "") return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}="${v}" is not a non-negative number`);
    return Math.floor(n);
}

function resolveOptions(o: ClientOptions): Required<Omit<ClientOptions, "rateLimit">> {
    return {
        timeoutMs: o.timeoutMs ?? envInt("CLICKHOUSE_HTTP_TIMEOUT_MS", DEFAULTS.timeoutMs),
        maxRetries: o.maxRetries ?? envInt("CLICKHOUSE_MAX_RETRIES", DEFAULTS.maxRetries),
        retryBudgetMs: o.retryBudgetMs ?? envInt("CLICKHOUSE_RETRY_BUDGET_MS", DEFAULTS.retryBudgetMs),
        backoffBaseMs: o.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
        backoffMaxMs: o.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
        max429Retries: o.max429Retries ?? DEFAULTS.max429Retries,
        max429WaitMs: o.max429WaitMs ?? DEFAULTS.max429WaitMs,
    };
}

let packageVersion: string | undefined;

/** This package's version, read from its package.json (found upwards from this file, in dist/ or in source). */
export function providerVersion(): string {
    if (packageVersion !== undefined) return packageVersion;
    packageVersion = "0.0.0";
    let dir = __dirname;
    for (let i = 0; i < 6; i++) {
        const candidate = path.join(dir, "package.json");
        try {
            const pkg = JSON.parse(fs.readFileSync(candidate, "utf8"));
            if (pkg.name === "pulumi-clickhouse-cloud") {
                packageVersion = String(pkg.version);
                break;
            }
        } catch {
            // not here; look one level up
        }
        dir = path.dirname(dir);
    }
    return packageVersion;
}

/** The `User-Agent` this client sends. */
export function userAgent(): string {
    return `pulumi-clickhouse-cloud/${providerVersion()} (node ${process.versions.node})`;
}

/** Network error codes after which the request may or may not have reached the server. */
const MAYBE_DELIVERED = new Set(["ECONNRESET", "ETIMEDOUT", "ECONNABORTED", "EPIPE", "ESOCKETTIMEDOUT", "ERR_NETWORK"]);
/** Network error codes that mean the request never left this machine or never got accepted. */
const NOT_DELIVERED = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** Connection pools shared by all clients (idle sockets do not keep the process alive). */
const KEEP_ALIVE = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
const FRESH = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

interface Failure {
    error: ApiError;
    kind: "throttled" | "transient" | "fatal";
    /** The request may have been executed by the server. */
    maybeDelivered: boolean;
}

class Retryable extends Error {
    constructor(readonly failure: Failure) {
        super(failure.error.message);
    }
}

/** Talks to one organization with one API key. Paths are relative to `/v1/organizations/{orgId}`. */
export class ApiClient {
    /** The organization every relative path is under. */
    readonly orgId: string;
    readonly apiUrl: string;
    readonly keyId: string;
    /** The limiter shared by every client of this key in the process. */
    readonly limiter: RateLimiter;
    private readonly http: AxiosInstance;
    private readonly opts: Required<Omit<ClientOptions, "rateLimit">>;
    private readonly secrets: string[];

    constructor(cfg: ProviderConfig, options: ClientOptions = {}) {
        this.orgId = cfg.organizationId;
        this.apiUrl = cfg.apiUrl.replace(/\/+$/, "");
        this.keyId = cfg.keyId;
        this.opts = resolveOptions(options);
        this.limiter = limiterFor(cfg.keyId, options.rateLimit, this.apiUrl);
        const authHeader = "Basic " + Buffer.from(`${cfg.keyId}:${cfg.keySecret}`).toString("base64");
        this.secrets = [cfg.keySecret, authHeader, authHeader.slice(6)];
        this.http = axios.create({
            baseURL: this.apiUrl,
            timeout: this.opts.timeoutMs,
            headers: {
                Authorization: authHeader,
                "User-Agent": userAgent(),
                Accept: "application/json",
                "Content-Type": "application/json; charset=utf-8",
            },
            // Every status is handled here, so axios never builds errors that carry the request config.
            validateStatus: () => true,
            maxRedirects: 0,
            httpAgent: KEEP_ALIVE.http,
            httpsAgent: KEEP_ALIVE.https,
            transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
            proxy: false,
        });
    }

    /** GET `/v1/organizations/{orgId}{path}`; returns the unwrapped `result`. */
    async get<T>(p: string, opts?: RequestOptions<T>): Promise<T> {
        return this.request<T>("GET", this.orgPath(p), undefined, opts);
    }

    /** POST a body; a create POST should pass `reconcile` (see {@link RequestOptions.reconcile}). */
    async post<T>(p: string, body: unknown, opts?: RequestOptions<T>): Promise<T> {
        return this.request<T>("POST", this.orgPath(p), body, opts);
    }

    async patch<T>(p: string, body: unknown, opts?: RequestOptions<T>): Promise<T> {
        return this.request<T>("PATCH", this.orgPath(p), body, opts);
    }

    async put<T>(p: string, body: unknown, opts?: RequestOptions<T>): Promise<T> {
        return this.request<T>("PUT", this.orgPath(p), body, opts);
    }

    async delete(p: string, opts?: RequestOptions<void>): Promise<void> {
        await this.request<unknown>("DELETE", this.orgPath(p), undefined, opts);
    }

    /** GET a path under `/v1` (e.g. `/organizations`), outside the organization. */
    async root<T>(p: string, opts?: RequestOptions<T>): Promise<T> {
        return this.request<T>("GET", "/v1" + encodePath(ensureSlash(p)), undefined, opts);
    }

    /** GET a text (non-JSON) resource under the organization, e.g. the Prometheus metrics. */
    async getText(p: string, opts?: RequestOptions<string>): Promise<string> {
        return this.request<string>("GET", this.orgPath(p), undefined, opts, true);
    }

    private orgPath(p: string): string {
        return `/v1/organizations/${encodeSegment(this.orgId)}${p === "" ? "" : encodePath(ensureSlash(p))}`;
    }

    private async request<T>(method: Method, fullPath: string, body: unknown, opts: RequestOptions<T> = {}, text = false): Promise<T> {
        const displayPath = fullPath + queryString(opts.query);
        const scrub = [...this.secrets, ...secretValuesOf(body)];
        let transientRetries = 0;
        let throttledRetries = 0;
        let backoffSpentMs = 0;
        let attempts = 0;
        let pendingReconcile = false;
        let lastFailure: ApiError | undefined;

        const attempt = async (): Promise<T> => {
            if (pendingReconcile && opts.reconcile) {
                pendingReconcile = false;
                const found = await opts.reconcile();
                if (found !== undefined) return found;
            }
            if (method === "POST" && isCancelled()) {
                throw cancellationError(
                    lastFailure
                        ? `retrying POST ${displayPath} (the last attempt failed: ${lastFailure.message}); it was not sent again`
                        : `about to send POST ${displayPath}; it was not sent`,
                );
            }
            attempts++;
            let release: Release;
            try {
                release = await acquireNoticed(this.limiter, `${method} ${displayPath}`);
            } catch (e) {
                if (isCancellation(e)) throw cancellationError(`waiting for a rate-limit slot for ${method} ${displayPath}`);
                throw e;
            }
            let res: AxiosResponse;
            let status: number | undefined;
            try {
                res = await this.http.request({
                    method,
                    url: displayPath,
                    data: body === undefined ? undefined : JSON.stringify(body),
                    responseType: text ? "text" : "json",
                    transformResponse: text ? [(d: unknown) => d] : undefined,
                    headers: text ? { Accept: "text/plain, */*" } : undefined,
                    // A POST goes on a fresh connection: a reused keep-alive socket that the server closes
                    // at the same moment fails with a reset that would look like a maybe-executed create.
                    ...(method === "POST" ? { httpAgent: FRESH.http, httpsAgent: FRESH.https } : {}),
                });
                status = res.status;
            } catch (e) {
                throw new Retryable(this.networkFailure(e, method, displayPath, scrub));
            } finally {
                // A 429 tells the limiter the key is busier than its own accounting shows.
                release(status);
            }
            if (res.status >= 200 && res.status < 300) return unwrap<T>(res.data, text);
            throw new Retryable(this.httpFailure(res, method, displayPath, scrub));
        };

        const onFailedAttempt = async (err: pRetry.FailedAttemptError): Promise<void> => {
            if (!(err instanceof Retryable)) throw err;
            const f = err.failure;
            f.error.setAttempts(attempts);
            lastFailure = f.error;
            if (f.kind === "fatal") throw f.error;
            let delayMs: number;
            if (f.kind === "throttled") {
                if (throttledRetries >= this.opts.max429Retries) throw f.error;
                throttledRetries++;
                const wait = Math.min(f.error.retryAfterMs ?? 1000, this.opts.max429WaitMs);
                this.limiter.noteThrottled(wait);
                delayMs = wait + jitter(100, 500);
                debug(`clickhouse: ${method} ${displayPath} throttled (429); waiting ${Math.round(delayMs)} ms`);
                noticeThrottled(`${method} ${displayPath}`, delayMs);
            } else {
                if (method === "POST" && f.maybeDelivered && !opts.reconcile) throw f.error;
                if (transientRetries >= this.opts.maxRetries) throw f.error;
                const exp = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** transientRetries);
                delayMs = exp / 2 + Math.random() * (exp / 2);
                if (backoffSpentMs + delayMs > this.opts.retryBudgetMs) throw f.error;
                transientRetries++;
                backoffSpentMs += delayMs;
                if (method === "POST" && f.maybeDelivered) pendingReconcile = true;
                debug(
                    `clickhouse: ${method} ${displayPath} failed (${f.error.status || f.error.code}); retry ${transientRetries}/${this.opts.maxRetries} in ${Math.round(delayMs)} ms`,
                );
            }
            try {
                await cancellableSleep(
                    delayMs,
                    `waiting to retry ${method} ${displayPath} after ${f.error.status === 0 ? f.error.code : f.error.status}`,
                );
            } catch (e) {
                // A create that may have reached the server is looked up once more before giving up.
                if (isCancellation(e) && pendingReconcile && opts.reconcile) return;
                throw e;
            }
        };

        try {
            return await pRetry(attempt, {
                retries: this.opts.maxRetries + this.opts.max429Retries + 1,
                factor: 1,
                minTimeout: 0,
                maxTimeout: 0,
                randomize: false,
                onFailedAttempt,
            });
        } catch (e) {
            if (e instanceof Retryable) throw e.failure.error;
            throw e;
        }
    }

    private httpFailure(res: AxiosResponse, method: Method, displayPath: string, scrub: string[]): Failure {
        const data = parseMaybeJson(res.data);
        const parsed = parseApiErrorString(
            data && typeof data === "object"
                ? (data as { error?: unknown }).error
                : typeof data === "string"
                  ? data.slice(0, 500)
                  : undefined,
            res.status,
        );
        const requestId =
            (data && typeof data === "object" && typeof (data as { requestId?: unknown }).requestId === "string"
                ? (data as { requestId: string }).requestId
                : undefined) ?? headerString(res.headers["x-request-id"]);
        let retryAfterMs: number | undefined;
        if (res.status === 429) retryAfterMs = retryAfterFromHeaders(res.headers);
        const error = new ApiError({
            status: res.status,
            code: parsed.code,
            detail: parsed.detail === undefined ? undefined : redact(parsed.detail, scrub),
            requestId,
            method,
            path: displayPath,
            retryAfterMs,
        });
        if (res.status === 429) return { error, kind: "throttled", maybeDelivered: false };
        if (res.status >= 500 && res.status !== 501) return { error, kind: "transient", maybeDelivered: true };
        return { error, kind: "fatal", maybeDelivered: true };
    }

    private networkFailure(e: unknown, method: Method, displayPath: string, scrub: string[]): Failure {
        const err = e as { code?: string; message?: string };
        let code = typeof err?.code === "string" ? err.code : "ERR_NETWORK";
        const message = String(err?.message ?? e);
        if (/socket hang up/i.test(message)) code = "ECONNRESET";
        const error = new ApiError({ status: 0, code, detail: redact(message, scrub), method, path: displayPath });
        if (NOT_DELIVERED.has(code)) return { error, kind: "transient", maybeDelivered: false };
        if (MAYBE_DELIVERED.has(code)) return { error, kind: "transient", maybeDelivered: true };
        return { error, kind: "fatal", maybeDelivered: true };
    }
}

function ensureSlash(p: string): string {
    return p.startsWith("/") ? p : "/" + p;
}

/**
 * Encodes every segment of a path, so an id never changes the path's shape (`?`, `#`, `%`,
 * spaces stay inside their segment). A segment a caller already encoded is decoded first, so it
 * is not encoded twice. A dot segment is refused: URL parsers resolve `..` and `%2e%2e` alike.
 */
export function encodePath(p: string): string {
    return p
        .split("/")
        .map((s, i) => (i === 0 && s === "" ? s : encodeSegment(decodeOnce(s))))
        .join("/");
}

function decodeOnce(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

function encodeSegment(s: string): string {
    if (s === "." || s === "..")
        throw new Error(`clickhouse: refusing to send a request whose path segment is ${JSON.stringify(s)}; an id cannot be "." or ".."`);
    return encodeURIComponent(s);
}

function queryString(q: RequestOptions["query"]): string {
    if (!q) return "";
    const entries = Object.entries(q).filter(([, v]) => v !== undefined) as [string, string | number | boolean][];
    if (entries.length === 0) return "";
    return "?" + entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&");
}

function parseMaybeJson(data: unknown): unknown {
    if (typeof data !== "string") return data;
    try {
        return JSON.parse(data);
    } catch {
        return data;
    }
}

/** Returns `result` of the API envelope; undefined for envelopes without one (DELETE). */
function unwrap<T>(data: unknown, text: boolean): T {
    if (text) return (typeof data === "string" ? data : JSON.stringify(data)) as T;
    const d = parseMaybeJson(data);
    if (d && typeof d === "object" && !Array.isArray(d) && "status" in d && ("result" in d || "requestId" in d)) {
        return (d as { result?: T }).result as T;
    }
    return d as T;
}

function headerString(v: unknown): string | undefined {
    if (Array.isArray(v)) return v.length ? String(v[0]) : undefined;
    return v === undefined || v === null ? undefined : String(v);
}

/**
 * How long a 429 asks us to wait: the larger of `X-RateLimit-Reset` (seconds to wait; an epoch
 * timestamp is also understood) and `Retry-After` (seconds or an HTTP date). Undefined if neither.
 */
export function retryAfterFromHeaders(headers: Record<string, unknown>, now = Date.now()): number | undefined {
    const waits: number[] = [];
    const reset = headerString(headers["x-ratelimit-reset"]);
    if (reset !== undefined && reset.trim() !== "" && Number.isFinite(Number(reset))) {
        const n = Number(reset);
        waits.push(n > 1e9 ? n * 1000 - now : n * 1000);
    }
    const ra = headerString(headers["retry-after"]);
    if (ra !== undefined && ra.trim() !== "") {
        if (Number.isFinite(Number(ra))) waits.push(Number(ra) * 1000);
        else {
            const t = Date.parse(ra);
            if (Number.isFinite(t)) waits.push(t - now);
        }
    }
    if (waits.length === 0) return undefined;
    return Math.max(0, ...waits);
}

function jitter(minMs: number, maxMs: number): number {
    return minMs + Math.random() * (maxMs - minMs);
}

const clients = new Map<string, { secret: string; client: ApiClient }>();

/**
 * The client for this configuration, created once per API URL, key and organization and shared
 * process-wide (all clients of one key also share one rate limiter).
 */
export function getClient(cfg: ProviderConfig, options?: ClientOptions): ApiClient {
    const key = `${cfg.apiUrl.replace(/\/+$/, "")} ${cfg.keyId} ${cfg.organizationId}`;
    const hit = clients.get(key);
    if (hit && hit.secret === cfg.keySecret && options === undefined) return hit.client;
    const client = new ApiClient(cfg, options);
    clients.set(key, { secret: cfg.keySecret, client });
    return client;
}

/** Forgets the cached clients (tests). */
export function resetClients(): void {
    clients.clear();
}
