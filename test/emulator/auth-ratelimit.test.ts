import { startTestEmulator } from "./helpers";

describe("default rate limit: 10 requests per 10 s per key", () => {
    let t: Awaited<ReturnType<typeof startTestEmulator>>;
    beforeAll(async () => {
        t = await startTestEmulator({ rateLimit: undefined });
    });
    afterAll(async () => {
        await t.emu.stop();
        expect(t.conformance.failures).toEqual([]);
    });

    test("the eleventh request within 10 s gets 429 with X-RateLimit-Reset and Retry-After; control calls are free and unlogged", async () => {
        // Failed authentication does not spend the key's budget.
        expect((await t.api("GET", "/services", undefined, {})).status).toBe(401);
        for (let i = 1; i <= 10; i++) {
            expect((await t.api("GET", "/services")).status).toBe(200);
            await t.emu.control.objects(); // the control API is neither limited nor logged
        }
        const limited = await t.api("GET", "/services");
        expect(limited.status).toBe(429);
        expect(limited.body).toEqual({ status: 429, error: expect.stringMatching(/^TOO_MANY_REQUESTS: /), requestId: expect.any(String) });
        const reset = Number(limited.headers.get("x-ratelimit-reset"));
        expect(reset).toBeGreaterThanOrEqual(1);
        expect(reset).toBeLessThanOrEqual(10);
        expect(limited.headers.get("retry-after")).toBe(String(reset));
        const log = await t.emu.control.log();
        expect(log.map((e) => e.status)).toEqual([401, ...Array(10).fill(200), 429]);
        expect(log.every((e) => e.path.startsWith("/v1/"))).toBe(true);
    });

    test("switching the limit off through the control API lets bursts through", async () => {
        await t.emu.control.setRateLimit(false);
        const statuses = await Promise.all(Array.from({ length: 30 }, () => t.api("GET", "/services").then((r) => r.status)));
        expect(new Set(statuses)).toEqual(new Set([200]));
        await t.emu.control.setRateLimit({ requests: 1, windowSeconds: 60 });
        expect((await t.api("GET", "/services")).status).toBe(200);
        expect((await t.api("GET", "/services")).status).toBe(429);
    });
});

describe("authentication", () => {
    let t: Awaited<ReturnType<typeof startTestEmulator>>;
    beforeAll(async () => {
        t = await startTestEmulator({ keyId: "myKey", keySecret: "mySecret", organizationId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" });
    });
    afterAll(async () => {
        await t.emu.stop();
        expect(t.conformance.failures).toEqual([]);
    });

    const basic = (user: string, pass: string) => ({ authorization: "Basic " + Buffer.from(`${user}:${pass}`).toString("base64") });

    test.each([
        ["no header", {}],
        ["bearer token", { authorization: "Bearer abc" }],
        ["wrong secret", basic("myKey", "other")],
        ["wrong key id", basic("otherKey", "mySecret")],
        ["the default credentials", basic("emulatorKeyId0000001", "4b1d_emulator_secret_key_0000000000000000")],
    ])("%s gets 401 with a Basic challenge", async (_name, headers) => {
        const r = await t.api("GET", "/services", undefined, headers as Record<string, string>);
        expect(r.status).toBe(401);
        expect(r.body.error).toMatch(/^UNAUTHORIZED: /);
        expect(r.headers.get("www-authenticate")).toMatch(/^Basic /);
    });

    test("configured credentials and organization are accepted; other organizations are refused with 403", async () => {
        expect(t.emu.organizationId).toBe("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
        expect((await t.api("GET", "/services", undefined, basic("myKey", "mySecret"))).status).toBe(200);
        const other = await t.api("GET", "/v1/organizations/7c0f5e1a-4d1b-4c8e-9a55-000000000001", undefined, basic("myKey", "mySecret"));
        expect(other.status).toBe(403);
        expect(other.body.error).toMatch(/^FORBIDDEN: /);
    });
});
