import { ApiClient, ApiError, getClient, isApiError, isNotFound, resetClients } from "../../../provider/api/client";
import { ClientOptions } from "../../../provider/api/clientOptions";
import { retryAfterFromHeaders } from "../../../provider/api/responses";
import { userAgent } from "../../../provider/api/userAgent";
import { limiterStats, resetLimiters } from "../../../provider/api/limiterRegistry";
import { isCancellation, resetCancellation, signalCancellation } from "../../../provider/cancel";
import { ProviderConfig } from "../../../provider/config";
import { FakeServer, Reply, apiError, ok, startFakeServer } from "./fakeServer";
import { version as packageVersion } from "../../../package.json";

const ORG = "7c0f5e1a-4d1b-4c8e-9a55-000000000001";
const SECRET = "super-secret-key-value-0001";
const FAST: ClientOptions = { rateLimit: false, backoffBaseMs: 5, backoffMaxMs: 20, timeoutMs: 2000 };

let server: FakeServer | undefined;
let keyN = 0;

function cfgFor(s: FakeServer, keyId = `key-${++keyN}`): ProviderConfig {
    return { apiUrl: s.url, organizationId: ORG, keyId, keySecret: SECRET };
}

async function serve(handler: (req: FakeServer["requests"][number], i: number) => Reply | Promise<Reply>): Promise<FakeServer> {
    server = await startFakeServer(handler);
    return server;
}

function caught(p: Promise<unknown>): Promise<ApiError> {
    return p.then(
        () => {
            throw new Error("expected the call to fail");
        },
        (e) => {
            expect(e).toBeInstanceOf(ApiError);
            return e as ApiError;
        },
    );
}

beforeEach(() => {
    resetLimiters();
    resetClients();
});
afterEach(async () => {
    await server?.close();
    server = undefined;
});

describe("requests and envelopes", () => {
    it("sends Basic auth, a User-Agent naming the package and version, JSON, under the organization path", async () => {
        const s = await serve(() => ok({ id: "s1", name: "dev" }));
        const c = new ApiClient(cfgFor(s, "kid-1"), FAST);
        await expect(c.post("/services", { name: "dev" })).resolves.toEqual({ id: "s1", name: "dev" });
        const r = s.requests[0];
        expect(r.method).toBe("POST");
        expect(r.path).toBe(`/v1/organizations/${ORG}/services`);
        expect(r.headers.authorization).toBe("Basic " + Buffer.from(`kid-1:${SECRET}`).toString("base64"));
        expect(r.headers["user-agent"]).toBe(userAgent());
        expect(r.headers["user-agent"]).toMatch(
            new RegExp(`^pulumi-clickhouse-cloud/${packageVersion.replace(/\./g, "\\.")} \\(node \\d+\\.`),
        );
        expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
        expect(JSON.parse(r.body)).toEqual({ name: "dev" });
        // A create never rides on a reused keep-alive socket (a stale one would look like a maybe-executed POST).
        expect(r.headers.connection).toBe("close");
        await c.get("/services");
        expect(s.requests[1].headers.connection).toBe("keep-alive");
    });

    it("unwraps result, returns undefined for a DELETE envelope, reaches /v1 roots, and passes query strings", async () => {
        const s = await serve((r) => {
            if (r.method === "DELETE") return ok();
            if (r.path === "/v1/organizations") return ok([{ id: ORG }]);
            return ok([{ id: "a" }]);
        });
        const c = new ApiClient(cfgFor(s), FAST);
        await expect(c.get("/services", { query: { filter: "tag:creation=p/s/dev" } })).resolves.toEqual([{ id: "a" }]);
        await expect(c.delete("/services/a")).resolves.toBeUndefined();
        await expect(c.root("/organizations")).resolves.toEqual([{ id: ORG }]);
        expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
            `GET /v1/organizations/${ORG}/services?filter=tag%3Acreation%3Dp%2Fs%2Fdev`,
            `DELETE /v1/organizations/${ORG}/services/a`,
            "GET /v1/organizations",
        ]);
    });

    it("getText returns the body as text (Prometheus)", async () => {
        const metrics = '# HELP x\nClickHouse_ServiceInfo{service="a"} 1\n';
        const s = await serve(() => ({ status: 200, raw: metrics }));
        const c = new ApiClient(cfgFor(s), FAST);
        await expect(c.getText("/prometheus")).resolves.toBe(metrics);
    });
});

describe("writesSettledBy: whether a read reflects every write of this client", () => {
    it("is false while a write is in flight and for reads sent before a write was answered, also when it failed", async () => {
        const s = await serve((r) => {
            if (r.method === "DELETE") return { ...ok(), delayMs: 100 };
            if (r.method === "PATCH") return apiError(400, "BAD_REQUEST: no");
            return ok([]);
        });
        const c = new ApiClient(cfgFor(s), FAST);
        const before = Date.now();
        expect(c.writesSettledBy(before)).toBe(true);
        const deleting = c.delete("/services/a");
        await new Promise((r) => setTimeout(r, 30));
        expect(c.writesSettledBy(Date.now())).toBe(false);
        await deleting;
        expect(c.writesSettledBy(before)).toBe(false);
        await new Promise((r) => setTimeout(r, 5));
        const after = Date.now();
        expect(c.writesSettledBy(after)).toBe(true);
        // A GET is not a write.
        await c.get("/services");
        expect(c.writesSettledBy(after)).toBe(true);
        await new Promise((r) => setTimeout(r, 2));
        await caught(c.patch("/services/a", { name: "x" }));
        expect(c.writesSettledBy(after)).toBe(false);
    });
});

describe("errors", () => {
    it("maps the error envelope: status, code, detail, requestId, method and path; 4xx is not retried", async () => {
        const s = await serve(() => apiError(400, "BAD_REQUEST: Invalid minimum memory size: 12"));
        const c = new ApiClient(cfgFor(s), FAST);
        const e = await caught(c.patch("/services/s1/scaling", { minTotalMemoryGb: 12 }));
        expect(e.message).toBe(
            `ClickHouse Cloud API: PATCH /v1/organizations/${ORG}/services/s1/scaling -> 400 BAD_REQUEST: Invalid minimum memory size: 12 (requestId req-400)`,
        );
        expect([e.status, e.code, e.detail, e.requestId, e.method]).toEqual([
            400,
            "BAD_REQUEST",
            "Invalid minimum memory size: 12",
            "req-400",
            "PATCH",
        ]);
        expect(s.requests).toHaveLength(1);
    });

    it.each([
        [404, "NOT_FOUND: Service not found", "NOT_FOUND"],
        [409, "CONFLICT: Only instance in one of the following states ... can be terminated. Current state: 'running'", "CONFLICT"],
        [
            424,
            "FAILED_DEPENDENCY: ClickPipe creation is allowed only when the ClickHouse service is running. Current state: idle",
            "FAILED_DEPENDENCY",
        ],
        [401, "", "UNAUTHORIZED"],
    ])("HTTP %i -> code from the error string or the status name", async (status, error, code) => {
        const s = await serve(() => (error ? apiError(status, error) : { status, body: { status } }));
        const e = await caught(new ApiClient(cfgFor(s), FAST).get("/services/x"));
        expect(e.status).toBe(status);
        expect(e.code).toBe(code);
        expect(s.requests).toHaveLength(1);
    });

    it("never carries the key secret, the auth header or secret body fields", async () => {
        const password = "hunter2-plaintext-password";
        const auth = "Basic " + Buffer.from(`kid-x:${SECRET}`).toString("base64");
        const s = await serve(() =>
            apiError(400, `BAD_REQUEST: request body.password: '${password}' too weak; got header ${auth} and key ${SECRET}`),
        );
        const c = new ApiClient(cfgFor(s, "kid-x"), FAST);
        const e = await caught(c.post("/services", { name: "x", password, nested: { credentials: { password: "nested-cred-value" } } }));
        const everything = [e.message, e.detail, e.stack, JSON.stringify(e), JSON.stringify(Object.entries(e))].join("\n");
        for (const secret of [password, SECRET, auth, auth.slice(6)]) expect(everything).not.toContain(secret);
        expect(e.message).toContain("request body.password: '***' too weak");
    });

    it("a network error names the code and path, without secrets", async () => {
        const s = await serve(() => ({ reset: true }));
        const c = new ApiClient(cfgFor(s), { ...FAST, maxRetries: 0 });
        const e = await caught(c.get("/services"));
        expect(e.status).toBe(0);
        expect(e.code).toBe("ECONNRESET");
        expect(e.message).toMatch(new RegExp(`^ClickHouse Cloud API: GET /v1/organizations/${ORG}/services -> network error ECONNRESET`));
        expect(e.message).not.toContain(SECRET);
    });
});

describe("isApiError", () => {
    it("recognises ApiErrors from another copy of the module by shape, and checks the status", () => {
        const foreign = Object.assign(new Error("x"), { name: "ApiError", status: 404, method: "GET", path: "/v1/x" });
        expect(isApiError(foreign, 404)).toBe(true);
        expect(isNotFound(foreign)).toBe(true);
        expect(isApiError(foreign, 409)).toBe(false);
        expect(isApiError(new Error("plain"))).toBe(false);
        expect(isApiError({ name: "ApiError", status: 404, method: "GET" })).toBe(false);
    });
});

describe("retries", () => {
    it("retries 5xx with backoff, then succeeds", async () => {
        const s = await serve((_r, i) =>
            i === 0 ? apiError(503, "SERVICE_UNAVAILABLE: try later") : i === 1 ? apiError(502, "BAD_GATEWAY") : ok({ id: "a" }),
        );
        const c = new ApiClient(cfgFor(s), FAST);
        await expect(c.get("/services/a")).resolves.toEqual({ id: "a" });
        expect(s.requests).toHaveLength(3);
    });

    it("retries a connection reset (socket hang up) and a timeout on GET", async () => {
        const s = await serve((_r, i) => (i === 0 ? { reset: true } : i === 1 ? { ...ok({ slow: true }), delayMs: 600 } : ok({ id: "a" })));
        const c = new ApiClient(cfgFor(s), { ...FAST, timeoutMs: 300 });
        await expect(c.get("/services/a")).resolves.toEqual({ id: "a" });
        expect(s.requests).toHaveLength(3);
    });

    it("is bounded: gives up after maxRetries with the last error and the attempt count", async () => {
        const s = await serve(() => apiError(500, "INTERNAL_SERVER_ERROR: boom"));
        const c = new ApiClient(cfgFor(s), { ...FAST, maxRetries: 3 });
        const e = await caught(c.get("/services"));
        expect(s.requests).toHaveLength(4);
        expect(e.status).toBe(500);
        expect(e.attempts).toBe(4);
        expect(e.message).toContain("after 4 attempts");
    });

    it("is bounded by the total backoff budget as well", async () => {
        const s = await serve(() => apiError(500, "INTERNAL_SERVER_ERROR: boom"));
        // Each backoff is at least 50 ms (half of the 100 ms base); a 120 ms budget allows at most two.
        const c = new ApiClient(cfgFor(s), { ...FAST, maxRetries: 10, backoffBaseMs: 100, backoffMaxMs: 100, retryBudgetMs: 120 });
        await caught(c.get("/services"));
        expect(s.requests.length).toBeGreaterThanOrEqual(2);
        expect(s.requests.length).toBeLessThanOrEqual(3);
    });

    it("on 429 waits for the larger of X-RateLimit-Reset and Retry-After, and pauses the whole key", async () => {
        const s = await serve((r, i) =>
            i === 0 ? apiError(429, "TOO_MANY_REQUESTS", { "X-RateLimit-Reset": "0.3", "Retry-After": "1" }) : ok({ path: r.path }),
        );
        const cfg = cfgFor(s, "kid-429");
        const a = new ApiClient(cfg, { ...FAST, rateLimit: { requests: 100, windowMs: 1000 } });
        const b = new ApiClient({ ...cfg, organizationId: "00000000-0000-0000-0000-0000000000bb" }, FAST);
        const first = a.get("/services/a");
        // b starts once a's 429 has arrived: it must be held until the key's pause ends.
        while (s.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, 50));
        const second = b.get("/services/b");
        await Promise.all([first, second]);
        const [t429, ...later] = s.requests.map((r) => r.time);
        expect(later).toHaveLength(2);
        for (const t of later) expect(t - t429).toBeGreaterThanOrEqual(1000);
        expect(limiterStats("kid-429")!.throttled).toBe(1);
    });

    it("retries 429 on a POST without reconcile (the server refused it)", async () => {
        const s = await serve((_r, i) =>
            i === 0 ? apiError(429, "TOO_MANY_REQUESTS", { "X-RateLimit-Reset": "0.05" }) : ok({ id: "new" }),
        );
        const c = new ApiClient(cfgFor(s), FAST);
        await expect(c.post("/services", { name: "x" })).resolves.toEqual({ id: "new" });
        expect(s.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    });

    it("gives up on 429 after max429Retries", async () => {
        const s = await serve(() => apiError(429, "TOO_MANY_REQUESTS", { "X-RateLimit-Reset": "0" }));
        const c = new ApiClient(cfgFor(s), { ...FAST, max429Retries: 2 });
        const e = await caught(c.get("/services"));
        expect(e.status).toBe(429);
        expect(s.requests).toHaveLength(3);
    });
});

describe("create POST that may have reached the server", () => {
    function creatingServer(opts: { resetFirstPost: boolean; status5xx?: boolean }) {
        const created: { id: string; name: string }[] = [];
        let posts = 0;
        return serve((r) => {
            if (r.method === "POST") {
                posts++;
                const obj = { id: `svc-${posts}`, name: JSON.parse(r.body).name };
                created.push(obj);
                if (posts === 1 && opts.resetFirstPost) return { reset: true };
                if (posts === 1 && opts.status5xx) return apiError(504, "GATEWAY_TIMEOUT");
                return ok({ service: obj, password: "pw" });
            }
            return ok(created);
        });
    }

    it("reconciles after a reset: finds the object, returns it, and never POSTs again", async () => {
        const s = await creatingServer({ resetFirstPost: true });
        const c = new ApiClient(cfgFor(s), FAST);
        const reconcile = jest.fn(async () => {
            const list = await c.get<{ id: string; name: string }[]>("/services");
            const svc = list.find((x) => x.name === "dev");
            return svc ? { service: svc } : undefined;
        });
        await expect(c.post("/services", { name: "dev" }, { reconcile })).resolves.toEqual({ service: { id: "svc-1", name: "dev" } });
        expect(reconcile).toHaveBeenCalledTimes(1);
        expect(s.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
    });

    it("POSTs again when reconcile finds nothing (a 5xx that did not create it)", async () => {
        const s = await creatingServer({ resetFirstPost: false, status5xx: true });
        const c = new ApiClient(cfgFor(s), FAST);
        const reconcile = jest.fn(async () => undefined);
        await expect(c.post("/services", { name: "dev" }, { reconcile })).resolves.toEqual({
            service: { id: "svc-2", name: "dev" },
            password: "pw",
        });
        expect(reconcile).toHaveBeenCalledTimes(1);
        expect(s.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    });

    it("without reconcile, does not repeat a POST that may have been executed", async () => {
        const s = await creatingServer({ resetFirstPost: true });
        const c = new ApiClient(cfgFor(s), FAST);
        const e = await caught(c.post("/services", { name: "dev" }));
        expect(e.code).toBe("ECONNRESET");
        expect(s.requests).toHaveLength(1);
    });

    it("retries a POST whose connection was refused (it never arrived)", async () => {
        const s = await serve(() => ok({ id: "x" }));
        const url = s.url;
        await s.close();
        server = undefined;
        const c = new ApiClient(
            { apiUrl: url, organizationId: ORG, keyId: `key-${++keyN}`, keySecret: SECRET },
            { ...FAST, maxRetries: 2 },
        );
        const e = await caught(c.post("/services", { name: "dev" }));
        expect(e.code).toBe("ECONNREFUSED");
        expect(e.attempts).toBe(3);
    });
});

describe("rate limiting", () => {
    it("25 requests from 3 resources of one key never exceed 10 in any 1 s window at the server", async () => {
        const s = await serve(() => ({ ...ok({}), delayMs: Math.floor(Math.random() * 40) }));
        const base = cfgFor(s, "kid-shared");
        const clients = [0, 1, 2].map(
            (i) =>
                new ApiClient(
                    { ...base, organizationId: `00000000-0000-0000-0000-00000000000${i}` },
                    { ...FAST, rateLimit: { requests: 10, windowMs: 1000 } },
                ),
        );
        const calls: Promise<unknown>[] = [];
        for (let i = 0; i < 25; i++) calls.push(clients[i % 3].get(`/services/${i}`));
        await Promise.all(calls);
        const times = s.requests.map((r) => r.time).sort((a, b) => a - b);
        expect(times).toHaveLength(25);
        for (let i = 0; i + 10 < times.length; i++) expect(times[i + 10] - times[i]).toBeGreaterThanOrEqual(1000);
        const st = limiterStats("kid-shared")!;
        expect(st.sent).toBe(25);
        expect(st.maxQueued).toBeGreaterThanOrEqual(15);
        expect(st.queued).toBe(0);
    });

    it("another key is not held back by a saturated one", async () => {
        const s = await serve(() => ok({}));
        const busy = new ApiClient(cfgFor(s, "kid-busy"), { ...FAST, rateLimit: { requests: 2, windowMs: 60_000 } });
        const other = new ApiClient(cfgFor(s, "kid-free"), { ...FAST, rateLimit: { requests: 2, windowMs: 60_000 } });
        await busy.get("/a");
        await busy.get("/b");
        const held = busy.get("/c");
        await expect(other.get("/d")).resolves.toEqual({});
        expect(limiterStats("kid-busy")!.queued).toBe(1);
        busy.limiter.setLimit(false);
        await held;
    });

    it("instead: a value found once the slot is granted is the result; nothing is sent and the slot is free at once", async () => {
        const s = await serve(() => ok({ from: "server" }));
        const c = new ApiClient(cfgFor(s, "kid-instead"), { ...FAST, rateLimit: { requests: 1, windowMs: 60_000 } });
        let asked = 0;
        await expect(c.get("/services", { instead: async () => (++asked, { from: "elsewhere" }) })).resolves.toEqual({ from: "elsewhere" });
        expect(asked).toBe(1);
        expect(s.requests).toHaveLength(0);
        // The window (1 request per minute) is still unused: this request goes at once.
        await expect(c.get("/services", { instead: async () => undefined })).resolves.toEqual({ from: "server" });
        expect(s.requests).toHaveLength(1);
        expect(limiterStats("kid-instead")).toMatchObject({ sent: 2, unused: 1, queued: 0 });
    });

    it("getClient shares one client per URL, key and organization, and one limiter per key", () => {
        const cfg = { apiUrl: "http://127.0.0.1:9", organizationId: ORG, keyId: "kid-g", keySecret: "s" };
        const a = getClient(cfg);
        expect(getClient({ ...cfg })).toBe(a);
        const otherOrg = getClient({ ...cfg, organizationId: "00000000-0000-0000-0000-000000000009" });
        expect(otherOrg).not.toBe(a);
        expect(otherOrg.limiter).toBe(a.limiter);
        expect(getClient({ ...cfg, keySecret: "rotated" })).not.toBe(a);
    });
});

describe("retryAfterFromHeaders", () => {
    const now = 1_700_000_000_000;
    it.each([
        [{ "x-ratelimit-reset": "3" }, 3000],
        [{ "retry-after": "2" }, 2000],
        [{ "x-ratelimit-reset": "1", "retry-after": "4" }, 4000],
        [{ "x-ratelimit-reset": "5", "retry-after": "4" }, 5000],
        [{ "x-ratelimit-reset": String(now / 1000 + 7) }, 7000],
        [{ "retry-after": new Date(now + 9000).toUTCString() }, 9000],
        [{ "x-ratelimit-reset": "soon" }, undefined],
        [{}, undefined],
    ])("%j -> %s ms", (headers, ms) => {
        expect(retryAfterFromHeaders(headers as Record<string, string>, now)).toBe(ms);
    });
});

describe("the engine's cancellation (Ctrl-C)", () => {
    const SLOW: ClientOptions = { ...FAST, backoffBaseMs: 30_000, backoffMaxMs: 30_000, retryBudgetMs: 600_000 };
    const cancelSoon = (ms = 100) => setTimeout(signalCancellation, ms);
    const cancelled = (p: Promise<unknown>) =>
        p.then(
            () => {
                throw new Error("expected a cancellation");
            },
            (e) => {
                expect(isCancellation(e)).toBe(true);
                return e as Error;
            },
        );
    beforeEach(() => resetCancellation());
    afterEach(() => resetCancellation());

    it("sends no POST once cancelled; a GET still goes", async () => {
        const s = await serve(() => ok([]));
        const c = new ApiClient(cfgFor(s), FAST);
        signalCancellation();
        const e = await cancelled(c.post("/services", { name: "dev" }));
        expect(e.message).toBe(
            `cancelled by the engine (Ctrl-C) while about to send POST /v1/organizations/${ORG}/services; it was not sent`,
        );
        await expect(c.get("/services")).resolves.toEqual([]);
        expect(s.requests.map((r) => r.method)).toEqual(["GET"]);
    });

    it("ends a retry backoff (5xx) and a 429 wait at once", async () => {
        const s = await serve((r) =>
            r.path.endsWith("/a")
                ? apiError(503, "SERVICE_UNAVAILABLE: try later")
                : apiError(429, "TOO_MANY_REQUESTS", { "retry-after": "30" }),
        );
        const c = new ApiClient(cfgFor(s), SLOW);
        const started = Date.now();
        cancelSoon(300);
        const [backoff, throttled] = await Promise.all([cancelled(c.get("/services/a")), cancelled(c.get("/services/b"))]);
        expect(Date.now() - started).toBeLessThan(2000);
        expect(backoff.message).toBe(
            `cancelled by the engine (Ctrl-C) while waiting to retry GET /v1/organizations/${ORG}/services/a after 503`,
        );
        expect(throttled.message).toBe(
            `cancelled by the engine (Ctrl-C) while waiting to retry GET /v1/organizations/${ORG}/services/b after 429`,
        );
        expect(s.requests.length).toBe(2);
    });

    it("a create POST that may have reached the server is looked up once more, and not sent again", async () => {
        const s = await serve(() => apiError(503, "SERVICE_UNAVAILABLE: try later"));
        const c = new ApiClient(cfgFor(s), SLOW);
        const found = jest.fn(async () => ({ service: { id: "svc-1" } }));
        cancelSoon(300);
        await expect(c.post("/services", { name: "dev" }, { reconcile: found })).resolves.toEqual({ service: { id: "svc-1" } });
        expect(found).toHaveBeenCalledTimes(1);

        resetCancellation();
        const nothing = jest.fn(async () => undefined);
        cancelSoon(300);
        const e = await cancelled(c.post("/services", { name: "dev" }, { reconcile: nothing }));
        expect(nothing).toHaveBeenCalledTimes(1);
        expect(e.message).toMatch(
            /^cancelled by the engine \(Ctrl-C\) while retrying POST \/v1\/organizations\/[0-9a-f-]+\/services \(the last attempt failed: .*503.*\); it was not sent again$/,
        );
        expect(s.requests.filter((r) => r.method === "POST").length).toBe(2);
    });

    it("ends a wait for a rate-limit slot, naming the request", async () => {
        const s = await serve(() => ok([]));
        const c = new ApiClient(cfgFor(s), { ...FAST, rateLimit: { requests: 1, windowMs: 60_000 } });
        await c.get("/services");
        cancelSoon(200);
        const e = await cancelled(c.get("/services/x"));
        expect(e.message).toBe(
            `cancelled by the engine (Ctrl-C) while waiting for a rate-limit slot for GET /v1/organizations/${ORG}/services/x`,
        );
        expect(s.requests.length).toBe(1);
    });
});
