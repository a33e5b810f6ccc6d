/**
 * `diffService` as tables: `olds` are recorded outputs (what the engine hands `diff`), `news`
 * the checked inputs. Each replacing property replaces, each other property updates in place,
 * lists compare as sets, unknown preview values count as changes, hidden keys and the creation
 * tag never do, and unset API-chosen settings never differ.
 */
import { UNKNOWN } from "../../provider/resources/unknown";
import { diffService } from "../../provider/resources/service";

const HASH_A = Buffer.alloc(32, 1).toString("base64");
const HASH_B = Buffer.alloc(32, 2).toString("base64");

/** Outputs as `create` records them for {@link inputs}, with API-chosen values. */
const olds: Record<string, unknown> = {
    name: "analytics",
    provider: "aws",
    region: "us-east-1",
    state: "running",
    clickhouseVersion: "25.8.1.8909",
    endpoints: [
        { protocol: "https", host: "abc.us-east-1.aws.clickhouse.cloud", port: 8443, username: "default" },
        { protocol: "nativesecure", host: "abc.us-east-1.aws.clickhouse.cloud", port: 9440, username: "default" },
    ],
    tier: "production",
    minReplicaMemoryGb: 8,
    maxReplicaMemoryGb: 120,
    numReplicas: 3,
    autoscalingMode: "vertical",
    idleScaling: true,
    idleTimeoutMinutes: 15,
    ipAccessList: [{ source: "10.0.0.0/8", description: "vpc" }, { source: "203.0.113.7" }],
    privateEndpointIds: ["pe-1", "pe-2"],
    dataWarehouseId: "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f",
    isPrimary: true,
    isReadonly: false,
    releaseChannel: "default",
    tags: [{ key: "env", value: "prod" }, { key: "team" }],
    password: "generated-Password-1",
    organizationId: "7c0f5e1a-4d1b-4c8e-9a55-000000000001",
    privateEndpointConfig: { endpointServiceId: "com.amazonaws.vpce.x", privateDnsHostname: "abc.vpce.aws.clickhouse.cloud" },
    __creation: "proj/dev/analytics",
    __inputKeys: ["name", "provider", "region", "ipAccessList", "tags"],
    __provider: "serialized-shim-v1",
};

/** What the user wrote. */
const inputs: Record<string, unknown> = {
    name: "analytics",
    provider: "aws",
    region: "us-east-1",
    ipAccessList: [{ source: "203.0.113.7" }, { source: "10.0.0.0/8", description: "vpc" }],
    tags: [{ key: "team" }, { key: "env", value: "prod" }],
    __creation: "proj/dev/analytics",
    __provider: "serialized-shim-v1",
};

function diff(newsPatch: Record<string, unknown>, oldsPatch: Record<string, unknown> = {}) {
    return diffService("svc-1", { ...olds, ...oldsPatch }, { ...inputs, ...newsPatch });
}

describe("diffService: no change", () => {
    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["identical program", {}, {}],
        ["ip list in another order", { ipAccessList: [{ source: "10.0.0.0/8", description: "vpc" }, { source: "203.0.113.7" }] }, {}],
        [
            "empty description equals none",
            {
                ipAccessList: [
                    { source: "203.0.113.7", description: "" },
                    { source: "10.0.0.0/8", description: "vpc" },
                ],
            },
            {},
        ],
        [
            "single address written as /32",
            { ipAccessList: [{ source: "203.0.113.7/32" }, { source: "10.0.0.0/8", description: "vpc" }] },
            {},
        ],
        ["IPv6 in another case", { ipAccessList: [{ source: "2001:DB8::1" }] }, { ipAccessList: [{ source: "2001:db8::1/128" }] }],
        ["tags in another order", { tags: [{ key: "env", value: "prod" }, { key: "team" }] }, {}],
        [
            "creation tag in API tags is ignored",
            {},
            { tags: [{ key: "pulumi-creation", value: "proj.dev.analytics.abc.def" }, { key: "env", value: "prod" }, { key: "team" }] },
        ],
        ["private endpoints in another order", { privateEndpointIds: ["pe-2", "pe-1"] }, {}],
        ["hidden __creation differs", { __creation: "proj/dev/renamed" }, {}],
        ["hidden __provider differs", { __provider: "serialized-shim-v2" }, {}],
        [
            "unset scaling keeps the API's values",
            {},
            { minReplicaMemoryGb: 24, maxReplicaMemoryGb: 64, numReplicas: 2, idleTimeoutMinutes: 30 },
        ],
        [
            "same scaling as the API",
            { minReplicaMemoryGb: 8, maxReplicaMemoryGb: 120, numReplicas: 3, idleScaling: true, idleTimeoutMinutes: 15 },
            {},
        ],
        ["unset tier, API says production", {}, {}],
        ["same tier", { tier: "production" }, {}],
        ["unset dataWarehouseId, API has one", {}, {}],
        ["unset releaseChannel", {}, { releaseChannel: "fast" }],
        ["state running while idle", { state: "running" }, { state: "idle" }],
        ["state running while provisioning", { state: "running" }, { state: "provisioning" }],
        ["state stopped while stopping", { state: "stopped" }, { state: "stopping" }],
        ["mysql disabled and not listed", { endpoints: [{ protocol: "mysql", enabled: false }] }, {}],
        ["empty endpoints list is no wish", { endpoints: [] }, {}],
        [
            "mysql enabled and listed",
            { endpoints: [{ protocol: "mysql", enabled: true }] },
            { endpoints: [...(olds.endpoints as unknown[]), { protocol: "mysql", host: "h", port: 3306, username: "u" }] },
        ],
        ["no password given keeps the generated one", {}, {}],
        ["same password", { password: "generated-Password-1" }, {}],
        ["removing the password keeps it", {}, { password: "user-Password-1" }],
        ["same password hash", { passwordHash: HASH_A }, { password: undefined, passwordHash: HASH_A }],
        ["adoptServiceId is only read at creation", { adoptServiceId: "2b1c7a3e-0d5f-4b6a-8e9f-000000000000" }, {}],
        ["organizationId equal to the recorded one", { organizationId: "7c0f5e1a-4d1b-4c8e-9a55-000000000001" }, {}],
        ["unset ip list keeps the API's", { ipAccessList: undefined }, {}],
        ["never-set tags keep the API's", { tags: undefined }, { __inputKeys: ["name", "provider", "region", "ipAccessList"] }],
        ["same timeouts", { timeouts: { create: "45m" } }, { timeouts: { create: "45m" } }],
        [
            "warehouse given by another id than the API reports",
            { dataWarehouseId: "primary-service-id" },
            { __replacingInputs: { dataWarehouseId: "primary-service-id" } },
        ],
        [
            "deprecated tier reported differently by the API",
            { tier: "dedicated_high_mem" },
            { tier: "production", __replacingInputs: { tier: "dedicated_high_mem" } },
        ],
    ])("%s", (_, news, oldsPatch) => {
        const d = diff(news, oldsPatch);
        expect(d.diffs).toEqual([]);
        expect(d).toMatchObject({ changes: false, replaces: [] });
    });
});

describe("diffService: replaces", () => {
    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["provider", { provider: "gcp", region: "us-central1" }, {}],
        ["region", { region: "us-west-2" }, {}],
        ["tier", { tier: "development" }, {}],
        ["dataWarehouseId", { dataWarehouseId: "9f8e7d6c-0d5f-4b6a-8e9f-1a2b3c4d5e6f" }, {}],
        ["isReadonly", { isReadonly: true }, {}],
        ["backupId", { backupId: "3c2b1a00-0d5f-4b6a-8e9f-1a2b3c4d5e6f" }, { backupId: "1a2b3c4d-0d5f-4b6a-8e9f-1a2b3c4d5e6f" }],
        ["byocId", { byocId: "byoc-2" }, { byocId: "byoc-1" }],
        ["encryptionKey", { encryptionKey: "key-2" }, { encryptionKey: "key-1" }],
        [
            "encryptionAssumedRoleIdentifier",
            { encryptionAssumedRoleIdentifier: "arn:role/b" },
            { encryptionAssumedRoleIdentifier: "arn:role/a" },
        ],
        ["organizationId", { organizationId: "00000000-4d1b-4c8e-9a55-000000000002" }, {}],
        [
            "tier as written changed, even to the API's spelling",
            { tier: "production" },
            { tier: "production", __replacingInputs: { tier: "dedicated_high_mem" } },
        ],
        [
            "dataWarehouseId as written changed",
            { dataWarehouseId: "other-primary-id" },
            { __replacingInputs: { dataWarehouseId: "primary-service-id" } },
        ],
    ])("%s", (property, news, oldsPatch) => {
        const d = diff(news, oldsPatch);
        expect(d.changes).toBe(true);
        expect(d.replaces).toContain(property.split(" ")[0]);
    });

    it("replaces on a provider change and names both changed properties", () => {
        const d = diff({ provider: "gcp", region: "us-central1" });
        expect(d.replaces.sort()).toEqual(["provider", "region"]);
    });
});

describe("diffService: updates in place", () => {
    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["name", { name: "analytics-2" }, {}],
        ["ipAccessList", { ipAccessList: [{ source: "203.0.113.7" }] }, {}],
        [
            "ipAccessList",
            {
                ipAccessList: [
                    { source: "203.0.113.7", description: "office" },
                    { source: "10.0.0.0/8", description: "vpc" },
                ],
            },
            {},
        ],
        ["ipAccessList", { ipAccessList: [] }, {}],
        ["minReplicaMemoryGb", { minReplicaMemoryGb: 16 }, {}],
        ["maxReplicaMemoryGb", { maxReplicaMemoryGb: 64 }, {}],
        ["numReplicas", { numReplicas: 2 }, {}],
        ["idleScaling", { idleScaling: false }, {}],
        ["idleTimeoutMinutes", { idleTimeoutMinutes: 30 }, {}],
        ["releaseChannel", { releaseChannel: "fast" }, {}],
        ["endpoints", { endpoints: [{ protocol: "mysql", enabled: true }] }, {}],
        ["privateEndpointIds", { privateEndpointIds: ["pe-1"] }, {}],
        ["tags", { tags: [{ key: "env", value: "staging" }, { key: "team" }] }, {}],
        ["tags", { tags: [{ key: "env", value: "prod" }] }, {}],
        ["state", { state: "stopped" }, {}],
        ["state", { state: "running" }, { state: "stopped" }],
        ["password", { password: "new-Password-2" }, {}],
        ["passwordHash", { passwordHash: HASH_A }, {}],
        ["passwordHash", { passwordHash: HASH_B }, { password: undefined, passwordHash: HASH_A }],
        [
            "doubleSha1PasswordHash",
            { passwordHash: HASH_A, doubleSha1PasswordHash: "b".repeat(40) },
            { password: undefined, passwordHash: HASH_A, doubleSha1PasswordHash: "a".repeat(40) },
        ],
        ["password", { password: "back-to-Plain-3" }, { password: undefined, passwordHash: HASH_A }],
        ["timeouts", { timeouts: { delete: "1h" } }, {}],
        ["timeouts", {}, { timeouts: { delete: "1h" } }],
    ])("%s", (property, news, oldsPatch) => {
        const d = diff(news, oldsPatch);
        expect(d).toMatchObject({ changes: true, replaces: [] });
        expect(d.diffs).toEqual([property]);
    });
});

describe("diffService: a removed argument returns to the API's default", () => {
    const setBefore = (...keys: string[]) => ({ __inputKeys: [...(olds.__inputKeys as string[]), ...keys] });
    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["state", { state: undefined }, { state: "stopped", ...setBefore("state") }],
        ["releaseChannel", { releaseChannel: undefined }, { releaseChannel: "fast", ...setBefore("releaseChannel") }],
        [
            "endpoints",
            { endpoints: undefined },
            {
                endpoints: [...(olds.endpoints as unknown[]), { protocol: "mysql", host: "h", port: 3306, username: "u" }],
                ...setBefore("endpoints"),
            },
        ],
        ["tags", { tags: undefined }, {}],
    ])("%s, set before and removed now, changes in place", (property, news, oldsPatch) => {
        const d = diff(news, oldsPatch);
        expect(d).toMatchObject({ changes: true, replaces: [] });
        expect(d.diffs).toEqual([property]);
    });

    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["state never set, service stopped in the console", { state: undefined }, { state: "stopped" }],
        ["state removed, service already running", { state: undefined }, { state: "running", ...setBefore("state") }],
        ["state removed, service idle", { state: undefined }, { state: "idle", ...setBefore("state") }],
        ["releaseChannel never set", { releaseChannel: undefined }, { releaseChannel: "fast" }],
        ["releaseChannel removed, already default", { releaseChannel: undefined }, { ...setBefore("releaseChannel") }],
        ["endpoints removed, MySQL already off", { endpoints: undefined }, { ...setBefore("endpoints") }],
        ["tags removed, none left", { tags: undefined }, { tags: [{ key: "pulumi-creation", value: "x" }] }],
        // Arguments that another resource may take over, or whose default the API picks: left as they are.
        [
            "idleScaling removed (ServiceScaling may own it)",
            { idleScaling: undefined },
            { idleScaling: false, ...setBefore("idleScaling") },
        ],
        [
            "scaling removed (API-chosen)",
            { minReplicaMemoryGb: undefined, numReplicas: undefined },
            { ...setBefore("minReplicaMemoryGb", "numReplicas") },
        ],
        [
            "privateEndpointIds removed (PrivateEndpoint may own them)",
            { privateEndpointIds: undefined },
            { ...setBefore("privateEndpointIds") },
        ],
        ["ipAccessList removed (no address would be allowed)", { ipAccessList: undefined }, {}],
        ["tier removed (would replace the service)", { tier: undefined }, { ...setBefore("tier"), tier: "development" }],
        ["password removed (the current one stays)", {}, { password: "user-Password-1", ...setBefore("password") }],
    ])("%s: no change", (_, news, oldsPatch) => {
        const d = diff(news, oldsPatch);
        expect(d.diffs).toEqual([]);
        expect(d.changes).toBe(false);
    });
});

describe("diffService: unknown preview values", () => {
    it.each<[string, Record<string, unknown>, boolean]>([
        ["name", { name: UNKNOWN }, false],
        ["region", { region: UNKNOWN }, true],
        ["tier", { tier: UNKNOWN }, true],
        ["dataWarehouseId", { dataWarehouseId: UNKNOWN }, true],
        ["ipAccessList", { ipAccessList: UNKNOWN }, false],
        ["ipAccessList", { ipAccessList: [{ source: UNKNOWN }, { source: "10.0.0.0/8", description: "vpc" }] }, false],
        ["tags", { tags: [{ key: "env", value: UNKNOWN }, { key: "team" }] }, false],
        ["privateEndpointIds", { privateEndpointIds: [UNKNOWN] }, false],
        ["endpoints", { endpoints: UNKNOWN }, false],
        ["password", { password: UNKNOWN }, false],
        ["minReplicaMemoryGb", { minReplicaMemoryGb: UNKNOWN }, false],
    ])("%s", (property, news, replaces) => {
        const d = diff(news);
        expect(d.changes).toBe(true);
        expect(d.diffs).toEqual([property]);
        expect(d.replaces).toEqual(replaces ? [property] : []);
    });
});

describe("diffService right after a refresh", () => {
    it("reports nothing when the refreshed outputs still match the program", () => {
        // Outputs as `read` rebuilds them: same values, API order, creation tag filtered out.
        const refreshed = { ...olds, ipAccessList: [...(olds.ipAccessList as unknown[])].reverse(), state: "idle" };
        expect(diffService("svc-1", refreshed, { ...inputs, state: "running" })).toMatchObject({ changes: false, replaces: [] });
    });

    it("reports drift made behind Pulumi's back as an in-place change", () => {
        const drifted = { ...olds, name: "renamed-in-console", ipAccessList: [{ source: "0.0.0.0/0" }] };
        const d = diffService("svc-1", drifted, inputs);
        expect(d).toMatchObject({ changes: true, replaces: [] });
        expect(d.diffs.sort()).toEqual(["ipAccessList", "name"]);
    });
});
