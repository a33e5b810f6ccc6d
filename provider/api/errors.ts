/**
 * The one error type of the API client. It carries what a person or a retry decision needs
 * (status, API code, requestId, method, path) and never the credentials or any secret field of
 * the request body: it holds no reference to the HTTP request or its configuration.
 */

/** Upper-case names the API puts before the detail of an error (`"BAD_REQUEST: ..."`). */
const STATUS_CODES: Record<number, string> = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    422: "UNPROCESSABLE_ENTITY",
    424: "FAILED_DEPENDENCY",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
};

/** Fields of a request body whose values are secret and must never appear in errors or logs. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
    "password",
    "passwordHash",
    "newPasswordHash",
    "newDoubleSha1Hash",
    "doubleSha1PasswordHash",
    "credentials",
    "encryptionKey",
    "secretAccessKey",
    "accessKey",
    "secretKey",
    "serviceAccountKey",
    "serviceAccountFile",
    "connectionString",
    "privateKey",
    "keySecret",
]);

/** Construction fields of {@link ApiError}. */
export interface ApiErrorInit {
    /** HTTP status; 0 when no response arrived (network error, timeout). */
    status: number;
    /** API error code (`BAD_REQUEST`, `CONFLICT`, ...) or the network error code (`ECONNRESET`). */
    code?: string;
    /** The detail after `CODE: ` in the API's error string, or the network error's message. */
    detail?: string;
    requestId?: string;
    method: string;
    /** Path from the host on, e.g. `/v1/organizations/<org>/services/<id>`. */
    path: string;
    /** How long the API asked us to wait before the next request (429). */
    retryAfterMs?: number;
    /** How many attempts were made before giving up. */
    attempts?: number;
}

/**
 * An API call that failed, after any retries. The message reads like
 * `ClickHouse Cloud API: PATCH /v1/organizations/<org>/services/<id>/scaling -> 400 BAD_REQUEST:
 * Invalid minimum memory size: 12 (requestId 1234...)`.
 */
export class ApiError extends Error {
    readonly status: number;
    readonly code?: string;
    readonly detail?: string;
    readonly requestId?: string;
    readonly method: string;
    readonly path: string;
    readonly retryAfterMs?: number;
    /** How many attempts were made (set once retrying has ended). */
    attempts?: number;
    declare private readonly init: ApiErrorInit;

    constructor(init: ApiErrorInit) {
        super(formatApiErrorMessage(init));
        this.name = "ApiError";
        this.status = init.status;
        this.code = init.code;
        this.detail = init.detail;
        this.requestId = init.requestId;
        this.method = init.method;
        this.path = init.path;
        this.retryAfterMs = init.retryAfterMs;
        this.attempts = init.attempts;
        Object.defineProperty(this, "init", { value: init, enumerable: false });
    }

    /** Records how many attempts were made; the message then says so. */
    setAttempts(n: number): void {
        this.attempts = n;
        this.message = formatApiErrorMessage({ ...this.init, attempts: n });
    }

    /** True when no HTTP response was received. */
    get isNetworkError(): boolean {
        return this.status === 0;
    }
}

function formatApiErrorMessage(e: ApiErrorInit): string {
    const outcome = e.status === 0 ? `network error ${e.code ?? ""}`.trimEnd() : `${e.status} ${e.code ?? ""}`.trimEnd();
    const detail = e.detail ? `: ${e.detail}` : "";
    const extras: string[] = [];
    if (e.requestId) extras.push(`requestId ${e.requestId}`);
    if (e.attempts && e.attempts > 1) extras.push(`after ${e.attempts} attempts`);
    const suffix = extras.length ? ` (${extras.join(", ")})` : "";
    const hint = hintFor(e);
    return `ClickHouse Cloud API: ${e.method} ${e.path} -> ${outcome}${detail}${suffix}${hint ? `. ${hint}` : ""}`;
}

/** Node's codes for a server certificate it does not accept. */
const TLS_CODES = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_UNTRUSTED",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_REVOKED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * What a person should check for errors that are about the setup rather than the request:
 * the key (401), the key's organization or role (403), an untrusted TLS certificate. Never
 * contains a credential: only the names of the settings.
 */
export function hintFor(e: Pick<ApiErrorInit, "status" | "code" | "path">): string | undefined {
    if (e.status === 401) {
        return (
            "The API key was refused: check clickhouse:tokenKey and clickhouse:tokenSecret (or CLICKHOUSE_TOKEN_KEY and CLICKHOUSE_TOKEN_SECRET); " +
            "they must be the id and secret of an active key of this organization (ClickHouse Cloud console > API keys)"
        );
    }
    if (e.status === 403) {
        const org = /\/v1\/organizations\/([^/?]+)/.exec(e.path)?.[1];
        return (
            `The API key may not do this${org ? ` in organization ${decodeURIComponent(org)}` : ""}: check that clickhouse:organizationId (or CLICKHOUSE_ORG_ID) ` +
            "is the organization the key belongs to, and that the key's role allows the operation (changes need an Admin or Developer key)"
        );
    }
    if (e.status === 0 && e.code && TLS_CODES.has(e.code)) {
        return (
            "The server's TLS certificate was not accepted, so no request was sent. If the API is reached through a proxy or a server with your own " +
            "certificate authority, trust that authority with NODE_EXTRA_CA_CERTS=<ca.pem>; certificate verification is never switched off"
        );
    }
    return undefined;
}

/** Splits the API's `"CODE: detail"` error string; falls back to the status name. */
export function parseApiErrorString(error: unknown, status: number): { code?: string; detail?: string } {
    if (typeof error === "string" && error.length > 0) {
        const m = /^([A-Z][A-Z0-9_]*)(?::\s*([\s\S]*))?$/.exec(error.trim());
        if (m) return { code: m[1], detail: m[2] || undefined };
        return { code: STATUS_CODES[status], detail: error };
    }
    return { code: STATUS_CODES[status] };
}

/** Collects the string values of secret fields anywhere in a request body, to scrub them from messages. */
export function secretValuesOf(body: unknown, out: string[] = [], underSecret = false): string[] {
    if (body === null || body === undefined) return out;
    if (typeof body === "string") {
        if (underSecret && body.length >= 3) out.push(body);
        return out;
    }
    if (Array.isArray(body)) {
        for (const v of body) secretValuesOf(v, out, underSecret);
        return out;
    }
    if (typeof body === "object") {
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
            secretValuesOf(v, out, underSecret || SECRET_FIELDS.has(k));
        }
    }
    return out;
}

/** Replaces every occurrence of each secret in `text` with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of secrets) {
        if (s && s.length >= 3) out = out.split(s).join("***");
    }
    return out;
}

/** True for an {@link ApiError} with the given HTTP status. */
export function isApiError(e: unknown, status?: number): e is ApiError {
    // Duck-typed as well: the compiled package and its sources can both be loaded in one process.
    const like =
        e instanceof ApiError ||
        (e instanceof Error &&
            e.name === "ApiError" &&
            typeof (e as { status?: unknown }).status === "number" &&
            typeof (e as { method?: unknown }).method === "string");
    return like && (status === undefined || (e as ApiError).status === status);
}

/** True when the API answered 404: the object does not exist (any more). */
export function isNotFound(e: unknown): boolean {
    return isApiError(e, 404);
}

/** True when the API answered 409: the object is in a state that forbids the operation (yet). */
export function isConflict(e: unknown): boolean {
    return isApiError(e, 409);
}
