/**
 * `pulumi import` through the plugin face, as the engine does it: read by the import id with no
 * properties, check the inputs the read returned, then diff the read outputs with the program's
 * inputs. For each kind, against the in-process emulator: the read finds the object, its inputs
 * validate and reproduce it, and the program that describes it previews clean, with the Service's
 * password and a ClickPipe's credentials (which the API never returns) kept from the program.
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
import { ClickHouseCloudProvider, configure, PluginKind, tokenOf } from "../../provider/plugin/provider";
import { isSecret, secret, unwrapSecrets } from "../../provider/plugin/secrets";
import { splitImportId } from "../../provider/resources/importId";
import { resetRunState } from "../../provider/runState";

const FAST = { provisioning: 0.3, starting: 0.3, stopping: 0.3, awaking: 0.3, terminating: 0.3 };
const urn = (kind: PluginKind, name = "imported") => `urn:pulumi:dev::proj::${tokenOf(kind)}::${name}`;

let emu: RunningEmulator;
const provider = new ClickHouseCloudProvider("0.1.0");
let serviceId: string;
const SERVICE = {
    name: "imported-warehouse",
    provider: "aws",
    region: "eu-central-1",
    ipAccessList: [{ source: "203.0.113.0/24", description: "office" }],
    tags: [{ key: "team", value: "data" }],
    password: secret("S3cret-pass-1"),
};

beforeAll(async () => {
    emu = await startEmulator({ durations: FAST, rateLimit: false, quiet: true });
    resetClients();
    configure({
        "clickhouse-cloud:config:apiUrl": emu.url,
        "clickhouse-cloud:config:organizationId": emu.organizationId,
        "clickhouse-cloud:config:tokenKey": emu.keyId,
        "clickhouse-cloud:config:tokenSecret": emu.keySecret,
    });
    // The service exists before the stack knows it: created here, then "imported" below.
    const checked = await provider.check(urn("Service", "origin"), {}, SERVICE);
    serviceId = (await provider.create(urn("Service", "origin"), checked.inputs)).id;
}, 60_000);

afterAll(async () => {
    setStackConfig(undefined);
    resetClients();
    await emu?.stop();
});

beforeEach(() => resetRunState());

/** The engine's import: read by id with no properties, check the read inputs, then the program's preview. */
async function importAndPreview(kind: PluginKind, importId: string, program: Record<string, unknown>) {
    const read = await provider.read(importId, urn(kind), {});
    expect(read.id).not.toBe("");
    expect(read.inputs).toBeDefined();
    const imported = await provider.check(urn(kind), read.inputs ?? {}, read.inputs ?? {});
    expect(imported.failures).toEqual([]);
    // What `pulumi import` checks before it records the resource: the read inputs match the object.
    expect(await provider.diff(read.id ?? "", urn(kind), read.props, imported.inputs)).toMatchObject({ changes: false });
    // The program that describes the object previews clean.
    const checked = await provider.check(urn(kind), read.inputs ?? {}, program);
    expect(checked.failures).toEqual([]);
    const preview = await provider.diff(read.id ?? "", urn(kind), read.props, checked.inputs);
    return { read, preview };
}

it("imports a Service by its id: inputs that reproduce it, no password invented, a clean preview", async () => {
    const { read, preview } = await importAndPreview("Service", serviceId, SERVICE);
    expect(read.id).toBe(serviceId);
    expect(unwrapSecrets(read.inputs ?? {})).toMatchObject({
        name: "imported-warehouse",
        provider: "aws",
        region: "eu-central-1",
        ipAccessList: [{ source: "203.0.113.0/24", description: "office" }],
        tags: [{ key: "team", value: "data" }],
    });
    expect(read.inputs).not.toHaveProperty("password");
    expect(read.props).not.toHaveProperty("password");
    expect(preview).toMatchObject({ changes: false });

    // A real change is still one; and a removed argument the import recorded as set... is not (name, provider, region only).
    const renamed = await provider.check(urn("Service"), {}, { ...SERVICE, name: "renamed" });
    expect(await provider.diff(serviceId, urn("Service"), read.props, renamed.inputs)).toMatchObject({ changes: true, diffs: ["name"] });
    const { tags: _t, ...untagged } = SERVICE;
    const lessChecked = await provider.check(urn("Service"), {}, untagged);
    expect(await provider.diff(serviceId, urn("Service"), read.props, lessChecked.inputs)).toMatchObject({ changes: false });

    // A refresh of the imported resource keeps the mark and still reads no password.
    const refreshed = await provider.read(serviceId, urn("Service"), read.props);
    expect(unwrapSecrets(refreshed.props).__imported).toBe(true);
    expect(refreshed.props).not.toHaveProperty("password");

    // The first update records the program's password (and sets it).
    const updated = await provider.update(serviceId, urn("Service"), read.props, renamed.inputs);
    expect(updated.outs.password).toEqual(secret("S3cret-pass-1"));
    expect(updated.outs).not.toHaveProperty("__imported");
    await provider.update(serviceId, urn("Service"), updated.outs, (await provider.check(urn("Service"), {}, SERVICE)).inputs);
}, 60_000);

it("reads an unknown service id as gone", async () => {
    expect((await provider.read("00000000-0000-4000-8000-000000000000", urn("Service"), {})).id).toBe("");
});

it("imports the one-per-service kinds by the service id", async () => {
    const scaling = { serviceId, minReplicaMemoryGb: 8, maxReplicaMemoryGb: 16 };
    await provider.create(urn("ServiceScaling"), (await provider.check(urn("ServiceScaling"), {}, scaling)).inputs);
    const s = await importAndPreview("ServiceScaling", serviceId, scaling);
    expect(s.read.id).toBe(serviceId);
    expect(s.read.inputs).toMatchObject(scaling);
    expect(s.preview).toMatchObject({ changes: false });

    const backups = { serviceId, backupPeriodInHours: 12, backupRetentionPeriodInHours: 48 };
    await provider.create(urn("BackupConfiguration"), (await provider.check(urn("BackupConfiguration"), {}, backups)).inputs);
    const b = await importAndPreview("BackupConfiguration", serviceId, backups);
    expect(b.read.id).toBe(serviceId);
    expect(b.read.inputs).toMatchObject(backups);
    expect(b.preview).toMatchObject({ changes: false });

    const query = { serviceId, roles: ["sql_console_read_only"], openApiKeys: [emu.keyId] };
    const created = await provider.create(
        urn("ServiceQueryEndpoint"),
        (await provider.check(urn("ServiceQueryEndpoint"), {}, query)).inputs,
    );
    for (const importId of [serviceId, `${serviceId}:${created.id}`]) {
        const q = await importAndPreview("ServiceQueryEndpoint", importId, query);
        expect(q.read.id).toBe(created.id);
        expect(q.read.inputs).toMatchObject(query);
        expect(q.preview).toMatchObject({ changes: false });
    }
}, 60_000);

it("imports a PrivateEndpoint by <serviceId>:<endpointId>, and says which format a bare id lacks", async () => {
    const endpoint = { serviceId, endpointId: "vpce-0123456789abcdef0", description: "app vpc" };
    await provider.create(urn("PrivateEndpoint"), (await provider.check(urn("PrivateEndpoint"), {}, endpoint)).inputs);
    const { read, preview } = await importAndPreview("PrivateEndpoint", `${serviceId}:${endpoint.endpointId}`, {
        serviceId,
        endpointId: endpoint.endpointId,
    });
    expect(read.id).toBe(endpoint.endpointId);
    expect(read.inputs).toMatchObject({ serviceId, endpointId: endpoint.endpointId });
    expect(preview).toMatchObject({ changes: false });
    await expect(provider.read(endpoint.endpointId, urn("PrivateEndpoint"), {})).rejects.toThrow(/<serviceId>:<endpointId>/);
}, 60_000);

it("imports a ClickPipe by <serviceId>:<clickPipeId>, keeping the credentials from the program", async () => {
    const pipe = {
        serviceId,
        name: "events",
        source: {
            kafka: {
                type: "confluent",
                format: "JSONEachRow",
                brokers: "broker-1:9092",
                topics: "events",
                authentication: "PLAIN",
                credentials: secret({ username: "ingest", password: "kafka-pa55word" }),
            },
        },
        destination: { database: "default", table: "events", managedTable: true, columns: [{ name: "id", type: "String" }] },
        fieldMappings: [{ sourceField: "id", destinationField: "id" }],
    };
    const created = await provider.create(urn("ClickPipe"), (await provider.check(urn("ClickPipe"), {}, pipe)).inputs);
    const importId = `${serviceId}:${created.id}`;
    expect(splitImportId(importId)).toEqual({ serviceId, objectId: created.id });
    const read = await provider.read(importId, urn("ClickPipe"), {});
    expect(read.id).toBe(created.id);
    // Never read back: the API does not return credentials.
    expect(JSON.stringify(unwrapSecrets(read.props))).not.toContain("kafka-pa55word");
    expect(unwrapSecrets(read.inputs ?? {})).toMatchObject({
        serviceId,
        name: "events",
        destination: { database: "default", table: "events" },
    });
    const checked = await provider.check(urn("ClickPipe"), read.inputs ?? {}, pipe);
    expect(checked.failures).toEqual([]);
    expect(await provider.diff(read.id ?? "", urn("ClickPipe"), read.props, checked.inputs)).toMatchObject({ changes: false });
    // A real change is still one.
    const renamed = await provider.check(urn("ClickPipe"), {}, { ...pipe, name: "events-2" });
    expect(await provider.diff(read.id ?? "", urn("ClickPipe"), read.props, renamed.inputs)).toMatchObject({
        changes: true,
        diffs: ["name"],
    });
    // The first update records the program's credentials.
    const updated = await provider.update(read.id ?? "", urn("ClickPipe"), read.props, renamed.inputs);
    expect(JSON.stringify(unwrapSecrets(updated.outs))).toContain("kafka-pa55word");
    expect(isSecret((updated.outs.source as { kafka: Record<string, unknown> }).kafka.credentials) || isSecret(updated.outs.source)).toBe(
        true,
    );
    await expect(provider.read(created.id, urn("ClickPipe"), {})).rejects.toThrow(/<serviceId>:<clickPipeId>/);
}, 90_000);
