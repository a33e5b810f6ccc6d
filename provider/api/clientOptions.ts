/**
 * How an API client is tuned: {@link ClientOptions} (timeouts, retry bounds, 429 limits, the
 * key's rate limit) with the environment defaults each falls back to, and the options of a
 * single call ({@link RequestOptions}: a create's `reconcile`, the query string).
 */
import type { RateLimit } from "./rateLimit";

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
    /**
     * Called once the rate limiter has granted the call a slot, before the request is sent: a value
     * it returns is the call's result, the request is not sent and the slot is given back unused.
     * A poller passes one that looks for the list another process of this machine has just made
     * (and waits briefly for one that process has in flight). The slot is held meanwhile.
     */
    instead?: () => Promise<T | undefined>;
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

/** The options of one client, each one given, else its environment variable, else its default. */
export function resolveOptions(o: ClientOptions): Required<Omit<ClientOptions, "rateLimit">> {
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
