/**
 * The emulator as a local server under adversarial probes (issue 12, findings 6–8): paths are
 * matched as sent, the control API refuses what a foreign web page can send, and records are
 * never looked up through a prototype.
 */
import { startTestEmulator, serviceBody } from "./helpers";
import { rawRequest } from "./raw";

let t: Awaited<ReturnType<typeof startTestEmulator>>;
beforeAll(async () => {
    t = await startTestEmulator({ durations: { provisioning: 0.05 } });
});
afterAll(async () => {
    await t.emu.stop();
    expect(t.conformance.failures).toEqual([]);
});

describe("paths are matched as sent (no dot-segment resolution)", () => {
    test("…/services/%2e%2e is a malformed service id, not the organization", async () => {
        const r = await rawRequest(t.emu.url, "GET", `${t.org}/services/%2e%2e`, { authorization: t.auth });
        expect(r.status).toBe(400);
        expect(r.body.error).toBe("BAD_REQUEST: request path.serviceId: The value must be a valid UUID <string:..>");
    });

    test("…/services/.. is not resolved either", async () => {
        const r = await rawRequest(t.emu.url, "GET", `${t.org}/services/..`, { authorization: t.auth });
        expect(r.status).toBe(400);
        expect(r.body.error).toContain("request path.serviceId");
    });

    test("/v1/organizations/../../_emulator/objects does not reach the control API", async () => {
        const r = await rawRequest(t.emu.url, "GET", "/v1/organizations/../../_emulator/objects", { authorization: t.auth });
        expect(r.status).toBe(404);
        expect(r.body.error).toMatch(/^NOT_FOUND: No route for GET \/v1\/organizations\/\.\.\/\.\.\/_emulator\/objects$/);
        expect(r.body.services).toBeUndefined();
    });

    test("a malformed percent-encoding is a client error", async () => {
        const r = await rawRequest(t.emu.url, "GET", `${t.org}/services/%zz`, { authorization: t.auth });
        expect(r.status).toBe(400);
        expect(r.body.error).toMatch(/^BAD_REQUEST: /);
    });

    test("the query string still works", async () => {
        const r = await rawRequest(t.emu.url, "GET", `${t.org}/services?filter=tag:a`, { authorization: t.auth });
        expect(r.status).toBe(200);
        expect(r.body.result).toEqual([]);
    });
});

test("sanity: the normal path still answers", async () => {
    expect((await t.api("POST", "/services", serviceBody())).status).toBe(200);
});

describe("control API: only same-origin JSON (or the start token), ids and keys validated", () => {
    const json = { "content-type": "application/json" };

    test("POST /_emulator/services/__proto__ is refused and pollutes nothing", async () => {
        const r = await rawRequest(t.emu.url, "POST", "/_emulator/services/__proto__", json, JSON.stringify({ polluted: "yes" }));
        expect(r.status).toBe(400);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        const again = await rawRequest(t.emu.url, "POST", "/_emulator/clickpipes/constructor", json, JSON.stringify({ name: "x" }));
        expect(again.status).toBe(400);
        expect((await t.api("POST", "/services", serviceBody({ name: "after-probe" }))).status).toBe(200);
    });

    test("a record's prototype cannot be reached through a field name", async () => {
        const id = (await t.api("POST", "/services", serviceBody({ name: "proto-field" }))).body.result.service.id;
        for (const key of ["__proto__", "constructor", "prototype", "toString"]) {
            const r = await rawRequest(t.emu.url, "POST", `/_emulator/services/${id}`, json, `{"${key}": {"polluted": "yes"}}`);
            expect({ key, status: r.status }).toEqual({ key, status: 400 });
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect((await t.api("GET", `/services/${id}`)).body.result.name).toBe("proto-field");
    });

    test("state, service and pipe ids must be UUIDs", async () => {
        const r = await rawRequest(
            t.emu.url,
            "POST",
            "/_emulator/state",
            json,
            JSON.stringify({ kind: "service", id: "__proto__", state: "failed" }),
        );
        expect(r.status).toBe(400);
        expect((await rawRequest(t.emu.url, "POST", "/_emulator/services/not-a-uuid", json, "{}")).status).toBe(400);
    });

    test("a text/plain POST (what a web page can send without a preflight) is refused", async () => {
        const before = (await t.emu.control.objects()).services.length;
        const r = await rawRequest(t.emu.url, "POST", "/_emulator/reset", { "content-type": "text/plain" }, "{}");
        expect(r.status).toBe(415);
        const none = await rawRequest(t.emu.url, "POST", "/_emulator/reset", {});
        expect(none.status).toBe(415);
        expect((await t.emu.control.objects()).services.length).toBe(before);
    });

    test("a foreign Origin is refused, even with JSON; the emulator's own origin is accepted", async () => {
        const foreign = await rawRequest(t.emu.url, "POST", "/_emulator/reset", { ...json, origin: "https://evil.example" }, "{}");
        expect(foreign.status).toBe(403);
        expect((await rawRequest(t.emu.url, "GET", "/_emulator/objects", { origin: "https://evil.example" })).status).toBe(403);
        expect((await rawRequest(t.emu.url, "GET", "/_emulator/objects", { origin: "null" })).status).toBe(403);
        expect((await rawRequest(t.emu.url, "GET", "/_emulator/objects", { origin: t.emu.url })).status).toBe(200);
    });

    test("a Host header naming another site (DNS rebinding) is refused", async () => {
        const port = new URL(t.emu.url).port;
        expect((await rawRequest(t.emu.url, "GET", "/_emulator/objects", { host: `rebound.example:${port}` })).status).toBe(403);
        expect((await rawRequest(t.emu.url, "GET", "/_emulator/objects", { host: `localhost:${port}` })).status).toBe(200);
    });

    test("the token printed at start lets any client through", async () => {
        expect(t.emu.controlToken).toMatch(/^[0-9a-f]{32,}$/);
        const r = await rawRequest(t.emu.url, "GET", "/_emulator/objects", {
            origin: "https://tool.example",
            "x-emulator-token": t.emu.controlToken,
        });
        expect(r.status).toBe(200);
        const wrong = await rawRequest(t.emu.url, "GET", "/_emulator/objects", {
            origin: "https://tool.example",
            "x-emulator-token": "0".repeat(32),
        });
        expect(wrong.status).toBe(403);
    });

    test("JSON bodies naming __proto__ are refused on the API and the control API", async () => {
        const api = await rawRequest(
            t.emu.url,
            "POST",
            `${t.org}/services`,
            { ...json, authorization: t.auth },
            '{"name":"p","provider":"aws","region":"us-east-2","__proto__":{"polluted":"yes"}}',
        );
        expect(api.status).toBe(400);
        expect(api.body.error).toMatch(/^BAD_REQUEST: request body: .*__proto__/);
        const control = await rawRequest(t.emu.url, "PUT", "/_emulator/faults", json, '{"__proto__":{"errorRate":1}}');
        expect(control.status).toBe(400);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
});

test("a dot segment is never an id, even where the document allows any string", async () => {
    const svc = (await t.api("POST", "/services", serviceBody({ name: "dots" }))).body.result.service;
    for (const id of ["..", "."]) {
        const r = await rawRequest(t.emu.url, "GET", `${t.org}/services/${svc.id}/clickstack/dashboards/${id}`, { authorization: t.auth });
        expect({ id, status: r.status }).toEqual({ id, status: 400 });
        expect(r.body.error).toContain("request path.clickStackDashboardId");
    }
});
