/** ServiceScaling against the in-process emulator: lifecycle, drift, development tier, idempotent delete. */
import type { RunningEmulator } from "../../emulator";
import type { Service } from "../../provider/api/types";
import { diffServiceScaling, serviceScalingHandlers as h } from "../../provider/resources/serviceScaling";
import { apiClient } from "../../provider/api/current";
import * as services from "../../provider/api/services";
import { createRunningService, creation, MISSING_ID, requests, startTestEmulator } from "./satellite.helpers";

let emu: RunningEmulator;
let svc: Service;
beforeAll(async () => {
    emu = await startTestEmulator();
    svc = await createRunningService({ tier: "production" });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.clearLog());

describe("ServiceScaling lifecycle", () => {
    let outs: Record<string, unknown>;
    const inputs = () => ({ serviceId: svc.id, minReplicaMemoryGb: 16, maxReplicaMemoryGb: 32, ...creation("scaling") });

    it("create PATCHes replicaScaling after checking the service, waits, and reports the service's values", async () => {
        const created = await h.create(inputs());
        expect(created.id).toBe(svc.id);
        outs = created.outs;
        expect(outs).toMatchObject({
            serviceId: svc.id,
            minReplicaMemoryGb: 16,
            maxReplicaMemoryGb: 32,
            __creation: "satellites/test/scaling",
        });
        const log = await requests(emu);
        expect(log[0]).toBe(`GET /services/${svc.id} -> 200`);
        expect(log).toContain(`PATCH /services/${svc.id}/replicaScaling -> 200`);
        const service = await apiClient().get<Service>(`/services/${svc.id}`);
        expect([service.minReplicaMemoryGb, service.maxReplicaMemoryGb]).toEqual([16, 32]);
    });

    it("a stable PATCH answer is the result: no poll follows it", async () => {
        const news = { ...inputs(), maxReplicaMemoryGb: 48 };
        const updated = await h.update(svc.id!, outs, news);
        expect(updated.outs).toMatchObject({ maxReplicaMemoryGb: 48 });
        expect(await requests(emu)).toEqual([`GET /services/${svc.id} -> 200`, `PATCH /services/${svc.id}/replicaScaling -> 200`]);
        outs = (await h.update(svc.id!, updated.outs!, inputs())).outs!;
    });

    it("a transitional PATCH answer is waited out until the service is stable", async () => {
        const real = services.patchReplicaScaling;
        const spy = jest
            .spyOn(services, "patchReplicaScaling")
            .mockImplementation(async (...args) => ({ ...(await real(...args)), state: "starting" as const }));
        try {
            const updated = await h.update(svc.id!, outs, { ...inputs(), maxReplicaMemoryGb: 40 });
            expect(updated.outs).toMatchObject({ maxReplicaMemoryGb: 40 });
            const log = await requests(emu);
            expect(log.indexOf(`PATCH /services/${svc.id}/replicaScaling -> 200`)).toBe(1);
            expect(log.slice(2).length).toBeGreaterThan(0);
            expect(log.slice(2).every((l) => l.startsWith("GET /services"))).toBe(true);
        } finally {
            spy.mockRestore();
        }
        outs = (await h.update(svc.id!, outs, inputs())).outs!;
    });

    it("read returns the same, and inputs that make the next diff empty", async () => {
        const read = await h.read(svc.id!, outs);
        expect(read.id).toBe(svc.id);
        expect(read.props).toMatchObject({ minReplicaMemoryGb: 16, maxReplicaMemoryGb: 32 });
        expect(diffServiceScaling(svc.id!, read.props!, inputs()).changes).toBe(false);
        expect(diffServiceScaling(svc.id!, read.props!, read.inputs!).changes).toBe(false);
    });

    it("update sends only the changed field", async () => {
        const news = { ...inputs(), maxReplicaMemoryGb: 64, idleScaling: true };
        const updated = await h.update(svc.id!, outs, news);
        expect(updated.outs).toMatchObject({ minReplicaMemoryGb: 16, maxReplicaMemoryGb: 64 });
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([`PATCH /services/${svc.id}/replicaScaling -> 200`]);
        outs = updated.outs!;
    });

    it("an update that matches the service sends no PATCH", async () => {
        await h.update(svc.id!, outs, { ...inputs(), maxReplicaMemoryGb: 64 });
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([]);
    });

    it("the deprecated totals go to PATCH /scaling", async () => {
        const news = { serviceId: svc.id, minTotalMemoryGb: 96, ...creation("scaling") };
        await h.update(svc.id!, outs, news);
        expect(await requests(emu)).toContain(`PATCH /services/${svc.id}/scaling -> 200`);
        expect((await apiClient().get<Service>(`/services/${svc.id}`)).minTotalMemoryGb).toBe(96);
    });

    it("drift: a change behind our back is seen by read and planned back", async () => {
        await emu.control.patchService(svc.id!, { maxReplicaMemoryGb: 120 });
        const read = await h.read(svc.id!, outs);
        expect(read.props!.maxReplicaMemoryGb).toBe(120);
        const d = diffServiceScaling(svc.id!, read.props!, { serviceId: svc.id, maxReplicaMemoryGb: 64 });
        expect(d.diffs).toEqual(["maxReplicaMemoryGb"]);
    });

    it("delete leaves the service as it is and is idempotent", async () => {
        const before = await apiClient().get<Service>(`/services/${svc.id}`);
        await h.delete(svc.id!, outs);
        await h.delete(svc.id!, outs);
        expect(await requests(emu)).toEqual([`GET /services/${svc.id} -> 200`]);
        const after = await apiClient().get<Service>(`/services/${svc.id}`);
        expect(after.maxReplicaMemoryGb).toBe(before.maxReplicaMemoryGb);
    });

    it("read of a service that no longer exists is gone", async () => {
        expect((await h.read(MISSING_ID, { serviceId: MISSING_ID })).id).toBe("");
    });
});

describe("ServiceScaling refusals", () => {
    it("a development service gets a clear error before any PATCH", async () => {
        // Development services exist on legacy organizations only (the current tiers have no service tier).
        await emu.control.setOrganization({ tiers: "legacy" });
        const dev = await createRunningService({ tier: "development", name: "dev-scaling" }).finally(() =>
            emu.control.setOrganization({ tiers: "current" }),
        );
        await emu.control.clearLog();
        await expect(h.create({ serviceId: dev.id, minReplicaMemoryGb: 16, ...creation("dev") })).rejects.toThrow(
            /clickhouse:ServiceScaling: service "dev-scaling" .* is a development-tier service.*minReplicaMemoryGb/,
        );
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([]);
    });

    it("a service in a failure state: the wait before the PATCH names the service and its state; nothing is sent", async () => {
        const broken = await createRunningService({ tier: "production", name: "broken" });
        await emu.control.setState("service", broken.id!, "degraded");
        await emu.control.clearLog();
        await expect(h.create({ serviceId: broken.id, numReplicas: 2, ...creation("broken") })).rejects.toThrow(
            /service "broken" \(.*\) is degraded/,
        );
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([]);
    });

    it("a missing service is named", async () => {
        await expect(h.create({ serviceId: MISSING_ID, numReplicas: 3 })).rejects.toThrow(`service ${MISSING_ID} does not exist`);
    });

    it("the API's own refusal surfaces with its words", async () => {
        await expect(h.create({ serviceId: svc.id, minReplicaMemoryGb: 64, maxReplicaMemoryGb: 32 })).rejects.toThrow(
            /400 BAD_REQUEST.*minReplicaMemoryGb/,
        );
    });
});
