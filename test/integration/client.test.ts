/**
 * The API client and the poller against the project's emulator: the limiter keeps a program
 * under the emulator's per-key limit, 429s and injected faults are absorbed, a create POST whose
 * answer is lost is reconciled instead of duplicated, and concurrent waits share list calls.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { ApiClient, ApiError, isNotFound } from "../../provider/api/client";
import { limiterStats, resetLimiters } from "../../provider/api/limiterRegistry";
import { Service, ServicePostResponse } from "../../provider/api/types";
import { ProviderConfig } from "../../provider/config";
import { ServicePoller } from "../../provider/wait";

let emu: RunningEmulator;
let n = 0;

/** A fresh key per test, so limiter state never leaks between tests. */
async function fresh(opts: Parameters<typeof startEmulator>[0] = {}): Promise<ProviderConfig> {
    const keyId = `integrationKey${String(++n).padStart(6, "0")}`;
    emu = await startEmulator({ quiet: true, keyId, ...opts });
    return { apiUrl: emu.url, organizationId: emu.organizationId, keyId: emu.keyId, keySecret: emu.keySecret };
}

const FAST = { backoffBaseMs: 20, backoffMaxMs: 200 };
const body = (name: string, tag?: string) => ({
    name,
    provider: "aws",
    region: "us-east-2",
    ...(tag ? { tags: [{ key: "pulumi-creation", value: tag }] } : {}),
});

beforeEach(() => resetLimiters());
afterEach(async () => {
    await emu?.stop();
});

describe("rate limiting against the emulator", () => {
    it("35 requests from 3 resources of one key: the limiter keeps the emulator from ever answering 429", async () => {
        const cfg = await fresh({ rateLimit: { requests: 10, windowSeconds: 2 } });
        const clients = [0, 1, 2].map(() => new ApiClient(cfg, { ...FAST, rateLimit: { requests: 10, windowMs: 2000 } }));
        await Promise.all(Array.from({ length: 35 }, (_, i) => clients[i % 3].get<Service[]>("/services")));
        const log = await emu.control.log();
        expect(log).toHaveLength(35);
        expect(log.filter((e) => e.status === 429)).toHaveLength(0);
        expect(limiterStats(cfg.keyId)).toMatchObject({ sent: 35, throttled: 0, queued: 0 });
    });

    it("with the limiter off, the 429s the emulator sends are waited out and every call succeeds", async () => {
        const cfg = await fresh({ rateLimit: { requests: 5, windowSeconds: 1 } });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false });
        const results = await Promise.all(Array.from({ length: 12 }, () => c.get<Service[]>("/services")));
        expect(results.every((r) => Array.isArray(r))).toBe(true);
        const log = await emu.control.log();
        expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
        expect(log.filter((e) => e.status === 200)).toHaveLength(12);
        expect(limiterStats(cfg.keyId)!.throttled).toBeGreaterThan(0);
    });
});

describe("faults", () => {
    it("absorbs injected 500/503 answers and connection resets on reads", async () => {
        const cfg = await fresh({ rateLimit: false, faults: { errorRate: 0.3, resetRate: 0.1 } });
        const c = new ApiClient(cfg, { ...FAST, maxRetries: 10, rateLimit: false });
        for (let i = 0; i < 20; i++) await expect(c.get<Service[]>("/services")).resolves.toEqual([]);
        const log = await emu.control.log();
        expect(log.filter((e) => e.status === 200)).toHaveLength(20);
    });

    it("a create whose answer is lost after the change happened is reconciled, not duplicated", async () => {
        const cfg = await fresh({ rateLimit: false });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false });
        await emu.control.setFaults({ errorAfterRate: 1 });
        const reconcile = jest.fn(async () => {
            await emu.control.setFaults({ errorAfterRate: 0 }); // the network recovers
            const found = await c.get<Service[]>("/services", { query: { filter: "tag:pulumi-creation=p.s.dev" } });
            return found.length === 1 ? { service: found[0] } : undefined;
        });
        const out = await c.post<ServicePostResponse>("/services", body("dev", "p.s.dev"), { reconcile });
        expect(reconcile).toHaveBeenCalledTimes(1);
        expect(out.service?.name).toBe("dev");
        const objects = await emu.control.objects();
        expect(objects.services).toHaveLength(1);
        expect((await emu.control.log()).filter((e) => e.method === "POST")).toHaveLength(1);
    });

    it("a create refused before it happened (connection reset) is sent again after reconcile finds nothing", async () => {
        const cfg = await fresh({ rateLimit: false });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false });
        await emu.control.setFaults({ resetRate: 1 });
        const reconcile = jest.fn(async () => {
            await emu.control.setFaults({ resetRate: 0 });
            const found = await c.get<Service[]>("/services", { query: { filter: "tag:pulumi-creation=p.s.dev" } });
            return found.length === 1 ? { service: found[0] } : undefined;
        });
        const out = await c.post<ServicePostResponse>("/services", body("dev", "p.s.dev"), { reconcile });
        expect(reconcile).toHaveBeenCalledTimes(1);
        expect(out.password).toEqual(expect.any(String));
        expect((await emu.control.objects()).services).toHaveLength(1);
    });
});

describe("errors from the emulator", () => {
    it("a wrong secret is a 401 ApiError that does not contain the secret", async () => {
        const cfg = await fresh({ rateLimit: false });
        const c = new ApiClient({ ...cfg, keySecret: "wrong-secret-value-123" }, { ...FAST, rateLimit: false });
        const e = (await c.get("/services").catch((x) => x)) as ApiError;
        expect(e).toBeInstanceOf(ApiError);
        expect([e.status, e.code]).toEqual([401, "UNAUTHORIZED"]);
        expect(e.message).not.toContain("wrong-secret-value-123");
        expect(e.message).not.toContain(cfg.keySecret);
    });

    it("an unknown service id is a 404 that isNotFound recognises, with the API's requestId", async () => {
        const cfg = await fresh({ rateLimit: false });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false });
        const e = (await c.get("/services/00000000-0000-4000-8000-000000000000").catch((x) => x)) as ApiError;
        expect(isNotFound(e)).toBe(true);
        expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(e.message).toContain(`-> 404 NOT_FOUND:`);
    });
});

describe("waiting against the emulator", () => {
    it("three services waited on together are polled with list calls, and each resolves when running", async () => {
        const cfg = await fresh({ rateLimit: false, durations: { provisioning: 2 } });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false });
        const ids: string[] = [];
        for (const name of ["a", "b", "c"]) ids.push((await c.post<ServicePostResponse>("/services", body(name))).service!.id!);
        await emu.control.clearLog();
        const poller = new ServicePoller(c, { minMs: 200, maxMs: 1000, progressEveryMs: 10_000 });
        const done = await Promise.all(ids.map((id, i) => poller.wait(id, { until: ["running"], timeoutMs: 60_000, label: "abc"[i] })));
        expect(done.map((s) => s?.state)).toEqual(["running", "running", "running"]);
        const gets = (await emu.control.log()).filter((e) => e.method === "GET");
        const listCalls = gets.filter((e) => e.path === `/v1/organizations/${cfg.organizationId}/services`);
        expect(listCalls.length).toBe(gets.length);
        expect(poller.stats.listCalls).toBe(listCalls.length);
    });

    it("waits for a deleted service to disappear (404)", async () => {
        const cfg = await fresh({ rateLimit: false });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false });
        const id = (await c.post<ServicePostResponse>("/services", body("gone"))).service!.id!;
        const poller = new ServicePoller(c, { minMs: 200, maxMs: 1000, progressEveryMs: 10_000 });
        await poller.wait(id, { until: ["running"], timeoutMs: 60_000, label: "gone" });
        await c.patch(`/services/${id}/state`, { command: "stop" });
        await poller.wait(id, { until: ["stopped"], timeoutMs: 60_000, label: "gone" });
        await c.delete(`/services/${id}`);
        await expect(poller.wait(id, { until: [], gone: true, timeoutMs: 60_000, label: "gone" })).resolves.toBeUndefined();
        expect((await emu.control.objects()).services).toHaveLength(0);
    });
});

describe("every path segment is encoded (issue 12, finding 7)", () => {
    it("an id with ?, # or spaces stays one segment of the path; the query stays the query", async () => {
        const cfg = await fresh({ rateLimit: false });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false, maxRetries: 0 });
        const err = await c.get(`/services/a?b#c d`).then(
            () => undefined,
            (e) => e,
        );
        expect(err).toBeInstanceOf(ApiError);
        expect(err.status).toBe(400);
        const [entry] = await emu.control.log();
        expect(entry.path).toBe(`/v1/organizations/${cfg.organizationId}/services/a%3Fb%23c%20d`);
        await c.get("/services", { query: { filter: "tag:a=b" } });
        expect((await emu.control.log())[1].path).toBe(`/v1/organizations/${cfg.organizationId}/services?filter=tag%3Aa%3Db`);
    });

    it("a segment already encoded by the caller is not encoded twice", async () => {
        const cfg = await fresh({ rateLimit: false });
        const c = new ApiClient(cfg, { ...FAST, rateLimit: false, maxRetries: 0 });
        await c.get(`/services/${encodeURIComponent("x y")}`).catch(() => undefined);
        expect((await emu.control.log())[0].path).toBe(`/v1/organizations/${cfg.organizationId}/services/x%20y`);
    });

    it.each(["..", ".", "%2e%2e", "%2E."])(
        "a dot segment (%s) is refused before anything is sent: no URL can carry it unresolved",
        async (segment) => {
            const cfg = await fresh({ rateLimit: false });
            const c = new ApiClient(cfg, { ...FAST, rateLimit: false, maxRetries: 0 });
            await expect(c.get(`/services/${segment}`)).rejects.toThrow(/path segment/);
            await expect(c.delete(`/services/${segment}/clickpipes/x`)).rejects.toThrow(/path segment/);
            expect(await emu.control.log()).toEqual([]);
        },
    );
});
