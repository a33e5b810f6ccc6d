/**
 * What an answer of the API means to the client: the `result` of a successful answer's
 * envelope, or a failure classified for the retry loop, as an {@link ApiError} (secrets
 * redacted) with its kind (throttled, transient, fatal) and whether the request may have been
 * executed. Network errors are classified the same way, and a 429's wait is read from its headers.
 */
import type { AxiosResponse } from "axios";
import { ApiError, parseApiErrorString, redact } from "./errors";

/** Network error codes after which the request may or may not have reached the server. */
const MAYBE_DELIVERED = new Set(["ECONNRESET", "ETIMEDOUT", "ECONNABORTED", "EPIPE", "ESOCKETTIMEDOUT", "ERR_NETWORK"]);
/** Network error codes that mean the request never left this machine or never got accepted. */
const NOT_DELIVERED = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/** The HTTP methods the client sends. */
export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** A failed attempt, classified for the retry loop. */
export interface Failure {
    error: ApiError;
    kind: "throttled" | "transient" | "fatal";
    /** The request may have been executed by the server. */
    maybeDelivered: boolean;
}

/** Thrown by an attempt so that the retry loop sees the classified failure. */
export class Retryable extends Error {
    constructor(readonly failure: Failure) {
        super(failure.error.message);
    }
}

/** An HTTP answer that is not a success, as an error and a retry decision. */
export function httpFailure(res: AxiosResponse, method: Method, displayPath: string, scrub: string[]): Failure {
    const data = parseMaybeJson(res.data);
    const parsed = parseApiErrorString(
        data && typeof data === "object" ? (data as { error?: unknown }).error : typeof data === "string" ? data.slice(0, 500) : undefined,
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

/** A request that got no HTTP answer, as an error and a retry decision. */
export function networkFailure(e: unknown, method: Method, displayPath: string, scrub: string[]): Failure {
    const err = e as { code?: string; message?: string };
    let code = typeof err?.code === "string" ? err.code : "ERR_NETWORK";
    const message = String(err?.message ?? e);
    if (/socket hang up/i.test(message)) code = "ECONNRESET";
    const error = new ApiError({ status: 0, code, detail: redact(message, scrub), method, path: displayPath });
    if (NOT_DELIVERED.has(code)) return { error, kind: "transient", maybeDelivered: false };
    if (MAYBE_DELIVERED.has(code)) return { error, kind: "transient", maybeDelivered: true };
    return { error, kind: "fatal", maybeDelivered: true };
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
export function unwrap<T>(data: unknown, text: boolean): T {
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
