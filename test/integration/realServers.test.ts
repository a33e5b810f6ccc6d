/**
 * The emulator with real servers (emulator/realServers.ts), through its API as any client uses it:
 * a service's endpoint answers SQL with the password the API returned and refuses a wrong one; a
 * password set by hash through the API replaces it; the IP access list decides who connects;
 * stop and start keep the data; delete removes the server and its directory.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { clickhouseServerOrSkip, eventually, sql } from "../realServer.helpers";

const binary = clickhouseServerOrSkip("real servers (integration)");
const maybe = binary ? describe : describe.skip;

let emu: RunningEmulator;
let dir: string;
let files: string;

async function api<T = Record<string, unknown>>(
    method: string,
    p: string,
    body?: unknown,
): Promise<{ status: number; result: T; error?: string }> {
    const res = await fetch(`${emu.url}/v1/organizations/${emu.organizationId}${p}`, {
        method,
        headers: {
            authorization: "Basic " + Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64"),
            "content-type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { result: T; error?: string };
    return { status: res.status, result: json.result, ...(json.error ? { error: json.error } : {}) };
}

interface Svc {
    id: string;
    state: string;
    endpoints: Array<{ protocol: string; host: string; port: number }>;
}

async function waitState(id: string, state: string): Promise<Svc> {
    let svc: Svc | undefined;
    await eventually(async () => (svc = (await api<Svc>("GET", `/services/${id}`)).result).state === state, 20_000, `state ${state}`);
    return svc!;
}

const https = (svc: Svc) => svc.endpoints.find((e) => e.protocol === "https")!;
const hashOf = (password: string) => crypto.createHash("sha256").update(password).digest("base64");

/** A service created through the API, running, its server answering its password over https. */
async function answeringService(name: string, ipAccessList: Array<{ source: string; description?: string }>) {
    const created = await api<{ service: Svc; password: string }>("POST", "/services", {
        name,
        provider: "aws",
        region: "us-east-1",
        ipAccessList,
    });
    expect(created.status).toBe(200);
    const ep = https(await waitState(created.result.service.id, "running"));
    const { password } = created.result;
    await eventually(
        async () => (await sql(ep, emu.realServers!.caFile, password, "SELECT 1")).body.trim() === "1",
        20_000,
        "the server answering",
    );
    return { id: created.result.service.id, password, ep, posted: created.result.service };
}

maybe("emulated services with real servers", () => {
    beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "real-servers-"));
        files = fs.mkdtempSync(path.join(os.tmpdir(), "real-servers-files-"));
        emu = await startEmulator({
            quiet: true,
            rateLimit: false,
            durations: { provisioning: 0.5, starting: 0.5, stopping: 0.5, terminating: 0.5 },
            realServers: { binary, dir, files },
        });
    });

    afterAll(async () => {
        await emu?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(files, { recursive: true, force: true });
    });

    it("answers with the API's password, refuses others, follows the password hash and the IP access list, keeps data across stop/start, and is removed with the service", async () => {
        const ca = emu.realServers!.caFile;
        const { id, password: pw, ep, posted } = await answeringService("real", [{ source: "127.0.0.1/32", description: "this machine" }]);
        // The answer to the POST already names the loopback TLS ports.
        expect(https(posted)).toMatchObject({ host: "127.0.0.1" });
        expect(ep.port).toBe(https(posted).port);
        const wrong = await sql(ep, ca, "not-the-password", "SELECT 1");
        expect(wrong.status).not.toBe(200);
        expect(wrong.body).toMatch(/Wrong password/);

        // Data in a MergeTree table.
        expect((await sql(ep, ca, pw, "CREATE TABLE events (id UInt64, s String) ENGINE = MergeTree ORDER BY id")).status).toBe(200);
        expect((await sql(ep, ca, pw, "INSERT INTO events VALUES (1, 'a'), (2, 'b')")).status).toBe(200);

        // A password set by hash: the new one works, the old one is refused.
        const rotated = "Rotated-pass-42";
        expect((await api("PATCH", `/services/${id}/password`, { newPasswordHash: hashOf(rotated) })).status).toBe(200);
        await eventually(async () => (await sql(ep, ca, rotated, "SELECT 1")).status === 200, 15_000, "the new password accepted");
        expect((await sql(ep, ca, pw, "SELECT 1")).status).not.toBe(200);

        // The IP access list without this machine: refused even with the right password; back again: accepted.
        const tightened = await api<Svc & { ipAccessList: unknown }>("PATCH", `/services/${id}`, {
            ipAccessList: { remove: [{ source: "127.0.0.1/32" }], add: [{ source: "203.0.113.0/24" }] },
        });
        expect(tightened).toMatchObject({ status: 200, result: { ipAccessList: [{ source: "203.0.113.0/24" }] } });
        let last = "";
        await eventually(
            async () => /not allowed|IP address/i.test((last = (await sql(ep, ca, rotated, "SELECT 1")).body)),
            15_000,
            "the client refused",
        ).catch((e) => {
            throw new Error(`${e.message}: ${last} ${fs.readFileSync(path.join(dir, id, "users.xml"), "utf8")}`);
        });
        await api("PATCH", `/services/${id}`, { ipAccessList: { add: [{ source: "127.0.0.1" }] } });
        await eventually(async () => (await sql(ep, ca, rotated, "SELECT 1")).status === 200, 15_000, "the client allowed again");

        // Stop: the server ends; start: it comes back with the data.
        const pid = emu.realServers!.status(id)!.pid!;
        expect(pid).toBeGreaterThan(0);
        await api("PATCH", `/services/${id}/state`, { command: "stop" });
        await waitState(id, "stopped");
        await eventually(async () => emu.realServers!.status(id)!.status === "down", 20_000, "the server stopped");
        await expect(sql(ep, ca, rotated, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
        await api("PATCH", `/services/${id}/state`, { command: "start" });
        await waitState(id, "running");
        await eventually(
            async () => (await sql(ep, ca, rotated, "SELECT count() FROM events")).body.trim() === "2",
            20_000,
            "the data back",
        );

        // Delete: no server, no directory.
        const serverDir = emu.realServers!.status(id)!.dir;
        expect(fs.existsSync(serverDir)).toBe(true);
        await api("PATCH", `/services/${id}/state`, { command: "stop" });
        await waitState(id, "stopped");
        expect((await api("DELETE", `/services/${id}`)).status).toBe(200);
        await eventually(async () => !fs.existsSync(serverDir), 20_000, "the server's directory removed");
        expect(emu.realServers!.status(id)).toBeUndefined();
        await expect(sql(ep, ca, rotated, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
    }, 120_000);
    it("loads an object-storage ClickPipe's rows from a local URL and a file:// source, and answers metrics from the system tables", async () => {
        const ca = emu.realServers!.caFile;
        const { id, password: pw, ep } = await answeringService("pipes", [{ source: "127.0.0.0/8" }]);

        // A JSON file over HTTP on loopback, its fields renamed by the mappings.
        const rows = Array.from({ length: 25 }, (_, i) => JSON.stringify({ event_id: i + 1, kind: i % 2 ? "click" : "view" })).join("\n");
        const web = http.createServer((_req, res) => res.end(rows + "\n"));
        await new Promise<void>((r) => web.listen(0, "127.0.0.1", () => r()));
        const port = (web.address() as { port: number }).port;
        fs.writeFileSync(path.join(files, "a.csv"), "id,name\n1,x\n2,y\n3,z\n");
        try {
            const pipe = (
                name: string,
                objectStorage: Record<string, unknown>,
                table: string,
                columns: Array<{ name: string; type: string }>,
                fieldMappings: Array<{ sourceField: string; destinationField: string }>,
            ) =>
                api<{ id: string }>("POST", `/services/${id}/clickpipes`, {
                    name,
                    source: { objectStorage: { type: "s3", ...objectStorage } },
                    destination: {
                        database: "default",
                        table,
                        managedTable: true,
                        tableDefinition: { engine: { type: "MergeTree" }, sortingKey: [columns[0].name] },
                        columns,
                    },
                    fieldMappings,
                });
            const fromWeb = await pipe(
                "web",
                { format: "JSONEachRow", url: `http://127.0.0.1:${port}/events.json` },
                "events",
                [
                    { name: "id", type: "UInt64" },
                    { name: "kind", type: "String" },
                ],
                [
                    { sourceField: "event_id", destinationField: "id" },
                    { sourceField: "kind", destinationField: "kind" },
                ],
            );
            expect(fromWeb.error ?? "").toBe("");
            const fromFile = await pipe(
                "file",
                { format: "CSVWithNames", url: `file://${path.join(files, "*.csv")}` },
                "names",
                [
                    { name: "n", type: "String" },
                    { name: "num", type: "UInt32" },
                ],
                [
                    { sourceField: "id", destinationField: "num" },
                    { sourceField: "name", destinationField: "n" },
                ],
            );
            expect(fromFile.status).toBe(200);
            await eventually(
                async () => (await sql(ep, ca, pw, "SELECT count(), sum(id) FROM events")).body.trim() === "25\t325",
                30_000,
                "the web rows loaded",
            );
            await eventually(
                async () =>
                    (await sql(ep, ca, pw, "SELECT groupArray(n) FROM (SELECT n FROM names ORDER BY num)")).body.trim() === "['x','y','z']",
                30_000,
                "the file rows loaded",
            );
            const objects = (await emu.control.objects()) as unknown as { clickpipes: Array<{ id: string; realLoad?: { rows?: number } }> };
            expect(objects.clickpipes.find((p) => p.id === fromWeb.result.id)?.realLoad).toMatchObject({ rows: 25 });
            // A remote source is left alone, and says why.
            const remote = await pipe(
                "remote",
                { format: "CSV", url: "https://bucket.s3.amazonaws.com/a.csv" },
                "remote",
                [{ name: "a", type: "String" }],
                [{ sourceField: "a", destinationField: "a" }],
            );
            await eventually(
                async () =>
                    /not on this machine/.test(
                        (
                            (await emu.control.objects()) as unknown as {
                                clickpipes: Array<{ id: string; realLoad?: { skipped?: string } }>;
                            }
                        ).clickpipes.find((p) => p.id === remote.result.id)?.realLoad?.skipped ?? "",
                    ),
                30_000,
                "the remote pipe skipped",
            );
        } finally {
            web.close();
        }

        // Metrics from the server's own counters: the queries above were counted.
        await eventually(
            async () => {
                const res = await fetch(`${emu.url}/v1/organizations/${emu.organizationId}/services/${id}/prometheus`, {
                    headers: { authorization: "Basic " + Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64") },
                });
                const m = /^ClickHouseProfileEvents_InsertedRows\{[^}]*\} (\d+)/m.exec(await res.text());
                return !!m && Number(m[1]) >= 28;
            },
            20_000,
            "InsertedRows counted",
        );
    }, 120_000);
    it("a password the API generates on PATCH is the one the server takes; idle stops the server and start wakes it; failed stops it", async () => {
        const ca = emu.realServers!.caFile;
        const { id, password: first, ep } = await answeringService("gen", [{ source: "127.0.0.1" }]);
        // No hash: the API generates a new password and answers it.
        const patched = await api<{ password: string }>("PATCH", `/services/${id}/password`, {});
        expect(patched.result.password).toEqual(expect.any(String));
        expect(patched.result.password).not.toBe(first);
        await eventually(
            async () => (await sql(ep, ca, patched.result.password, "SELECT 1")).status === 200,
            15_000,
            "the generated password accepted",
        );
        expect((await sql(ep, ca, first, "SELECT 1")).body).toMatch(/Wrong password/);
        // Idle (forced through the control API, as the idle timeout does): the server stops; start wakes it.
        await emu.control.setState("service", id, "idle");
        await eventually(async () => emu.realServers!.status(id)?.status === "down", 20_000, "the idle service's server stopped");
        await api("PATCH", `/services/${id}/state`, { command: "start" });
        await waitState(id, "running");
        await eventually(
            async () => (await sql(ep, ca, patched.result.password, "SELECT 1")).status === 200,
            20_000,
            "the woken server answering",
        );
        // Failed (forced through the control API): the server stops.
        await emu.control.setState("service", id, "failed");
        await eventually(async () => emu.realServers!.status(id)?.status === "down", 20_000, "the failed service's server stopped");
        await expect(sql(ep, ca, patched.result.password, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
    }, 120_000);
});
