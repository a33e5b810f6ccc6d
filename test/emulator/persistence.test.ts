import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DataFileError, startEmulator } from "../../emulator";
import { parseArgs } from "../../emulator/cli";
import { startTestEmulator, serviceBody, kafkaPipeBody } from "./helpers";

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-data-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("everything survives a restart; the file never holds a password or a credential", async () => {
    const file = path.join(dir, "state.json");
    const first = await startTestEmulator({ dataFile: file, durations: { provisioning: 0.05, pipeProvisioning: 0.05 } });
    const created = await first.api("POST", "/services", serviceBody({ name: "kept", idleScaling: false, tags: [{ key: "k", value: "v" }] }));
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
        expect(Date.parse((await second.emu.control.advance(0)).now) - Date.parse(again.body.result.createdAt)).toBeGreaterThanOrEqual(3600_000);
    } finally {
        await second.emu.stop();
    }
    expect(first.conformance.failures.concat(second.conformance.failures)).toEqual([]);
});

test.each([
    ["not JSON", "{ this is not json"],
    ["another JSON document", JSON.stringify({ hello: "world" })],
    ["a wrong shape", JSON.stringify({ version: 1, clockOffsetMs: 0, services: [], clickpipes: {}, queryEndpoints: {}, privateEndpoints: [] })],
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
        { CLICKHOUSE_EMULATOR_PORT: "8000", CLICKHOUSE_EMULATOR_SPEED: "4", CLICKHOUSE_EMULATOR_RATE_LIMIT: "5/1", CLICKHOUSE_EMULATOR_KEY_ID: "k" },
    );
    expect(opts).toMatchObject({ port: 9000, speed: 4, rateLimit: false, keyId: "k", dataFile: "/tmp/x.json", durations: { provisioning: 3 }, faults: { latencyMs: [5, 10] } });
    expect(parseArgs([], { CLICKHOUSE_EMULATOR_RATE_LIMIT: "20/10" }).rateLimit).toEqual({ requests: 20, windowSeconds: 10 });
});
