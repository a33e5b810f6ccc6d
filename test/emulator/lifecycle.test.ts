import { startTestEmulator, serviceBody, sleep } from "./helpers";

let t: Awaited<ReturnType<typeof startTestEmulator>>;
// Durations of 1 h each: nothing moves unless the virtual clock is advanced.
const HOUR = 3600;
beforeAll(async () => {
    t = await startTestEmulator({ durations: { provisioning: HOUR, starting: HOUR, stopping: HOUR, awaking: HOUR, terminating: HOUR } });
});
afterAll(async () => {
    await t.emu.stop();
    expect(t.conformance.failures).toEqual([]);
});

const state = async (id: string) => (await t.api("GET", `/services/${id}`)).body.result?.state;
const create = async (over: Record<string, unknown> = {}) =>
    (await t.api("POST", "/services", serviceBody(over))).body.result.service.id as string;

test("transitions follow the virtual clock and are recorded as events", async () => {
    const id = await create();
    expect(await state(id)).toBe("provisioning");
    await t.emu.control.advance(HOUR - 5);
    expect(await state(id)).toBe("provisioning");
    await t.emu.control.advance(10);
    expect(await state(id)).toBe("running");
    await t.api("PATCH", `/services/${id}/state`, { command: "stop" });
    expect(await state(id)).toBe("stopping");
    const stoppingConflict = await t.api("DELETE", `/services/${id}`);
    expect(stoppingConflict.body.error).toMatch(/Current state: 'stopping'$/);
    await t.emu.control.advance(HOUR);
    expect(await state(id)).toBe("stopped");
    const events = (await t.emu.control.events()).filter((e) => e.id === id).map((e) => `${e.from}->${e.to}`);
    expect(events).toEqual(["provisioning->running", "running->stopping", "stopping->stopped"]);
});

test("idle after idleTimeoutMinutes without activity, awake wakes it; idleScaling off never idles", async () => {
    const id = await create({ idleTimeoutMinutes: 5 });
    const steady = await create({ idleScaling: false });
    await t.emu.control.advance(HOUR);
    expect(await state(id)).toBe("running");
    await t.emu.control.advance(4 * 60);
    expect(await state(id)).toBe("running");
    await t.emu.control.advance(61);
    expect(await state(id)).toBe("idle");
    expect(await state(steady)).toBe("running");
    // API calls are not activity: reading it again leaves it idle.
    expect(await state(id)).toBe("idle");
    expect((await t.api("PATCH", `/services/${id}/state`, { command: "awake" })).body.result.state).toBe("awaking");
    await t.emu.control.advance(HOUR);
    expect(await state(id)).toBe("running");
    // Idle services may be deleted (api-facts' allowed states).
    await t.emu.control.advance(5 * 60);
    expect(await state(id)).toBe("idle");
    expect((await t.api("DELETE", `/services/${id}`)).status).toBe(200);
    expect(await state(id)).toBe("terminating");
    await t.emu.control.advance(HOUR);
    expect((await t.api("GET", `/services/${id}`)).status).toBe(404);
});

test("quirk: DELETE right after stopped still answers 409 for a while, like the real API", async () => {
    await t.emu.control.setQuirks({ deleteConflictAfterStopSeconds: 30 });
    try {
        const id = await create();
        await t.emu.control.advance(HOUR);
        await t.api("PATCH", `/services/${id}/state`, { command: "stop" });
        await t.emu.control.advance(HOUR);
        expect(await state(id)).toBe("stopped");
        const early = await t.api("DELETE", `/services/${id}`);
        expect(early.status).toBe(409);
        expect(early.body.error).toMatch(/Current state: 'stopping'$/);
        await t.emu.control.advance(31);
        expect((await t.api("DELETE", `/services/${id}`)).status).toBe(200);
    } finally {
        await t.emu.control.setQuirks({ deleteConflictAfterStopSeconds: 0 });
    }
});

test("forced failed and degraded states stick and can be deleted", async () => {
    const id = await create();
    await t.emu.control.setState("service", id, "failed");
    await t.emu.control.advance(10 * HOUR);
    expect(await state(id)).toBe("failed");
    await t.emu.control.setState("service", id, "degraded");
    expect(await state(id)).toBe("degraded");
    expect((await t.api("DELETE", `/services/${id}`)).status).toBe(200);
});

test("the speed factor shortens every duration, idle timeouts included", async () => {
    const fast = await startTestEmulator({ speed: 100, durations: { provisioning: 5 } });
    try {
        const r = await fast.api("POST", "/services", serviceBody({ idleTimeoutMinutes: 5 }));
        const id = r.body.result.service.id;
        await fast.waitService(id, "running", 5000); // 5 s at speed 100 = 50 ms
        // 5 minutes at speed 100 = 3 s of wall time; advancing the clock by that much is equivalent.
        await fast.emu.control.advance(3);
        expect((await fast.api("GET", `/services/${id}`)).body.result.state).toBe("idle");
        await sleep(1);
    } finally {
        await fast.emu.stop();
    }
    expect(fast.conformance.failures).toEqual([]);
});

test("a primary with other services in its warehouse is not deleted first; secondaries join the warehouse", async () => {
    const primary = (await t.api("POST", "/services", serviceBody())).body.result.service;
    const secondary = await t.api("POST", "/services", serviceBody({ dataWarehouseId: primary.dataWarehouseId, isReadonly: true }));
    expect(secondary.body.result.service).toMatchObject({ dataWarehouseId: primary.dataWarehouseId, isPrimary: false, isReadonly: true });
    expect((await t.api("POST", "/services", serviceBody({ dataWarehouseId: primary.dataWarehouseId, region: "eu-west-1" }))).status).toBe(
        400,
    );
    expect((await t.api("GET", `/services/${secondary.body.result.service.id}/backupConfiguration`)).status).toBe(400);
    const del = await t.api("DELETE", `/services/${primary.id}`);
    expect(del.status).toBe(409);
});
