/**
 * HTTP client of the ClickHouse Cloud API: one per (API URL, key, organization), shared by every
 * resource of the process. It knows nothing about resources; it decides authentication,
 * envelopes, errors, retries and pacing, here and in the files beside it named below.
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
 *
 * This file holds the client, its retry loop and the cache of clients. Its options are in
 * ./clientOptions.ts, its `User-Agent` in ./userAgent.ts, the URL of a call in ./requestUrl.ts,
 * and what an answer means (the envelope's result, or a classified failure) in ./responses.ts.
 */
import * as http from "http";
import * as https from "https";
import type { AxiosInstance, AxiosResponse, CreateAxiosDefaults } from "axios";
import pRetry = require("p-retry");
import { cancellableSleep, cancellationError, isCancellation, isCancelled } from "../cancel";
import { ProviderConfig } from "../config";
import { debug } from "../log";
import { ClientOptions, RequestOptions, resolveOptions } from "./clientOptions";
import { ApiError, secretValuesOf } from "./errors";
import { RateLimiter, Release } from "./limiter";
import { limiterFor } from "./limiterRegistry";
import { acquireNoticed, noticeThrottled } from "./rateLimitNotice";
import { budgetFileKey } from "./sharedBudget";
import { FileStateBoard, StateBoard, stateBoardFile } from "./sharedStates";
import { encodePath, encodeSegment, ensureSlash, queryString } from "./requestUrl";
import { httpFailure, Method, networkFailure, Retryable, unwrap } from "./responses";
import { userAgent } from "./userAgent";

export { ApiError, isApiError, isConflict, isNotFound } from "./errors";

/** Connection pools shared by all clients (idle sockets do not keep the process alive). */
const KEEP_ALIVE = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
const FRESH = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

/** Talks to one organization with one API key. Paths are relative to `/v1/organizations/{orgId}`. */
export class ApiClient {
    /** The organization every relative path is under. */
    readonly orgId: string;
    readonly apiUrl: string;
    readonly keyId: string;
    /** The limiter shared by every client of this key in the process. */
    readonly limiter: RateLimiter;
    /** What the axios instance is made with; see {@link http}. */
    private readonly httpConfig: CreateAxiosDefaults;
    private httpInstance: AxiosInstance | undefined;
    private readonly opts: Required<Omit<ClientOptions, "rateLimit">>;
    private readonly secrets: string[];
    /**
     * The service states other processes of this machine using this key and organization saw in
     * their last list call, while the rate-limit budget is shared with them (see ./sharedStates).
     */
    readonly stateBoard: StateBoard | undefined;

    constructor(cfg: ProviderConfig, options: ClientOptions = {}) {
        this.orgId = cfg.organizationId;
        this.apiUrl = cfg.apiUrl.replace(/\/+$/, "");
        this.keyId = cfg.keyId;
        this.opts = resolveOptions(options);
        this.limiter = limiterFor(cfg.keyId, options.rateLimit, this.apiUrl);
        const dir = this.limiter.sharedDir;
        this.stateBoard =
            dir === undefined
                ? undefined
                : new FileStateBoard(stateBoardFile(dir, budgetFileKey(this.apiUrl, cfg.keyId), cfg.organizationId));
        const authHeader = "Basic " + Buffer.from(`${cfg.keyId}:${cfg.keySecret}`).toString("base64");
        this.secrets = [cfg.keySecret, authHeader, authHeader.slice(6)];
        this.httpConfig = {
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
        };
    }

    /**
     * The axios instance, made at the first request. Loading axios takes about a tenth of a second,
     * and most processes that load this file never send a request: a preview's program and
     * provider process check and diff without one, and every resource kind's handlers load it.
     */
    private get http(): AxiosInstance {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
        this.httpInstance ??= (require("axios") as typeof import("axios")).default.create(this.httpConfig);
        return this.httpInstance;
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

    /** Writes sent and not yet answered, and when the last one was answered (see {@link writesSettledBy}). */
    private writesInFlight = 0;
    private lastWriteSettledAt = 0;

    /**
     * True when no write (POST, PATCH, PUT, DELETE) of this client is in flight and none was
     * answered after `at` (epoch ms): a read sent at `at` already reflects every write of this process.
     */
    writesSettledBy(at: number): boolean {
        return this.writesInFlight === 0 && this.lastWriteSettledAt <= at;
    }

    private async request<T>(method: Method, fullPath: string, body: unknown, opts: RequestOptions<T> = {}, text = false): Promise<T> {
        if (method === "GET") return this.send<T>(method, fullPath, body, opts, text);
        this.writesInFlight++;
        try {
            return await this.send<T>(method, fullPath, body, opts, text);
        } finally {
            this.writesInFlight--;
            this.lastWriteSettledAt = Date.now();
        }
    }

    private async send<T>(method: Method, fullPath: string, body: unknown, opts: RequestOptions<T>, text: boolean): Promise<T> {
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
            if (opts.instead) {
                let found: T | undefined;
                try {
                    found = await opts.instead();
                } catch (e) {
                    release("unused");
                    throw e;
                }
                if (found !== undefined) {
                    release("unused");
                    return found;
                }
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
                throw new Retryable(networkFailure(e, method, displayPath, scrub));
            } finally {
                // A 429 tells the limiter the key is busier than its own accounting shows.
                release(status);
            }
            if (res.status >= 200 && res.status < 300) return unwrap<T>(res.data, text);
            throw new Retryable(httpFailure(res, method, displayPath, scrub));
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
