import { startTestEmulator, serviceBody, kafkaPipeBody } from "./helpers";

let t: Awaited<ReturnType<typeof startTestEmulator>>;
beforeAll(async () => {
    t = await startTestEmulator({ durations: { provisioning: 0.05, pipeProvisioning: 0.05 } });
});
afterAll(async () => {
    await t.emu.stop();
    expect(t.conformance.failures).toEqual([]);
});
afterEach(() => t.emu.control.setFaults({}));

test("errorRate 1 answers 500 or 503 in the error envelope, with no side effect", async () => {
    await t.emu.control.setFaults({ errorRate: 1 });
    const before = (await t.emu.control.objects()).services.length;
    for (let i = 0; i < 6; i++) {
        const r = await t.api("POST", "/services", serviceBody());
        expect([500, 503]).toContain(r.status);
        expect(r.body.error).toMatch(/^(INTERNAL_SERVER_ERROR|SERVICE_UNAVAILABLE): /);
    }
    expect((await t.emu.control.objects()).services.length).toBe(before);
});

test("errorAfterRate 1 applies the change, then answers 500", async () => {
    await t.emu.control.setFaults({ errorAfterRate: 1 });
    const before = (await t.emu.control.objects()).services.length;
    expect((await t.api("POST", "/services", serviceBody({ name: "ghost" }))).status).toBe(500);
    await t.emu.control.setFaults({});
    const names = (await t.api("GET", "/services")).body.result.map((s: any) => s.name);
    expect(names).toContain("ghost");
    expect((await t.emu.control.objects()).services.length).toBe(before + 1);
});

test("resetRate 1 drops the connection without an answer", async () => {
    await t.emu.control.setFaults({ resetRate: 1 });
    await expect(t.api("GET", "/services")).rejects.toThrow();
    await t.emu.control.setFaults({});
    expect((await t.api("GET", "/services")).status).toBe(200);
    expect((await t.emu.control.log()).some((e) => e.status === 0)).toBe(true);
});

test("latency is added and shows in the logged duration", async () => {
    await t.emu.control.setFaults({ latencyMs: [40, 50] });
    await t.emu.control.clearLog();
    await t.api("GET", "/services");
    const [entry] = await t.emu.control.log();
    expect(entry.durationMs).toBeGreaterThanOrEqual(39);
});

test("the request log keeps method, path with query, status, duration and key id — never bodies or secrets", async () => {
    await t.emu.control.clearLog();
    const created = await t.api("POST", "/services", serviceBody({ name: "logged" }));
    const { service, password } = created.body.result;
    await t.waitService(service.id, "running");
    const newPassword = (await t.api("PATCH", `/services/${service.id}/password`, {})).body.result.password;
    await t.api("POST", `/services/${service.id}/clickpipes`, kafkaPipeBody());
    await t.api("GET", "/services?filter=tag:a=b");
    const log = await t.emu.control.log();
    expect(log[0]).toEqual({
        time: expect.any(String),
        method: "POST",
        path: `${t.org}/services`,
        status: 200,
        durationMs: expect.any(Number),
        keyId: t.emu.keyId,
    });
    expect(log.map((e) => e.path)).toContain(`${t.org}/services?filter=tag:a=b`);
    const everything = JSON.stringify(log) + JSON.stringify(await t.emu.control.objects()) + JSON.stringify(await t.emu.control.events());
    // (encryptionKey is no secret: the spec's Service answers it, and it names a KMS key, not its material.)
    for (const secret of [password, newPassword, t.emu.keySecret, "kafka-secret-pw"]) expect(everything).not.toContain(secret);
    await t.emu.control.clearLog();
    expect(await t.emu.control.log()).toEqual([]);
});

test("control API: set state, patch behind the provider's back, objects, reset", async () => {
    const id = (await t.api("POST", "/services", serviceBody({ name: "ctl" }))).body.result.service.id;
    await expect(t.emu.control.setState("service", id, "exploded")).rejects.toThrow(/400/);
    await expect(t.emu.control.setState("service", "00000000-0000-4000-8000-000000000000", "failed")).rejects.toThrow(/404/);
    await t.emu.control.setState("service", id, "stopped");
    expect((await t.api("GET", `/services/${id}`)).body.result.state).toBe("stopped");
    const drifted = await t.emu.control.patchService(id, {
        name: "drifted",
        ipAccessList: [{ source: "1.2.3.4" }],
        minReplicaMemoryGb: 16,
    });
    expect(drifted).toMatchObject({ name: "drifted", ipAccessList: [{ source: "1.2.3.4" }], minReplicaMemoryGb: 16 });
    expect((await t.api("GET", `/services/${id}`)).body.result.name).toBe("drifted");
    await expect(t.emu.control.patchService(id, { secrets: {} })).rejects.toThrow(/400/);
    await t.emu.control.setState("service", id, "running");
    const pipe = (await t.api("POST", `/services/${id}/clickpipes`, kafkaPipeBody())).body.result;
    await t.emu.control.setState("clickpipe", pipe.id, "Failed");
    await t.emu.control.patchClickPipe(pipe.id, { name: "renamed-pipe" });
    expect((await t.api("GET", `/services/${id}/clickpipes/${pipe.id}`)).body.result).toMatchObject({
        name: "renamed-pipe",
        state: "Failed",
    });
    const objects = await t.emu.control.objects();
    expect(objects.services.find((s) => s.id === id)).toMatchObject({ name: "drifted", hostPrefix: expect.any(String) });
    expect(objects.services[0].secrets).toBeUndefined();
    await t.emu.control.reset();
    expect(await t.emu.control.objects()).toEqual({ services: [], clickpipes: [], queryEndpoints: [], privateEndpoints: [] });
    expect((await t.api("GET", "/services")).body.result).toEqual([]);
});
