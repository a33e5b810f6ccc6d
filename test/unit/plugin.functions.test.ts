/**
 * The plugin face's read functions, called through `invoke` as the SDK's provider server calls it,
 * against the in-process emulator: each function's outputs as the schema describes them (plain
 * JSON, only declared fields, secrets wrapped), the provider's configuration as the credentials
 * (not the environment, not a program's `clickhouse:` configuration), and the errors of an
 * unknown token and of bad inputs, which come before any API call.
 */
process.env.CLICKHOUSE_POLL_MIN_MS = "50";
process.env.CLICKHOUSE_POLL_MAX_MS = "250";
process.env.CLICKHOUSE_RATE_LIMIT = "off";
// Set before the imports below load the journal; hence require(), not import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
process.env.CLICKHOUSE_ATTEMPTS_DIR = require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "ch-attempts-"));

import { RunningEmulator, startEmulator } from "../../emulator";
import { resetClients } from "../../provider/api/client";
import { setStackConfig } from "../../provider/config";
import { FUNCTION_TOKENS } from "../../provider/plugin/functions";
import { ClickHouseCloudProvider, configure } from "../../provider/plugin/provider";
import { isSecret, secret } from "../../provider/plugin/secrets";
import SCHEMA from "../../provider/plugin/schema.json";
import { resetRunState } from "../../provider/runState";

const FAST = { provisioning: 0.3, starting: 0.3, stopping: 0.3, awaking: 0.3, terminating: 0.3 };
const URN = (name: string) => `urn:pulumi:dev::proj::clickhouse-cloud:index:Service::${name}`;
const fn = (name: string) => `clickhouse-cloud:index:${name}`;
const KMS_KEY = "arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555";

type Spec = { properties?: Record<string, { $ref?: string; items?: { $ref?: string } }>; required?: string[] };
const functions = (SCHEMA as unknown as { functions: Record<string, { inputs: Spec; outputs: Spec }> }).functions;
const types = SCHEMA.types as Record<string, Spec>;

let emu: RunningEmulator;
const provider = new ClickHouseCloudProvider("0.1.0");
const savedEnv = { ...process.env };
let warehouse: string;
let other: string;

const configureFor = (tokenSecret: string) =>
    configure({
        "clickhouse-cloud:config:apiUrl": emu.url,
        "clickhouse-cloud:config:organizationId": emu.organizationId,
        "clickhouse-cloud:config:tokenKey": emu.keyId,
        "clickhouse-cloud:config:tokenSecret": tokenSecret,
    });

async function createService(name: string, tags: { key: string; value: string }[]): Promise<string> {
    const news = { name, provider: "aws", region: "eu-central-1", password: secret("S3cret-pass-1"), tags };
    const checked = await provider.check(URN(name), {}, news);
    expect(checked.failures).toEqual([]);
    return (await provider.create(URN(name), checked.inputs)).id;
}

/** The API requests the emulator received since the last `clearLog`, as `METHOD path`. */
const requests = async () => (await emu.control.log()).map((e) => `${e.method} ${e.path}`);

/** Every key of `value` is a property of `spec`, and every required one is there; nested through `$ref`s. */
function expectShape(value: unknown, spec: Spec, at: string): void {
    expect({ at, plain: JSON.parse(JSON.stringify(value)) }).toEqual({ at, plain: value });
    const values = value as Record<string, unknown>;
    for (const key of spec.required ?? []) expect({ at, key, present: values[key] !== undefined }).toEqual({ at, key, present: true });
    for (const [key, v] of Object.entries(values)) {
        const prop = spec.properties?.[key];
        expect({ at, key, declared: prop !== undefined }).toEqual({ at, key, declared: true });
        const ref = prop?.$ref ?? prop?.items?.$ref;
        const nested = ref?.startsWith("#/types/") ? types[ref.slice("#/types/".length)] : undefined;
        if (!nested?.properties || isSecret(v)) continue;
        for (const [i, item] of (Array.isArray(v) ? v : [v]).entries()) expectShape(item, nested, `${at}.${key}[${i}]`);
    }
}

beforeAll(async () => {
    emu = await startEmulator({ durations: FAST, rateLimit: false, quiet: true });
    resetClients();
    // The environment and a program's configuration name another organization and key: the
    // provider's configuration (below) is what a call must use.
    process.env.CLICKHOUSE_ORG_ID = "00000000-0000-4000-8000-000000000000";
    process.env.CLICKHOUSE_TOKEN_KEY = "env-key";
    process.env.CLICKHOUSE_TOKEN_SECRET = "env-secret";
    process.env.PULUMI_CONFIG = JSON.stringify({
        "clickhouse:organizationId": "00000000-0000-4000-8000-000000000001",
        "clickhouse:tokenKey": "program-key",
        "clickhouse:tokenSecret": "program-secret",
    });
    configureFor(emu.keySecret);
    warehouse = await createService("warehouse", [{ key: "team", value: "data" }]);
    other = await createService("other", [{ key: "team", value: "web" }]);
    // A customer KMS key: the Service resource marks it secret, so the functions' outputs do too.
    await emu.control.patchService(warehouse, { encryptionKey: KMS_KEY });
}, 60_000);

afterAll(async () => {
    process.env = savedEnv;
    setStackConfig(undefined);
    resetClients();
    await emu?.stop();
});

beforeEach(async () => {
    resetRunState();
    await emu.control.clearLog();
});

it("serves every function the schema declares, and the schema declares every function it serves", async () => {
    const schema = JSON.parse(await provider.getSchema());
    expect(Object.keys(schema.functions).sort()).toEqual([...FUNCTION_TOKENS].sort());
    expect(FUNCTION_TOKENS).toHaveLength(7);
});

describe("each function", () => {
    it("getService: the service, as the schema's outputs say, its encryption key secret, with the provider's credentials", async () => {
        const { outputs } = await provider.invoke(fn("getService"), { serviceId: warehouse });
        expect(outputs).toMatchObject({ id: warehouse, name: "warehouse", provider: "aws", region: "eu-central-1", state: "running" });
        expect(outputs.tags).toContainEqual({ key: "team", value: "data" });
        expect((outputs.endpoints as { protocol: string }[]).map((e) => e.protocol)).toEqual(["https", "nativesecure"]);
        expect(outputs.encryptionKey).toEqual(secret(KMS_KEY));
        expectShape(outputs, functions[fn("getService")].outputs, "getService");
        // One request, signed with the key of the provider's configuration.
        const log = await emu.control.log();
        expect(log.map((e) => [e.method, e.path, e.keyId])).toEqual([
            ["GET", `/v1/organizations/${emu.organizationId}/services/${warehouse}`, emu.keyId],
        ]);
    });

    it("getService: a secret input is taken as its value", async () => {
        const { outputs } = await provider.invoke(fn("getService"), { serviceId: secret(other) });
        expect(outputs.id).toBe(other);
        expect(outputs).not.toHaveProperty("encryptionKey");
    });

    it("getService: a service that does not exist is the API's 404", async () => {
        await expect(provider.invoke(fn("getService"), { serviceId: "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f" })).rejects.toMatchObject({
            status: 404,
        });
    });

    it("listServices: every service, or those with a tag (key and value, or key only)", async () => {
        const all = await provider.invoke(fn("listServices"), {});
        expectShape(all.outputs, functions[fn("listServices")].outputs, "listServices");
        const ids = (o: Record<string, unknown>) => (o.services as { id: string }[]).map((s) => s.id).sort();
        expect(ids(all.outputs)).toEqual([warehouse, other].sort());
        const withKms = (all.outputs.services as { id: string; encryptionKey?: unknown }[]).find((s) => s.id === warehouse);
        expect(withKms?.encryptionKey).toEqual(secret(KMS_KEY));

        expect(ids((await provider.invoke(fn("listServices"), { tag: { key: "team", value: "web" } })).outputs)).toEqual([other]);
        expect(ids((await provider.invoke(fn("listServices"), { tag: { key: "team" } })).outputs)).toEqual([warehouse, other].sort());
        expect(ids((await provider.invoke(fn("listServices"), { tag: { key: "nobody" } })).outputs)).toEqual([]);
        expect(await requests()).toContain(`GET /v1/organizations/${emu.organizationId}/services`);
    });

    it("listBackups and getBackup: the service's backups, and one of them by id", async () => {
        const listed = await provider.invoke(fn("listBackups"), { serviceId: warehouse });
        expectShape(listed.outputs, functions[fn("listBackups")].outputs, "listBackups");
        const backups = listed.outputs.backups as { id: string; serviceId: string; status: string; type: string }[];
        expect(backups.length).toBeGreaterThan(0);
        expect(backups[0]).toMatchObject({ serviceId: warehouse, type: "full" });

        const one = await provider.invoke(fn("getBackup"), { serviceId: warehouse, backupId: backups[0].id });
        expectShape(one.outputs, functions[fn("getBackup")].outputs, "getBackup");
        expect(one.outputs).toEqual(backups[0]);
    });

    it("getBackupConfiguration: the period, retention and start time", async () => {
        const { outputs } = await provider.invoke(fn("getBackupConfiguration"), { serviceId: warehouse });
        expectShape(outputs, functions[fn("getBackupConfiguration")].outputs, "getBackupConfiguration");
        expect(outputs).toMatchObject({ backupPeriodInHours: 24, backupRetentionPeriodInHours: 24 });
    });

    it("getPrometheusMetrics: the organization's, or one service's filtered list, as text in `metrics`", async () => {
        const org = await provider.invoke(fn("getPrometheusMetrics"), {});
        expectShape(org.outputs, functions[fn("getPrometheusMetrics")].outputs, "getPrometheusMetrics");
        expect(org.outputs.metrics).toContain(`clickhouse_service="${warehouse}"`);
        expect(org.outputs.metrics).toContain(`clickhouse_service="${other}"`);
        expect(org.outputs.metrics).toContain("ClickHouseMetrics_TCPConnection");

        const one = await provider.invoke(fn("getPrometheusMetrics"), { serviceId: other, filteredMetrics: true });
        expect(one.outputs.metrics).toContain(`clickhouse_service="${other}"`);
        expect(one.outputs.metrics).not.toContain(`clickhouse_service="${warehouse}"`);
        // Not in the filtered list.
        expect(one.outputs.metrics).not.toContain("ClickHouseMetrics_TCPConnection");
        expect(await requests()).toContain(
            `GET /v1/organizations/${emu.organizationId}/services/${other}/prometheus?filtered_metrics=true`,
        );
    });

    it("getPrivateEndpointConfig: what a private endpoint to the service needs", async () => {
        const { outputs } = await provider.invoke(fn("getPrivateEndpointConfig"), { serviceId: warehouse });
        expectShape(outputs, functions[fn("getPrivateEndpointConfig")].outputs, "getPrivateEndpointConfig");
        expect(outputs.endpointServiceId).toMatch(/^com\.amazonaws\.vpce\.eu-central-1\.vpce-svc-/);
        expect(outputs.privateDnsHostname).toMatch(/\.eu-central-1\.vpce\.aws\.clickhouse\.cloud$/);
    });
});

describe("errors", () => {
    it("an unknown token names it and lists the accepted ones", async () => {
        const e = await provider.invoke("clickhouse-cloud:index:getServices", { serviceId: warehouse }).catch((x: Error) => x);
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toContain('unknown function "clickhouse-cloud:index:getServices"');
        for (const token of FUNCTION_TOKENS) expect((e as Error).message).toContain(token);
        // The bridged provider's package is not this one.
        await expect(provider.invoke("clickhouse:index:getService", { serviceId: warehouse })).rejects.toThrow(
            /unknown function "clickhouse:index:getService"/,
        );
        expect(await requests()).toEqual([]);
    });

    it.each([
        ["getService", {}, /missing required argument "serviceId"/],
        ["getService", { serviceId: 42 }, /"serviceId" must be a string, not 42/],
        ["getService", { serviceId: "  " }, /"serviceId" must not be empty/],
        ["getService", { serviceID: "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f" }, /unknown argument "serviceID"; expected "serviceId"/],
        ["getBackup", { serviceId: "x" }, /missing required argument "backupId"/],
        ["listServices", { tag: "team=data" }, /"tag" must be an object/],
        ["listServices", { tag: { value: "data" } }, /missing required argument "tag\.key"/],
        ["listServices", { tag: { key: "team", colour: "red" } }, /unknown argument "tag\.colour"; expected "tag\.key", "tag\.value"/],
        ["getPrometheusMetrics", { filteredMetrics: "yes" }, /"filteredMetrics" must be a boolean, not "yes"/],
        // An empty id would otherwise ask for the whole organization's metrics.
        ["getPrometheusMetrics", { serviceId: "" }, /"serviceId" must not be empty/],
    ])("%s %j: an error naming the argument, before any API call", async (name, inputs, message) => {
        const e = await provider.invoke(fn(name), inputs as Record<string, unknown>).catch((x: Error) => x);
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(message);
        expect((e as Error).message).toContain(fn(name));
        expect(await requests()).toEqual([]);
    });

    it("the provider's configuration is the one used: a wrong secret there fails though the environment would not", async () => {
        // The environment now holds the right credentials; the provider's configuration a wrong secret.
        process.env.CLICKHOUSE_ORG_ID = emu.organizationId;
        process.env.CLICKHOUSE_TOKEN_KEY = emu.keyId;
        process.env.CLICKHOUSE_TOKEN_SECRET = emu.keySecret;
        configureFor("not-the-secret");
        try {
            await expect(provider.invoke(fn("getService"), { serviceId: warehouse })).rejects.toMatchObject({ status: 401 });
            // Without the provider's settings the environment is the fallback, and its credentials work.
            configure({ "clickhouse-cloud:config:apiUrl": emu.url });
            expect((await provider.invoke(fn("getService"), { serviceId: warehouse })).outputs.id).toBe(warehouse);
        } finally {
            configureFor(emu.keySecret);
        }
        expect((await provider.invoke(fn("getService"), { serviceId: warehouse })).outputs.id).toBe(warehouse);
    });
});
