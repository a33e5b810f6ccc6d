/**
 * The Service provider methods against the emulator where the official Terraform provider found
 * the emulator unfaithful (issue 12): fields the API answers that the emulator used to withhold,
 * and the two kinds of organization (current tiers without `tier`, legacy tiers with it).
 * Each case: create → read (refresh) → diff against the same inputs must show no change.
 */
process.env.CLICKHOUSE_POLL_MIN_MS = "50";
process.env.CLICKHOUSE_POLL_MAX_MS = "250";
process.env.CLICKHOUSE_RATE_LIMIT = "off";

import { RunningEmulator, startEmulator } from "../../emulator";
import { resetClients } from "../../provider/api/client";
import { setStackConfig } from "../../provider/config";
import { checkService, diffService, serviceHandlers } from "../../provider/resources/service";

const FAST = { provisioning: 0.2, starting: 0.2, stopping: 0.2, awaking: 0.2, terminating: 0.2 };
type Outs = Record<string, unknown>;

let emu: RunningEmulator;

function configure(e: RunningEmulator): void {
    resetClients();
    setStackConfig({
        "clickhouse:apiUrl": e.apiUrl,
        "clickhouse:organizationId": e.organizationId,
        "clickhouse:tokenKey": e.keyId,
        "clickhouse:tokenSecret": e.keySecret,
    });
}

function inputs(name: string, args: Record<string, unknown>): Record<string, unknown> {
    const res = checkService({}, { name, provider: "aws", region: "us-east-1", ...args, __creation: `proj/fidelity/${name}` });
    expect(res.failures).toEqual([]);
    return { ...res.inputs, __provider: "shim-text" };
}

/** Create, refresh, and diff the refreshed outputs against the same inputs (and the refreshed inputs). */
async function roundTrip(ins: Record<string, unknown>): Promise<{ id: string; outs: Outs; read: Outs }> {
    const { id, outs } = (await serviceHandlers.create(ins)) as { id: string; outs: Outs };
    expect(diffService(id, outs, ins)).toMatchObject({ changes: false });
    const read = (await serviceHandlers.read(id, { ...outs, __provider: "shim-text" })) as { id: string; props: Outs; inputs: Outs };
    expect(read.id).toBe(id);
    expect(diffService(id, read.props, ins)).toMatchObject({ changes: false });
    expect(diffService(id, read.props, { ...read.inputs, __provider: "shim-text" })).toMatchObject({ changes: false });
    return { id, outs, read: read.props };
}

beforeAll(async () => {
    emu = await startEmulator({ durations: FAST, rateLimit: false, quiet: true });
    configure(emu);
});

afterAll(async () => {
    setStackConfig(undefined);
    resetClients();
    await emu?.stop();
});

describe("encryption fields the API answers", () => {
    test("encryptionKey comes back as given; no diff after a refresh", async () => {
        const key = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-4968-8776-655443322110";
        const { outs, read } = await roundTrip(
            inputs("cmek", { encryptionKey: key, encryptionAssumedRoleIdentifier: "arn:aws:iam::123456789012:role/kms" }),
        );
        expect(outs.encryptionKey).toBe(key);
        expect(read.encryptionKey).toBe(key);
    });

    test("a service with transparent data encryption has encryptionRoleId among its outputs", async () => {
        // The provider has no TDE argument: the service is made through the API and adopted.
        const client = (await import("../../provider/api/current")).apiClient();
        const created = await client.post<{ service: { id: string } }>("/services", {
            name: "tde",
            provider: "aws",
            region: "us-east-1",
            hasTransparentDataEncryption: true,
        });
        const { outs } = (await serviceHandlers.create(inputs("tde", { adoptServiceId: created.service.id }))) as { outs: Outs };
        expect(outs.hasTransparentDataEncryption).toBe(true);
        expect(outs.encryptionRoleId).toMatch(/^arn:aws:iam::/);
    });
});

describe("organization tiers: no diff and no failure on either kind of organization", () => {
    afterEach(() => emu.control.setOrganization({ tiers: "current" }));

    test("current tiers, no tier given: the outputs have none, refresh shows no change", async () => {
        const { outs, read } = await roundTrip(inputs("current-none", {}));
        expect(outs).not.toHaveProperty("tier");
        expect(read).not.toHaveProperty("tier");
    });

    test("current tiers, tier given (as in older programs): the API ignores it, the outputs keep what was written, no diff", async () => {
        const { id, outs, read } = await roundTrip(inputs("current-given", { tier: "production" }));
        const api = (await emu.control.objects()).services.find((s) => s.id === id);
        expect(api).toBeDefined();
        expect(api!.tier).toBeUndefined();
        expect(outs.tier).toBe("production");
        expect(read.tier).toBe("production");
    });

    test.each([
        ["no tier", {}],
        ["tier production", { tier: "production" }],
    ])("legacy tiers, %s: the outputs say production, no diff", async (_name, args) => {
        await emu.control.setOrganization({ tiers: "legacy" });
        const { outs, read } = await roundTrip(inputs(`legacy-${Object.keys(args).length}`, args));
        expect(outs.tier).toBe("production");
        expect(read.tier).toBe("production");
    });

    test("legacy tiers: a development service round-trips too", async () => {
        await emu.control.setOrganization({ tiers: "legacy" });
        const { outs } = await roundTrip(inputs("legacy-dev", { tier: "development", provider: "gcp", region: "europe-west4" }));
        expect(outs.tier).toBe("development");
    });
});
