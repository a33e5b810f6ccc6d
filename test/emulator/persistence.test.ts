import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { DataFileError, startEmulator } from "../../emulator";
import { parseArgs, startupLines } from "../../emulator/cli";
import { normalizeApiUrl } from "../../provider/config";
import { startTestEmulator, serviceBody, kafkaPipeBody } from "./helpers";

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-data-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("everything survives a restart; the file never holds a password or a credential", async () => {
    const file = path.join(dir, "state.json");
    const first = await startTestEmulator({ dataFile: file, durations: { provisioning: 0.05, pipeProvisioning: 0.05 } });
    const created = await first.api(
        "POST",
        "/services",
        serviceBody({ name: "kept", idleScaling: false, tags: [{ key: "k", value: "v" }] }),
    );
    const { service, password } = created.body.result;
    await first.waitService(service.id, "running");
    const pipe = await first.api("POST", `/services/${service.id}/clickpipes`, kafkaPipeBody());
    await first.api("POST", `/services/${service.id}/serviceQueryEndpoint`, { roles: ["sql_console_admin"] });
    await first.emu.control.advance(3600);
    await first.emu.stop();

    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain(service.id);
    expect(text).not.toContain(password);
    expect(fs.readdirSync(dir)).toEqual(["state.json"]); // no temporary file left behind

    const second = await startTestEmulator({ dataFile: file });
    try {
        const again = await second.api("GET", `/services/${service.id}`);
        expect(again.body.result).toMatchObject({ name: "kept", state: "running", tags: [{ key: "k", value: "v" }] });
        expect((await second.api("GET", `/services/${service.id}/clickpipes/${pipe.body.result.id}`)).body.result.state).toBe("Running");
        expect((await second.api("GET", `/services/${service.id}/serviceQueryEndpoint`)).body.result.roles).toEqual(["sql_console_admin"]);
        // The advanced clock persisted too: the service is an hour old.
        expect(Date.parse((await second.emu.control.advance(0)).now) - Date.parse(again.body.result.createdAt)).toBeGreaterThanOrEqual(
            3600_000,
        );
    } finally {
        await second.emu.stop();
    }
    expect(first.conformance.failures.concat(second.conformance.failures)).toEqual([]);
});

test.each([
    ["not JSON", "{ this is not json"],
    ["another JSON document", JSON.stringify({ hello: "world" })],
    [
        "a wrong shape",
        JSON.stringify({ version: 1, clockOffsetMs: 0, services: [], clickpipes: {}, queryEndpoints: {}, privateEndpoints: [] }),
    ],
])("a corrupt data file (%s) refuses to start, names the file and is left untouched", async (_name, content) => {
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, content);
    const attempt = startEmulator({ dataFile: file, quiet: true });
    await expect(attempt).rejects.toBeInstanceOf(DataFileError);
    await expect(attempt).rejects.toThrow(file);
    expect(fs.readFileSync(file, "utf8")).toBe(content);
});

test("a missing data file starts empty and is created on the first change", async () => {
    const file = path.join(dir, "new.json");
    const t = await startTestEmulator({ dataFile: file });
    expect(fs.existsSync(file)).toBe(false);
    await t.api("POST", "/services", serviceBody());
    expect(JSON.parse(fs.readFileSync(file, "utf8")).version).toBe(1);
    await t.emu.stop();
});

test("CLI options: flags win over CLICKHOUSE_EMULATOR_* variables", () => {
    const opts = parseArgs(
        ["--port", "9000", "--no-rate-limit", "--duration-provisioning", "3", "--latency-ms", "5,10", "--data-file=/tmp/x.json"],
        {
            CLICKHOUSE_EMULATOR_PORT: "8000",
            CLICKHOUSE_EMULATOR_SPEED: "4",
            CLICKHOUSE_EMULATOR_RATE_LIMIT: "5/1",
            CLICKHOUSE_EMULATOR_KEY_ID: "k",
        },
    );
    expect(opts).toMatchObject({
        port: 9000,
        speed: 4,
        rateLimit: false,
        keyId: "k",
        dataFile: "/tmp/x.json",
        durations: { provisioning: 3 },
        faults: { latencyMs: [5, 10] },
    });
    expect(parseArgs([], { CLICKHOUSE_EMULATOR_RATE_LIMIT: "20/10" }).rateLimit).toEqual({ requests: 20, windowSeconds: 10 });
});

describe("a data file is used by one emulator at a time, and every record is checked at load (issue 12, finding 8)", () => {
    test("a second emulator on the same data file refuses to start with a clear message; the first keeps its objects", async () => {
        const file = path.join(dir, "shared.json");
        const first = await startTestEmulator({ dataFile: file });
        try {
            const created = await first.api("POST", "/services", serviceBody({ name: "acknowledged" }));
            expect(created.status).toBe(200);
            const second = startEmulator({ dataFile: file, quiet: true });
            await expect(second).rejects.toBeInstanceOf(DataFileError);
            await expect(second).rejects.toThrow(/is in use by another emulator \(pid \d+\).*--data-file/);
            expect((await first.api("GET", `/services/${created.body.result.service.id}`)).status).toBe(200);
        } finally {
            await first.emu.stop();
        }
        // Released on stop: the next emulator starts and finds the object.
        const third = await startTestEmulator({ dataFile: file });
        expect((await third.api("GET", "/services")).body.result.map((s: any) => s.name)).toEqual(["acknowledged"]);
        await third.emu.stop();
        expect(fs.readdirSync(dir)).toEqual(["shared.json"]);
    });

    test("a lock left by a process that no longer runs is taken over", async () => {
        const file = path.join(dir, "stale.json");
        const dead = spawnSync(process.execPath, ["-e", ""]).pid;
        fs.writeFileSync(file + ".lock", JSON.stringify({ pid: dead, host: os.hostname() }));
        const t = await startTestEmulator({ dataFile: file });
        await t.emu.stop();
        expect(fs.existsSync(file + ".lock")).toBe(false);
    });

    const validService = (id: string) => ({
        id,
        name: "s",
        provider: "aws",
        region: "us-east-2",
        tier: "production",
        state: "running",
        clickhouseVersion: "25.8",
        hostPrefix: "abc123",
        ipAccessList: [],
        autoscalingMode: "vertical",
        minReplicaMemoryGb: 8,
        maxReplicaMemoryGb: 120,
        numReplicas: 3,
        minReplicas: 3,
        maxReplicas: 3,
        idleScaling: true,
        idleTimeoutMinutes: 15,
        createdAt: Date.now(),
        privateEndpointIds: [],
        dataWarehouseId: id,
        isPrimary: true,
        isReadonly: false,
        releaseChannel: "default",
        mysqlEnabled: false,
        tags: [],
        enableCoreDumps: true,
        hasTransparentDataEncryption: false,
        iamRole: "",
        backup: { backupPeriodInHours: 24, backupRetentionPeriodInHours: 24 },
        secrets: { passwordHash: "x" },
        pending: [],
        activeSince: Date.now(),
    });
    const ID = "11111111-2222-4333-8444-555555555555";
    const fileWith = (over: Record<string, unknown>) =>
        JSON.stringify({ version: 1, clockOffsetMs: 0, services: {}, clickpipes: {}, queryEndpoints: {}, privateEndpoints: [], ...over });

    test("a well-formed file still starts and serves its record", async () => {
        const file = path.join(dir, "good.json");
        fs.writeFileSync(file, fileWith({ services: { [ID]: validService(ID) } }));
        const t = await startTestEmulator({ dataFile: file });
        expect((await t.api("GET", `/services/${ID}`)).body.result.name).toBe("s");
        await t.emu.stop();
    });

    test.each([
        [
            "a field of the wrong type",
            { services: { [ID]: { ...validService(ID), minReplicaMemoryGb: "big" } } },
            `services["${ID}"].minReplicaMemoryGb`,
        ],
        ["a missing field", { services: { [ID]: { ...validService(ID), pending: undefined } } }, `services["${ID}"].pending`],
        [
            "a key that is not the record's id",
            { services: { [ID]: validService("22222222-2222-4333-8444-555555555555") } },
            `services["${ID}"].id`,
        ],
        ["a key that is not a UUID", { services: { __proto__x: validService(ID) } }, `services["__proto__x"]`],
        ["a timestamp no Date can hold", { services: { [ID]: { ...validService(ID), createdAt: 1e20 } } }, `services["${ID}"].createdAt`],
        ["a clock offset of 1e20", { clockOffsetMs: 1e20 }, `"clockOffsetMs"`],
        [
            "a pipe of no service",
            {
                clickpipes: {
                    [ID]: {
                        id: ID,
                        serviceId: "33333333-2222-4333-8444-555555555555",
                        name: "p",
                        state: "Running",
                        scaling: { replicas: 1, replicaCpuMillicores: 125, replicaMemoryGb: 0.5 },
                        sourceKind: "kafka",
                        source: {},
                        destination: {},
                        fieldMappings: [],
                        createdAt: 1,
                        updatedAt: 1,
                        pending: [],
                        secrets: {},
                    },
                },
            },
            `clickpipes["${ID}"].serviceId`,
        ],
    ])("a record with %s refuses to start, naming the record", async (_name, over, named) => {
        const file = path.join(dir, "record.json");
        const content = fileWith(over);
        fs.writeFileSync(file, content);
        const attempt = startEmulator({ dataFile: file, quiet: true });
        await expect(attempt).rejects.toBeInstanceOf(DataFileError);
        await expect(attempt).rejects.toThrow(named);
        expect(fs.readFileSync(file, "utf8")).toBe(content);
        expect(fs.existsSync(file + ".lock")).toBe(false);
    });
});

describe("numbers are bounded", () => {
    test("options outside their bounds are refused at start", async () => {
        await expect(startEmulator({ speed: 1e-300, quiet: true })).rejects.toThrow(/speed must be a number between/);
        await expect(startEmulator({ durations: { provisioning: 1e20 }, quiet: true })).rejects.toThrow(/durations.provisioning/);
        await expect(startEmulator({ rateLimit: { requests: 0, windowSeconds: 10 }, quiet: true })).rejects.toThrow(/rateLimit.requests/);
    });

    test("the control API refuses a clock advance past 100 years, huge latencies and rate limits, and patches that break a record", async () => {
        const t = await startTestEmulator();
        try {
            await expect(t.emu.control.advance(1e20)).rejects.toThrow(/400/);
            await expect(t.emu.control.setFaults({ latencyMs: [0, 1e12] })).rejects.toThrow(/400/);
            await expect(t.emu.control.setRateLimit({ requests: 1e20, windowSeconds: 10 })).rejects.toThrow(/400/);
            const id = (await t.api("POST", "/services", serviceBody())).body.result.service.id;
            await expect(t.emu.control.patchService(id, { createdAt: 1e20 })).rejects.toThrow(/400/);
            await expect(t.emu.control.patchService(id, { minReplicaMemoryGb: "big" })).rejects.toThrow(/400/);
            // Every later create and read still works.
            expect((await t.api("POST", "/services", serviceBody())).status).toBe(200);
            expect((await t.api("GET", `/services/${id}`)).status).toBe(200);
        } finally {
            await t.emu.stop();
        }
    });
});

test("the printed CLICKHOUSE_API_URL includes /v1, as the Terraform provider's variable of that name does, and the provider accepts it", async () => {
    const emu = await startEmulator({ quiet: true });
    try {
        const lines = startupLines(emu);
        expect(lines).toContain(`export CLICKHOUSE_API_URL=${emu.url}/v1`);
        expect(emu.apiUrl).toBe(`${emu.url}/v1`);
        expect(normalizeApiUrl(emu.apiUrl)).toBe(emu.url);
        expect(lines).toContain(`export CLICKHOUSE_EMULATOR_CONTROL_TOKEN=${emu.controlToken}`);
    } finally {
        await emu.stop();
    }
});
