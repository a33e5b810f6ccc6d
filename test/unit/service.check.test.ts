/**
 * `checkService`: every validation rule as a table. Each row gives arguments on top of a valid
 * base, the property that must fail, and words its reason must contain (property, value and
 * what is accepted). Secret values must never appear in reasons.
 */
import * as fs from "fs";
import * as path from "path";
import { UNKNOWN } from "../../provider/resources/unknown";
import { captureLogs } from "../../provider/log";
import { checkService, SERVICE_REGIONS } from "../../provider/resources/service";

const base = { name: "analytics", provider: "aws", region: "us-east-1" };
const HASH = Buffer.alloc(32, 7).toString("base64"); // a well-formed sha256 base64
const SHA1 = "a".repeat(40);

function failuresOf(args: Record<string, unknown>) {
    return checkService({}, args).failures;
}

describe("checkService accepts valid arguments", () => {
    it.each<[string, Record<string, unknown>]>([
        ["minimal", {}],
        [
            "production with scaling",
            {
                tier: "production",
                minReplicaMemoryGb: 8,
                maxReplicaMemoryGb: 356,
                numReplicas: 3,
                idleScaling: true,
                idleTimeoutMinutes: 5,
            },
        ],
        ["every deprecated tier value", { tier: "dedicated_standard_n2d_standard_64_24SSD" }],
        ["development on gcp", { provider: "gcp", region: "us-central1", tier: "development" }],
        ["idle timeout with idleScaling unset (API default true)", { idleTimeoutMinutes: 30 }],
        [
            "ip list, v4, v6, CIDR",
            {
                ipAccessList: [
                    { source: "203.0.113.7" },
                    { source: "10.0.0.0/8", description: "vpc" },
                    { source: "2001:db8::/32" },
                    { source: "0.0.0.0/0" },
                ],
            },
        ],
        ["tags without value", { tags: [{ key: "env", value: "prod" }, { key: "team.data_1-x" }] }],
        ["49 tags", { tags: Array.from({ length: 49 }, (_, i) => ({ key: `k${i}` })) }],
        ["mysql endpoint", { endpoints: [{ protocol: "mysql", enabled: true }] }],
        ["password", { password: "s3cret-Password!" }],
        ["password hash pair", { passwordHash: HASH, doubleSha1PasswordHash: SHA1 }],
        ["read-only in a warehouse", { dataWarehouseId: "wh-1", isReadonly: true }],
        ["not read-only without warehouse", { isReadonly: false }],
        ["byoc sizes", { byocId: "byoc-1", minReplicaMemoryGb: 48, maxReplicaMemoryGb: 232 }],
        ["state stopped", { state: "stopped" }],
        ["timeouts", { timeouts: { create: "45m", update: "1h30m", delete: "90s" } }],
        [
            "organizationId and adoptServiceId",
            { organizationId: "7c0f5e1a-4d1b-4c8e-9a55-000000000001", adoptServiceId: "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f" },
        ],
        ["backupId uuid", { backupId: "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f" }],
        [
            "unknowns during preview",
            {
                name: UNKNOWN,
                region: UNKNOWN,
                minReplicaMemoryGb: UNKNOWN,
                ipAccessList: [{ source: UNKNOWN }],
                tags: UNKNOWN,
                password: UNKNOWN,
            },
        ],
        ["hidden keys", { __creation: "proj/dev/svc", __provider: "x" }],
    ])("%s", (_, extra) => {
        expect(failuresOf({ ...base, ...extra })).toEqual([]);
    });

    it("accepts every region under its own provider", () => {
        for (const [provider, regions] of Object.entries(SERVICE_REGIONS)) {
            for (const region of regions) expect(failuresOf({ ...base, provider, region })).toEqual([]);
        }
    });

    it("returns the inputs unchanged (no defaults that could diff against the API's choices)", () => {
        const news = { ...base, ipAccessList: [{ source: "1.2.3.4" }], __creation: "p/s/n" };
        expect(checkService({}, news).inputs).toEqual(news);
    });
});

describe("checkService rejects", () => {
    it.each<[string, Record<string, unknown>, string, string[]]>([
        // identity and placement
        ["missing name", { name: undefined }, "name", ['"name" is required']],
        ["empty name", { name: "" }, "name", ['"name" is required']],
        ["name too long", { name: "x".repeat(51) }, "name", ["51 characters", "at most 50"]],
        ["name not a string", { name: 42 }, "name", ["must be a string", "42"]],
        ["missing provider", { provider: undefined }, "provider", ['"provider" is required', "aws, gcp, azure"]],
        ["unknown provider", { provider: "oracle" }, "provider", ['"oracle"', "aws, gcp, azure"]],
        ["missing region", { region: undefined }, "region", ['"region" is required']],
        ["unknown region", { region: "mars-1" }, "region", ['"mars-1"', "us-east-1"]],
        ["gcp region under aws", { region: "us-central1" }, "region", ["not a region of aws", "us-east-1"]],
        ["aws region under azure", { provider: "azure" }, "region", ["not a region of azure", "eastus2"]],
        ["unknown tier", { tier: "huge" }, "tier", ['"huge"', "development", "dedicated_standard_n2d_standard_64_24SSD"]],
        ["development on azure", { provider: "azure", region: "eastus", tier: "development" }, "tier", ["Azure", "development"]],
        // scaling
        ["min memory below 8", { minReplicaMemoryGb: 4 }, "minReplicaMemoryGb", ["4 GiB", "between 8 and 356"]],
        ["max memory above 356", { maxReplicaMemoryGb: 360 }, "maxReplicaMemoryGb", ["360", "between 8 and 356"]],
        ["memory not multiple of 4", { minReplicaMemoryGb: 10 }, "minReplicaMemoryGb", ["10", "multiple of 4"]],
        ["memory as string", { maxReplicaMemoryGb: "16" }, "maxReplicaMemoryGb", ["must be a number", '"16"']],
        [
            "min above max",
            { minReplicaMemoryGb: 32, maxReplicaMemoryGb: 16 },
            "minReplicaMemoryGb",
            ["32 GiB", "16 GiB", "at most the maximum"],
        ],
        ["zero replicas", { numReplicas: 0 }, "numReplicas", ["0", "between 1 and 20"]],
        ["21 replicas", { numReplicas: 21 }, "numReplicas", ["21", "between 1 and 20"]],
        ["fractional replicas", { numReplicas: 2.5 }, "numReplicas", ["2.5", "whole number"]],
        ["idle timeout below 5", { idleTimeoutMinutes: 4 }, "idleTimeoutMinutes", ["4 minutes", "at least 5"]],
        [
            "idle timeout without idle scaling",
            { idleScaling: false, idleTimeoutMinutes: 10 },
            "idleTimeoutMinutes",
            ["idleScaling", "false"],
        ],
        ["idleScaling not boolean", { idleScaling: "yes" }, "idleScaling", ["true or false", '"yes"']],
        ["unknown release channel", { releaseChannel: "beta" }, "releaseChannel", ['"beta"', "slow, default, fast"]],
        ["development with memory", { tier: "development", minReplicaMemoryGb: 16 }, "minReplicaMemoryGb", ["development", "fixed size"]],
        ["development with replicas", { tier: "development", numReplicas: 2 }, "numReplicas", ["development", "replica"]],
        [
            "development with release channel",
            { tier: "development", releaseChannel: "fast" },
            "releaseChannel",
            ["development", "release-channel"],
        ],
        ["byoc without memory", { byocId: "byoc-1" }, "minReplicaMemoryGb", ["byocId", "48, 116, 172, 232", "not set"]],
        [
            "byoc with other size",
            { byocId: "byoc-1", minReplicaMemoryGb: 48, maxReplicaMemoryGb: 64 },
            "maxReplicaMemoryGb",
            ["64", "48, 116, 172, 232"],
        ],
        // warehouse, backup
        ["read-only without warehouse", { isReadonly: true }, "isReadonly", ["dataWarehouseId", "read-only"]],
        ["isReadonly not boolean", { isReadonly: 1 }, "isReadonly", ["true or false"]],
        ["backupId not a uuid", { backupId: "backup-1" }, "backupId", ['"backup-1"', "UUID"]],
        ["empty dataWarehouseId", { dataWarehouseId: "" }, "dataWarehouseId", ["must not be empty"]],
        // lists
        ["ip list not a list", { ipAccessList: "1.2.3.4" }, "ipAccessList", ["must be a list"]],
        ["ip entry not an object", { ipAccessList: ["1.2.3.4"] }, "ipAccessList[0]", ['"1.2.3.4"', "source"]],
        ["bad ip", { ipAccessList: [{ source: "1.2.3.400" }] }, "ipAccessList[0].source", ["1.2.3.400", "IPv4 or IPv6"]],
        ["bad cidr prefix", { ipAccessList: [{ source: "10.0.0.0/33" }] }, "ipAccessList[0].source", ["10.0.0.0/33", "CIDR"]],
        ["hostname as ip", { ipAccessList: [{ source: "example.com" }] }, "ipAccessList[0].source", ["example.com"]],
        [
            "ip entry unknown key",
            { ipAccessList: [{ source: "1.2.3.4", comment: "x" }] },
            "ipAccessList[0].comment",
            ["unknown property", "source, description"],
        ],
        ["tag key with blank", { tags: [{ key: "my key" }] }, "tags[0].key", ['"my key"', "1–128 letters"]],
        ["tag key too long", { tags: [{ key: "k".repeat(129) }] }, "tags[0].key", ["1–128"]],
        ["tag value with slash", { tags: [{ key: "k", value: "a/b" }] }, "tags[0].value", ['"a/b"', "1–256"]],
        ["tag value empty", { tags: [{ key: "k", value: "" }] }, "tags[0].value", ['omit "value"']],
        ["reserved tag key", { tags: [{ key: "pulumi-creation", value: "x" }] }, "tags[0].key", ["reserves"]],
        ["50 tags", { tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}` })) }, "tags", ["50 entries", "at most 49"]],
        ["tag unknown key", { tags: [{ key: "k", val: "v" }] }, "tags[0].val", ["unknown property", "key, value"]],
        ["endpoint https", { endpoints: [{ protocol: "https", enabled: false }] }, "endpoints[0].protocol", ['"https"', 'only "mysql"']],
        [
            "endpoint enabled not boolean",
            { endpoints: [{ protocol: "mysql", enabled: "on" }] },
            "endpoints[0].enabled",
            ['"on"', "true or false"],
        ],
        // state, passwords, timeouts, identity
        ["state idle", { state: "idle" }, "state", ['"idle"', "running, stopped"]],
        ["password and hash", { password: "pw-1234567", passwordHash: HASH }, "password", ['"password" and "passwordHash"', "one of them"]],
        ["sha1 hash without hash", { doubleSha1PasswordHash: SHA1 }, "doubleSha1PasswordHash", ['without "passwordHash"']],
        [
            "sha1 hash with password",
            { password: "pw-1234567", doubleSha1PasswordHash: SHA1 },
            "doubleSha1PasswordHash",
            ['without "passwordHash"'],
        ],
        ["hash not base64 of 32 bytes", { passwordHash: "c2hvcnQ=" }, "passwordHash", ["base64(sha256(password))", "44 base64 characters"]],
        ["hex sha256 instead of base64", { passwordHash: "ab".repeat(32) }, "passwordHash", ["base64(sha256(password))"]],
        [
            "sha1 hash not hex",
            { passwordHash: HASH, doubleSha1PasswordHash: "z".repeat(40) },
            "doubleSha1PasswordHash",
            ["40 hexadecimal digits"],
        ],
        ["empty password", { password: "" }, "password", ["non-empty string"]],
        ["password not a string", { password: 1234 }, "password", ["non-empty string", "number"]],
        ["timeouts not an object", { timeouts: "30m" }, "timeouts", ['"30m"', "create"]],
        ["bad timeout duration", { timeouts: { create: "soon" } }, "timeouts.create", ['"soon"', "45m"]],
        ["unknown timeout key", { timeouts: { read: "5m" } }, "timeouts.read", ["unknown property", "create, update, delete"]],
        ["organizationId not uuid", { organizationId: "my-org" }, "organizationId", ['"my-org"', "UUID"]],
        ["adoptServiceId not uuid", { adoptServiceId: "svc-1" }, "adoptServiceId", ['"svc-1"', "UUID"]],
        ["unknown top-level key", { nmae: "typo" }, "nmae", ['unknown property "nmae"', "name"]],
        ["deprecated total memory not offered", { minTotalMemoryGb: 24 }, "minTotalMemoryGb", ["unknown property", "minReplicaMemoryGb"]],
    ])("%s", (_, extra, property, words) => {
        const failures = failuresOf({ ...base, ...extra });
        const hit = failures.find((f) => f.property === property);
        expect(hit).toBeDefined();
        for (const w of words) expect(hit!.reason).toContain(w);
        expect(hit!.reason).toMatch(/^clickhouse:Service: /);
    });
});

describe("checkService warns, and does not refuse, where no official source confirms the rule (issue 12)", () => {
    // The API answers at `up`; a rule only inferred must not block a preview. Each row: arguments,
    // the property warned about, words of the warning.
    it.each<[string, Record<string, unknown>, string, string[]]>([
        ["name with newline", { name: "a\nb" }, "name", ["control characters"]],
        ["name with trailing blank", { name: "svc " }, "name", ["leading/trailing blanks"]],
        [
            "duplicate source",
            { ipAccessList: [{ source: "1.2.3.4" }, { source: "1.2.3.4", description: "again" }] },
            "ipAccessList",
            ['"1.2.3.4"', "more than once"],
        ],
        [
            "same address twice in two spellings",
            { ipAccessList: [{ source: "1.2.3.4" }, { source: "1.2.3.4/32" }] },
            "ipAccessList",
            ["more than once"],
        ],
        ["empty private endpoint id", { privateEndpointIds: [""] }, "privateEndpointIds[0]", ["private endpoint id"]],
        ["duplicate private endpoint id", { privateEndpointIds: ["pe-1", "pe-1"] }, "privateEndpointIds", ['"pe-1"', "more than once"]],
        [
            "duplicate tag key",
            {
                tags: [
                    { key: "env", value: "a" },
                    { key: "env", value: "b" },
                ],
            },
            "tags",
            ['"env"', "more than once"],
        ],
        [
            "duplicate endpoint",
            {
                endpoints: [
                    { protocol: "mysql", enabled: true },
                    { protocol: "mysql", enabled: false },
                ],
            },
            "endpoints",
            ['"mysql"', "more than once"],
        ],
    ])("%s", (_name, args, property, words) => {
        const logs = captureLogs();
        let failures;
        try {
            failures = failuresOf({ ...base, ...args });
        } finally {
            logs.stop();
        }
        expect(failures.filter((f) => f.property === property)).toEqual([]);
        const warning = logs.entries.find((e) => e.level === "warning" && e.message.includes(`"${property}"`));
        expect(warning).toBeDefined();
        for (const w of words) expect(warning!.message).toContain(w);
        expect(warning!.message).toMatch(/^clickhouse:\w+: .*warning only/);
        for (const e of logs.entries) for (const secret of [HASH]) expect(e.message).not.toContain(secret);
    });
});

describe("checkService never shows secret values", () => {
    it.each<[string, Record<string, unknown>]>([
        ["bad hash", { passwordHash: "not-a-real-hash-value-123" }],
        ["bad sha1", { passwordHash: HASH, doubleSha1PasswordHash: "not-a-real-sha1-value-123" }],
        ["both password and hash", { password: "VerySecretPw-99", passwordHash: HASH }],
        ["sha1 with password", { password: "VerySecretPw-99", doubleSha1PasswordHash: SHA1 }],
    ])("%s", (_, extra) => {
        const failures = failuresOf({ ...base, ...extra });
        expect(failures.length).toBeGreaterThan(0);
        const text = JSON.stringify(failures);
        for (const secret of Object.values(extra)) expect(text).not.toContain(String(secret));
    });
});

describe("check rules follow the OpenAPI document", () => {
    const specPath = path.resolve(__dirname, "../../../shared/reference/clickhouse-cloud-openapi.json");
    const spec = fs.existsSync(specPath) ? JSON.parse(fs.readFileSync(specPath, "utf8")) : undefined;
    const maybe = spec ? it : it.skip;

    maybe("every spec region is accepted under some provider and every spec tier is accepted", () => {
        const post = spec.components.schemas.ServicePostRequest.properties;
        const ours = Object.values(SERVICE_REGIONS).flat();
        expect([...ours].sort()).toEqual([...post.region.enum].sort());
        for (const tier of post.tier.enum) expect(failuresOf({ ...base, tier })).toEqual([]);
    });

    maybe("replica memory and replica bounds match ServiceReplicaScalingPatchRequest", () => {
        const s = spec.components.schemas.ServiceReplicaScalingPatchRequest.properties;
        const { minimum, maximum, multipleOf } = s.minReplicaMemoryGb;
        expect(failuresOf({ ...base, minReplicaMemoryGb: minimum, maxReplicaMemoryGb: maximum })).toEqual([]);
        expect(failuresOf({ ...base, minReplicaMemoryGb: minimum - multipleOf })).not.toEqual([]);
        expect(failuresOf({ ...base, maxReplicaMemoryGb: maximum + multipleOf })).not.toEqual([]);
        expect(failuresOf({ ...base, numReplicas: s.numReplicas.minimum })).toEqual([]);
        expect(failuresOf({ ...base, numReplicas: s.numReplicas.maximum })).toEqual([]);
        expect(failuresOf({ ...base, numReplicas: s.numReplicas.maximum + 1 })).not.toEqual([]);
    });

    maybe("tag key and value rules match ResourceTagsV1", () => {
        const t = spec.components.schemas.ResourceTagsV1.properties;
        expect(failuresOf({ ...base, tags: [{ key: "k".repeat(t.key.maxLength), value: "v".repeat(t.value.maxLength) }] })).toEqual([]);
        expect(failuresOf({ ...base, tags: [{ key: "k", value: "v".repeat(t.value.maxLength + 1) }] })).not.toEqual([]);
    });
});
