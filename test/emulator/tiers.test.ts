/**
 * The two kinds of organization (issue 12, finding 1). On the current ClickHouse Cloud tiers
 * (BASIC, SCALE, ENTERPRISE: the default) a service has no `tier`: the answer leaves it out,
 * and a `tier` sent on create is ignored (the spec marks it deprecated for these tiers; the
 * Terraform provider's schema says it "must be omitted"). Legacy organizations keep
 * `development` / `production`, with the development rules.
 */
import { startTestEmulator, serviceBody } from "./helpers";

describe("an organization on the current tiers (the default)", () => {
    let t: Awaited<ReturnType<typeof startTestEmulator>>;
    beforeAll(async () => {
        t = await startTestEmulator({ durations: { provisioning: 0.05 } });
    });
    afterAll(async () => {
        await t.emu.stop();
        expect(t.conformance.failures).toEqual([]);
        expect(t.requestFailures).toEqual([]);
    });

    test("a service created without tier is answered without tier, on create, get and list", async () => {
        const created = await t.api("POST", "/services", serviceBody({ name: "no-tier" }));
        expect(created.status).toBe(200);
        const svc = created.body.result.service;
        expect(svc).not.toHaveProperty("tier");
        expect(await t.waitService(svc.id, "running")).not.toHaveProperty("tier");
        expect((await t.api("GET", "/services")).body.result.find((s: any) => s.id === svc.id)).not.toHaveProperty("tier");
    });

    test("a tier sent on create is accepted and ignored, development included: the service scales", async () => {
        const created = await t.api(
            "POST",
            "/services",
            serviceBody({ name: "dev-word", tier: "development", minReplicaMemoryGb: 16, maxReplicaMemoryGb: 32 }),
        );
        expect(created.status).toBe(200);
        expect(created.body.result.service).not.toHaveProperty("tier");
        const svc = await t.waitService(created.body.result.service.id, "running");
        expect((await t.api("PATCH", `/services/${svc.id}/replicaScaling`, { minReplicaMemoryGb: 24 })).status).toBe(200);
        expect((await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, { backupRetentionPeriodInHours: 48 })).status).toBe(200);
    });

    test("the organization's kind is switched per organization through the control API", async () => {
        expect(await t.emu.control.organization()).toMatchObject({ tiers: "current" });
        await t.emu.control.setOrganization({ tiers: "legacy" });
        try {
            expect((await t.api("POST", "/services", serviceBody({ name: "now-legacy" }))).body.result.service.tier).toBe("production");
        } finally {
            await t.emu.control.setOrganization({ tiers: "current" });
        }
        await expect(t.emu.control.setOrganization({ tiers: "premium" as never })).rejects.toThrow(/400/);
    });
});

describe('a legacy organization (option organizationTiers: "legacy", flag --organization-tiers legacy)', () => {
    let t: Awaited<ReturnType<typeof startTestEmulator>>;
    beforeAll(async () => {
        t = await startTestEmulator({ organizationTiers: "legacy", durations: { provisioning: 0.05 } });
    });
    afterAll(async () => {
        await t.emu.stop();
        expect(t.conformance.failures).toEqual([]);
    });

    test("a service created without tier is production, and says so", async () => {
        const created = await t.api("POST", "/services", serviceBody({ name: "legacy" }));
        expect(created.body.result.service.tier).toBe("production");
        expect((await t.api("GET", `/services/${created.body.result.service.id}`)).body.result.tier).toBe("production");
    });

    test("development: fixed size at create; refuses memory, replica and backup configuration changes", async () => {
        const bad = await t.api("POST", "/services", serviceBody({ tier: "development", minReplicaMemoryGb: 16 }));
        expect(bad.body.error).toBe(
            "BAD_REQUEST: request body.minReplicaMemoryGb: cannot update memory or replica settings for development tier service",
        );
        const created = await t.api("POST", "/services", serviceBody({ tier: "development", name: "dev" }));
        expect(created.body.result.service.tier).toBe("development");
        const dev = await t.waitService(created.body.result.service.id, "running");
        expect((await t.api("PATCH", `/services/${dev.id}/replicaScaling`, { minReplicaMemoryGb: 16 })).status).toBe(400);
        expect((await t.api("PATCH", `/services/${dev.id}/scaling`, { numReplicas: 2 })).status).toBe(400);
        expect((await t.api("PATCH", `/services/${dev.id}/scaling`, { idleScaling: false })).status).toBe(200);
        const backup = await t.api("PATCH", `/services/${dev.id}/backupConfiguration`, { backupRetentionPeriodInHours: 48 });
        expect(backup.body.error).toBe("BAD_REQUEST: cannot update backup configuration for development tier service");
    });
});

test("CLI: --organization-tiers and CLICKHOUSE_EMULATOR_ORGANIZATION_TIERS", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseArgs } = require("../../emulator/cli");
    expect(parseArgs(["--organization-tiers", "legacy"], {}).organizationTiers).toBe("legacy");
    expect(parseArgs([], { CLICKHOUSE_EMULATOR_ORGANIZATION_TIERS: "legacy" }).organizationTiers).toBe("legacy");
    expect(parseArgs([], {}).organizationTiers).toBeUndefined();
});
