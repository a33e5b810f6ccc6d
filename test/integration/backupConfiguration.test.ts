/** BackupConfiguration against the emulator: lifecycle, drift, reset on delete, refusals before any PATCH. */
import type { RunningEmulator } from "../../emulator";
import type { BackupConfiguration as Cfg, Service } from "../../provider/api/types";
import { backupConfigurationHandlers as h, diffBackupConfiguration } from "../../provider/resources/backupConfiguration";
import { apiClient } from "../../provider/api/current";
import { createRunningService, creation, MISSING_ID, requests, startTestEmulator } from "./satellite.helpers";

let emu: RunningEmulator;
let svc: Service;
let defaults: Cfg;
beforeAll(async () => {
    emu = await startTestEmulator();
    svc = await createRunningService({ tier: "production", name: "backed-up" });
    defaults = await apiClient().get<Cfg>(`/services/${svc.id}/backupConfiguration`);
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.clearLog());

describe("BackupConfiguration lifecycle", () => {
    let outs: Record<string, unknown>;
    const inputs = () => ({ serviceId: svc.id, backupRetentionPeriodInHours: 48, backupStartTime: "02:00", ...creation("backup") });

    it("create checks the service, PATCHes, and reports what the API applied (start time makes the period 24)", async () => {
        const created = await h.create(inputs());
        expect(created.id).toBe(svc.id);
        outs = created.outs;
        expect(outs).toMatchObject({
            serviceId: svc.id,
            backupPeriodInHours: 24,
            backupRetentionPeriodInHours: 48,
            backupStartTime: "02:00",
        });
        expect(await requests(emu)).toEqual([`GET /services/${svc.id} -> 200`, `PATCH /services/${svc.id}/backupConfiguration -> 200`]);
    });

    it("read gives a clean diff", async () => {
        const read = await h.read(svc.id!, outs);
        expect(read.props).toEqual(outs);
        expect(diffBackupConfiguration(svc.id!, read.props!, inputs()).changes).toBe(false);
        expect(diffBackupConfiguration(svc.id!, read.props!, read.inputs!).changes).toBe(false);
    });

    it("update in place", async () => {
        const updated = await h.update(svc.id!, outs, { ...inputs(), backupRetentionPeriodInHours: 720 });
        expect(updated.outs).toMatchObject({ backupRetentionPeriodInHours: 720, backupStartTime: "02:00" });
        outs = updated.outs!;
    });

    it("drift: a change behind our back shows in read and in the next diff", async () => {
        await emu.control.patchService(svc.id!, { backup: { backupPeriodInHours: 12, backupRetentionPeriodInHours: 720 } });
        const read = await h.read(svc.id!, outs);
        expect(read.props).toMatchObject({ backupPeriodInHours: 12 });
        expect(read.props!.backupStartTime).toBeUndefined();
        expect(diffBackupConfiguration(svc.id!, read.props!, { ...inputs(), backupRetentionPeriodInHours: 720 }).diffs).toEqual([
            "backupStartTime",
        ]);
    });

    it("delete resets every setting to the default with nulls, and is idempotent", async () => {
        await h.delete(svc.id!, outs);
        expect(await apiClient().get<Cfg>(`/services/${svc.id}/backupConfiguration`)).toEqual(defaults);
        await h.delete(svc.id!, outs);
        await h.delete(MISSING_ID, { serviceId: MISSING_ID });
        expect((await h.read(MISSING_ID, { serviceId: MISSING_ID })).id).toBe("");
    });
});

describe("BackupConfiguration refusals", () => {
    it("a development service: clear error, no PATCH sent", async () => {
        // Development services exist on legacy organizations only (the current tiers have no service tier).
        await emu.control.setOrganization({ tiers: "legacy" });
        const dev = await createRunningService({ tier: "development", name: "dev-backups" }).finally(() =>
            emu.control.setOrganization({ tiers: "current" }),
        );
        await emu.control.clearLog();
        await expect(h.create({ serviceId: dev.id, backupRetentionPeriodInHours: 48 })).rejects.toThrow(
            /clickhouse:BackupConfiguration: service "dev-backups" .* is a development-tier service; the API refuses backup configuration changes/,
        );
        expect(await requests(emu)).toEqual([`GET /services/${dev.id} -> 200`]);
    });

    it("a secondary service of a warehouse: clear error naming the warehouse, no PATCH sent", async () => {
        const secondary = await createRunningService({
            tier: "production",
            name: "reader",
            dataWarehouseId: svc.dataWarehouseId ?? svc.id,
        });
        expect(secondary.isPrimary).toBe(false);
        await emu.control.clearLog();
        await expect(h.create({ serviceId: secondary.id, backupPeriodInHours: 12 })).rejects.toThrow(
            /is not the primary service of data warehouse .*Point "serviceId" at the primary/,
        );
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([]);
    });

    it("what only the API knows is surfaced in its words", async () => {
        await expect(h.create({ serviceId: svc.id, backupPeriodInHours: 10 })).rejects.toThrow(
            /400 BAD_REQUEST: request body.backupPeriodInHours/,
        );
    });
});
