/**
 * Tells the person running `pulumi up` when a request waits for the rate limit for more than
 * {@link RATE_LIMIT_NOTICE_MS}: held by this process's limiter (the window of 10 requests per
 * 10 s is full), or refused with 429 and waiting for the key's reset. Without it a long wait looks
 * like a hang. Shorter waits, the common case, stay silent. The lines are progress (ephemeral)
 * lines like the wait for a state, and never contain a credential: only the method and path.
 */
import { progress } from "../log";
import type { RateLimiter, Release } from "./limiter";
import type { RateLimit } from "./rateLimit";

/** Waits shorter than this are not reported. */
export const RATE_LIMIT_NOTICE_MS = 2000;

const LABEL = "clickhouse";

function describeLimit(limit: RateLimit | false): string {
    if (limit === false) return "the client-side limiter is off";
    const seconds = Math.round((limit.windowMs / 1000) * 10) / 10;
    return `${limit.requests} request${limit.requests === 1 ? "" : "s"} per ${seconds} s per API key`;
}

/**
 * `limiter.acquire()`, with one progress line if the slot takes longer than
 * {@link RATE_LIMIT_NOTICE_MS} to come. `what` is the request, e.g. `GET /v1/organizations/…/services`.
 */
export async function acquireNoticed(limiter: RateLimiter, what: string): Promise<Release> {
    const timer = setTimeout(() => {
        const stats = limiter.stats();
        const queued = stats.queued > 1 ? `; ${stats.queued} requests are waiting` : "";
        progress(LABEL, `${what} waits for the API rate limit (${describeLimit(stats.limit)})${queued}`);
    }, RATE_LIMIT_NOTICE_MS);
    try {
        return await limiter.acquire();
    } finally {
        clearTimeout(timer);
    }
}

/** Reports a 429 answer whose wait (`delayMs`, before the retry) is long enough to notice. */
export function noticeThrottled(what: string, delayMs: number): void {
    if (delayMs < RATE_LIMIT_NOTICE_MS) return;
    progress(LABEL, `${what} was refused with 429 (rate limit); waiting ${Math.round(delayMs / 1000)}s before retrying`);
}
