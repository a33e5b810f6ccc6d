import { timingSafeEqual } from "crypto";
import { ApiError } from "./errors";
import { RateLimitOptions } from "./options";

/**
 * HTTP Basic: key id as user, key secret as password (spec). Returns the key id, or throws 401.
 * `lookup` decides (for the emulator's own key, whose secret match it is told, and for created keys).
 */
export function authenticate(
    header: string | undefined,
    keyId: string,
    keySecret: string,
    lookup: (id: string, secretMatchesPrimary: boolean, secret: string) => string | undefined = (id, ok) =>
        ok && id === keyId ? id : undefined,
): string {
    const challenge = { "WWW-Authenticate": 'Basic realm="ClickHouse Cloud API"' };
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
    if (!m) throw new ApiError(401, "UNAUTHORIZED", "Authentication required: use HTTP Basic with an API key id and secret", challenge);
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const id = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? "" : decoded.slice(colon + 1);
    const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
    const found = lookup(id, same(id, keyId) && same(secret, keySecret), secret);
    if (found === undefined) throw new ApiError(401, "UNAUTHORIZED", "Invalid API key id or secret", challenge);
    return found;
}

/**
 * Per-key sliding-window limiter (a log of request times): a request is allowed when fewer than
 * `requests` were allowed in the last `windowSeconds` of wall time. Refused requests are not counted.
 * `X-RateLimit-Reset` is the whole number of seconds until the oldest counted request leaves the window.
 */
export class RateLimiter {
    private readonly hits = new Map<string, number[]>();

    constructor(private readonly limit: () => RateLimitOptions | false) {}

    take(key: string, now = Date.now()): void {
        const limit = this.limit();
        if (!limit) return;
        const windowMs = limit.windowSeconds * 1000;
        const list = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
        if (list.length >= limit.requests) {
            this.hits.set(key, list);
            const reset = Math.max(1, Math.ceil((list[list.length - limit.requests] + windowMs - now) / 1000));
            throw new ApiError(
                429,
                "TOO_MANY_REQUESTS",
                `Rate limit of ${limit.requests} requests per ${limit.windowSeconds} seconds exceeded for this API key; retry in ${reset} s`,
                { "X-RateLimit-Reset": String(reset), "Retry-After": String(reset) },
            );
        }
        list.push(now);
        this.hits.set(key, list);
    }

    clear(): void {
        this.hits.clear();
    }
}
