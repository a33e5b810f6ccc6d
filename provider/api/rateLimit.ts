/**
 * What a client-side rate limit is ({@link RateLimit}: N requests per S-second window) and how
 * the environment sets it: `CLICKHOUSE_RATE_LIMIT` for the limit (10 per 10 s by default, the
 * API's own) and `CLICKHOUSE_RATE_LIMIT_SLOW_START` for the requests in flight while a burst
 * starts into an idle window. The limiter (./limiter.ts) enforces it.
 */

/** Requests allowed per window. */
export interface RateLimit {
    requests: number;
    windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 10, windowMs: 10_000 };

/**
 * Parses `CLICKHOUSE_RATE_LIMIT`: `"N/S"` (N requests per S seconds, S may be fractional) or
 * `"off"`. Empty means the default 10/10.
 */
export function parseRateLimit(value: string | undefined): RateLimit | false {
    if (value === undefined || value.trim() === "") return { ...DEFAULT_RATE_LIMIT };
    const v = value.trim().toLowerCase();
    if (v === "off" || v === "false" || v === "0" || v === "none") return false;
    const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(v);
    if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
        throw new Error(`CLICKHOUSE_RATE_LIMIT="${value}" is not valid: use "N/S" (N requests per S seconds, e.g. "10/10") or "off"`);
    }
    return { requests: Number(m[1]), windowMs: Math.round(Number(m[2]) * 1000) };
}

/**
 * Slow start: requests in flight at most, in an idle window, until a budget's worth of answers
 * came back. One: when another machine's run starts on the key at the same moment, what the
 * full window refuses is what was in flight, so one per side (two had 9 × 429 of 164 requests in
 * the parallel.k3n10.foreign benchmark, one 5 of 160). The price is a round trip per request
 * of a burst's first window (ten creates: ten round trips, seconds against minutes of provisioning).
 */
export const SLOW_START = 1;

/**
 * Parses `CLICKHOUSE_RATE_LIMIT_SLOW_START`: the requests in flight at most while a burst starts
 * into an idle window (default {@link SLOW_START}), or `off` (a key no other machine uses).
 */
export function parseSlowStart(value: string | undefined): number {
    if (value === undefined || value.trim() === "") return SLOW_START;
    const v = value.trim().toLowerCase();
    if (["off", "false", "0", "no", "none"].includes(v)) return 0;
    if (!/^\d+$/.test(v))
        throw new Error(`CLICKHOUSE_RATE_LIMIT_SLOW_START="${value}" is not valid: use a number of requests (e.g. "2") or "off"`);
    return Number(v);
}
