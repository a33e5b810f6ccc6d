/**
 * The limiter of each API key in this process, created on first use from the environment
 * (./rateLimit.ts) and shared by every client of the key, and its counters for tests and
 * benchmarks.
 */
import { LimiterStats, RateLimiter } from "./limiter";
import { parseRateLimit, parseSlowStart, RateLimit } from "./rateLimit";
import { sharingFromEnv } from "./sharedBudget";

const limiters = new Map<string, RateLimiter>();

/**
 * The limiter of an API key, created on first use with the limit from `CLICKHOUSE_RATE_LIMIT`
 * (or `limit` when given), one slot per window kept for observations and slow start
 * (`CLICKHOUSE_RATE_LIMIT_SLOW_START`). Every
 * client of the same key in this process gets the same one; with `apiUrl`, it shares its budget
 * with the other processes of this machine using the same URL and key unless
 * `CLICKHOUSE_RATE_LIMIT_SHARED=off` (see ./sharedBudget).
 */
export function limiterFor(keyId: string, limit?: RateLimit | false, apiUrl?: string): RateLimiter {
    let l = limiters.get(keyId);
    if (!l) {
        const effective = limit !== undefined ? limit : parseRateLimit(process.env.CLICKHOUSE_RATE_LIMIT);
        const sharing = apiUrl !== undefined && effective !== false ? sharingFromEnv() : false;
        l = new RateLimiter(effective, 1, {
            slowStart: parseSlowStart(process.env.CLICKHOUSE_RATE_LIMIT_SLOW_START),
            shared: sharing ? { dir: sharing.dir, apiUrl: apiUrl!, keyId } : undefined,
        });
        limiters.set(keyId, l);
    } else if (limit !== undefined) {
        l.setLimit(limit);
    }
    return l;
}

/** Stats of the limiter of `keyId`, or undefined when that key has not been used. */
export function limiterStats(keyId: string): LimiterStats | undefined {
    return limiters.get(keyId)?.stats();
}

/** Forgets every limiter (tests only). */
export function resetLimiters(): void {
    limiters.clear();
}
