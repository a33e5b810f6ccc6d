/**
 * The emulator as a local server under adversarial probes (issue 12, findings 6–8): paths are
 * matched as sent, the control API refuses what a foreign web page can send, and records are
 * never looked up through a prototype.
 */
import { startTestEmulator, serviceBody } from "./helpers";
import { rawRequest } from "./raw";

let t: Awaited<ReturnType<typeof startTestEmulator>>;
beforeAll(async () => { t = await startTestEmulator({ durations: { provisioning: 0.05 } }); });
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
