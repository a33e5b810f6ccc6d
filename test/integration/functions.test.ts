/** The read-only functions against the emulator, with credentials from explicit config and from the environment. */
import type { RunningEmulator } from "../../emulator";
import type { Service } from "../../provider/api/types";
import {
    FunctionConfig,
    getBackup,
    getBackupConfiguration,
    getPrivateEndpointConfig,
    getPrometheusMetrics,
    getService,
    listBackups,
    listServices,
} from "../../provider/functions";
import { createRunningService, MISSING_ID, requests, startTestEmulator } from "./satellite.helpers";

let emu: RunningEmulator;
let config: FunctionConfig;
let tagged: Service;
let other: Service;
beforeAll(async () => {
    emu = await startTestEmulator();
    config = { apiUrl: emu.url, organizationId: emu.organizationId, tokenKey: emu.keyId, tokenSecret: emu.keySecret };
    tagged = await createRunningService({ name: "tagged", tier: "production", tags: [{ key: "env", value: "prod" }] });
    other = await createRunningService({ name: "other", tags: [{ key: "env", value: "dev" }] });
});
afterAll(() => emu.stop());

describe("functions", () => {
    it("getService returns the service", async () => {
        expect(await getService(tagged.id!, { config })).toMatchObject({ id: tagged.id, name: "tagged", state: "running" });
    });

    it("getService of a missing service rejects with 404", async () => {
        await expect(getService(MISSING_ID, { config })).rejects.toMatchObject({ status: 404 });
    });

    it("listServices lists all, or only those with a tag", async () => {
        expect((await listServices(undefined, { config })).map((s) => s.name).sort()).toEqual(["other", "tagged"]);
        expect((await listServices({ tag: { key: "env", value: "prod" } }, { config })).map((s) => s.id)).toEqual([tagged.id]);
        expect((await listServices({ tag: { key: "env" } }, { config })).map((s) => s.id).sort()).toEqual([tagged.id, other.id].sort());
    });

    it("backups: list, get one, configuration", async () => {
        const backups = await listBackups(tagged.id!, { config });
        expect(Array.isArray(backups)).toBe(true);
        if (backups.length > 0)
            expect(await getBackup(tagged.id!, backups[0].id!, { config })).toMatchObject({ id: backups[0].id, serviceId: tagged.id });
        await expect(getBackup(tagged.id!, MISSING_ID, { config })).rejects.toMatchObject({ status: 404 });
        const cfg = await getBackupConfiguration(tagged.id!, { config });
        expect(cfg.backupPeriodInHours).toEqual(expect.any(Number));
        expect(cfg.backupRetentionPeriodInHours).toEqual(expect.any(Number));
    });

    it("Prometheus metrics for the organization and for one service, filtered", async () => {
        const org = await getPrometheusMetrics(undefined, { config });
        expect(org).toContain(`clickhouse_service="${other.id}"`);
        const one = await getPrometheusMetrics({ serviceId: tagged.id, filteredMetrics: true }, { config });
        expect(one).toContain(`clickhouse_service="${tagged.id}"`);
        expect(one).not.toContain(`clickhouse_service="${other.id}"`);
        expect(one.length).toBeLessThan((await getPrometheusMetrics({ serviceId: tagged.id }, { config })).length);
    });

    it("getPrivateEndpointConfig gives what a VPC endpoint needs", async () => {
        expect(await getPrivateEndpointConfig(tagged.id!, { config })).toEqual({
            endpointServiceId: expect.stringMatching(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/),
            privateDnsHostname: expect.stringMatching(/\.vpce\.aws\.clickhouse\.cloud$/),
        });
    });

    it("credentials from the environment when no config is given; the log never shows the key secret", async () => {
        const saved = { ...process.env };
        try {
            Object.assign(process.env, {
                CLICKHOUSE_API_URL: emu.url,
                CLICKHOUSE_ORG_ID: emu.organizationId,
                CLICKHOUSE_TOKEN_KEY: emu.keyId,
                CLICKHOUSE_TOKEN_SECRET: emu.keySecret,
            });
            await emu.control.clearLog();
            expect((await getService(other.id!)).name).toBe("other");
            expect(await requests(emu)).toEqual([`GET /services/${other.id} -> 200`]);
            expect(JSON.stringify(await emu.control.log())).not.toContain(emu.keySecret);
        } finally {
            process.env = saved;
        }
    });
});
