import * as http from "http";
import * as https from "https";
import { randomUUID, timingSafeEqual } from "crypto";
import { authenticate, RateLimiter } from "./auth";
import { handleControl, LogEntry } from "./control";
import { Core } from "./core";
import { ApiError, STATUS_CODES } from "./errors";
import { injectedError, injectedErrorAfter, latencyMs, shouldReset } from "./faults";
import { member } from "./json";
import { ResponseRecord, RuntimeSettings } from "./options";
import { route } from "./router";
import { keyFor } from "./organization";

const MAX_BODY = 1024 * 1024;
const MAX_LOG = 10000;
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export interface ServerDeps {
    core: Core;
    settings: RuntimeSettings;
    organizationId: string;
    keyId: string;
    keySecret: string;
    onResponse?: (r: ResponseRecord) => void;
    /** PEM certificate and key: serve HTTPS instead of HTTP. */
    tls?: { cert: string; key: string };
    /** Lets a control request through whatever its Origin or content type (header `X-Emulator-Token`). */
    controlToken: string;
    /** The listen address, accepted in the Host header of control requests besides the loopback names. */
    host: string;
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size <= MAX_BODY) chunks.push(c);
        });
        req.on("end", () =>
            size > MAX_BODY
                ? reject(new ApiError(413, "PAYLOAD_TOO_LARGE", `request body larger than ${MAX_BODY} bytes`))
                : resolve(Buffer.concat(chunks).toString("utf8")),
        );
        req.on("error", reject);
    });
}

/** Keys that would reach an object's prototype if a body were ever merged key by key. */
const FORBIDDEN_KEYS = new Set(["__proto__"]);

function parseJson(text: string, what: string): unknown {
    if (text.trim() === "") return {};
    let forbidden: string | undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text, (k, v: unknown) => {
            if (FORBIDDEN_KEYS.has(k)) forbidden = k;
            return v;
        });
    } catch {
        throw new ApiError(400, "BAD_REQUEST", `${what}: Invalid JSON`);
    }
    if (forbidden !== undefined)
        throw new ApiError(400, "BAD_REQUEST", `${what}: the key '${forbidden}' is not accepted anywhere in a body`);
    return parsed;
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** The host name of a Host header, without the port. */
function hostName(header: string): string {
    if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
    const colon = header.lastIndexOf(":");
    return (colon >= 0 ? header.slice(0, colon) : header).toLowerCase();
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Why a control request must be refused, or undefined. A web page can send a `text/plain` POST to
 * any local port without a preflight, and a rebound DNS name makes the page same-origin: so a
 * control request needs the start token, or else a loopback Host, no foreign Origin and (for
 * anything but GET) a JSON body.
 */
function controlRefusal(req: http.IncomingMessage, deps: ServerDeps, scheme: string): { status: number; error: string } | undefined {
    const token = req.headers["x-emulator-token"];
    if (typeof token === "string" && sameText(token, deps.controlToken)) return undefined;
    const host = req.headers.host;
    if (host !== undefined && !LOOPBACK_NAMES.has(hostName(host)) && hostName(host) !== deps.host.toLowerCase())
        return { status: 403, error: `FORBIDDEN: the control API answers only requests for a loopback host, not ${host}` };
    const origin = req.headers.origin;
    if (origin !== undefined && (host === undefined || origin !== `${scheme}://${host}`))
        return {
            status: 403,
            error: `FORBIDDEN: the control API refuses cross-origin requests (Origin ${origin}); send the X-Emulator-Token header printed at start`,
        };
    const site = req.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site")
        return { status: 403, error: `FORBIDDEN: the control API refuses cross-site requests (Sec-Fetch-Site ${site})` };
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD" && !/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? ""))
        return { status: 415, error: "UNSUPPORTED_MEDIA_TYPE: control requests other than GET must send Content-Type: application/json" };
    return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The request target as sent: the path is never normalized (no `..` or `%2e%2e` resolution), only split from the query. */
export interface RequestTarget {
    pathname: string;
    search: string;
    searchParams: URLSearchParams;
}

export function requestTarget(raw: string | undefined): RequestTarget {
    const target = raw && raw.startsWith("/") ? raw : "/";
    const q = target.indexOf("?");
    const hash = target.indexOf("#");
    const pathname = target.slice(0, q >= 0 ? q : hash >= 0 ? hash : undefined);
    const search = q >= 0 ? target.slice(q, hash > q ? hash : undefined) : "";
    return { pathname, search, searchParams: new URLSearchParams(search) };
}

/** The HTTP front: faults, auth, rate limit, routing, envelopes, request log, persistence after mutations. */
export function createServer(deps: ServerDeps) {
    const log: LogEntry[] = [];
    const limiter = new RateLimiter(() => deps.settings.rateLimit);
    const control = { core: deps.core, settings: deps.settings, log, clearRateLimits: () => limiter.clear() };

    async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: RequestTarget) {
        const started = process.hrtime.bigint();
        const method = req.method ?? "GET";
        const requestId = randomUUID();
        let keyId: string | null = null;
        const finish = (status: number) => {
            // Virtual-clock time, like transition events, so the two can be compared (e.g. for wait lag).
            log.push({
                time: new Date(deps.core.now()).toISOString(),
                method,
                path: url.pathname + url.search,
                status,
                durationMs: Number(process.hrtime.bigint() - started) / 1e6,
                keyId,
            });
            if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
        };
        const send = (status: number, payload: string, contentType: string, headers: Record<string, string> = {}) => {
            const all = { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(payload)), ...headers };
            res.writeHead(status, all);
            res.end(payload);
            finish(status);
            deps.onResponse?.({ method, path: url.pathname, status, contentType, body: payload, headers: all });
        };
        const sendError = (e: ApiError) =>
            send(
                e.status,
                JSON.stringify({ status: e.status, error: `${e.code}: ${e.detail}`, requestId }),
                "application/json; charset=utf-8",
                e.headers,
            );

        const faults = deps.settings.faults;
        const delay = latencyMs(faults);
        if (delay > 0) await sleep(delay);
        if (shouldReset(faults)) {
            finish(0);
            req.socket.destroy();
            return;
        }
        try {
            const bodyText = await readBody(req);
            const injected = injectedError(faults);
            if (injected) throw injected;
            keyId = authenticate(req.headers.authorization, deps.keyId, deps.keySecret, (id, ok, secret) =>
                keyFor(deps.core, id, ok, secret),
            );
            limiter.take(keyId);
            const { handler, params } = route(method, url.pathname, deps.organizationId);
            const body = method === "GET" || method === "DELETE" ? undefined : parseJson(bodyText, "request body");
            const out = handler({ core: deps.core, orgId: deps.organizationId, params, query: url.searchParams, body, caller: keyId });
            if (method !== "GET") deps.core.persist();
            const after = injectedErrorAfter(faults);
            if (after) throw after;
            const status = out.status ?? 200;
            if (out.text !== undefined) return send(status, out.text, out.contentType ?? "text/plain; version=0.0.4; charset=utf-8");
            const envelope = out.result === undefined ? { status, requestId } : { status, requestId, result: out.result };
            send(status, JSON.stringify(envelope), "application/json; charset=utf-8");
        } catch (err) {
            if (err instanceof ApiError) return sendError(err);
            // Unexpected errors are emulator bugs: answer like the API would, and say so on stderr.
            process.stderr.write(`emulator: internal error on ${method} ${url.pathname}: ${member(err, "stack") ?? err}\n`);
            sendError(new ApiError(500, STATUS_CODES[500], "An internal server error has occurred"));
        }
    }

    async function handleControlRequest(req: http.IncomingMessage, res: http.ServerResponse, url: RequestTarget) {
        const reply = (status: number, body: unknown) => {
            const text = JSON.stringify(body);
            res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)) });
            res.end(text);
        };
        if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) return reply(403, { error: "the control API answers only loopback clients" });
        const refused = controlRefusal(req, deps, deps.tls ? "https" : "http");
        if (refused) {
            req.resume();
            return reply(refused.status, { error: refused.error });
        }
        try {
            const body = parseJson(await readBody(req), "control body");
            const out = handleControl(control, req.method ?? "GET", url.pathname, body);
            reply(out.status, out.body);
        } catch (err) {
            if (err instanceof ApiError) return reply(err.status, { error: `${err.code}: ${err.detail}` });
            reply(500, { error: String(member(err, "stack") ?? err) });
        }
    }

    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
        const url = requestTarget(req.url);
        const run = url.pathname.startsWith("/_emulator/") ? handleControlRequest(req, res, url) : handleApi(req, res, url);
        run.catch((e: unknown) => {
            process.stderr.write(`emulator: ${member(e, "stack") ?? e}\n`);
            if (!res.headersSent) res.writeHead(500).end();
        });
    };
    const server: http.Server = deps.tls
        ? https.createServer({ cert: deps.tls.cert, key: deps.tls.key }, listener)
        : http.createServer(listener);
    server.keepAliveTimeout = 5000;
    return { server, log, limiter };
}
