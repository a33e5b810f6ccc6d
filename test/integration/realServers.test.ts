/**
 * The emulator with real servers (emulator/realServers.ts), through its API as any client uses it:
 * a service's endpoint answers SQL with the password the API returned and refuses a wrong one; a
 * password set by hash through the API replaces it; the IP access list decides who connects;
 * stop and start keep the data; delete removes the server and its directory.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { clickhouseServerOrSkip, eventually, sql } from "../realServer.helpers";

const binary = clickhouseServerOrSkip("real servers (integration)");
const maybe = binary ? describe : describe.skip;

let emu: RunningEmulator;
let dir: string;

async function api<T = Record<string, unknown>>(method: string, p: string, body?: unknown): Promise<{ status: number; result: T }> {
    const res = await fetch(`${emu.url}/v1/organizations/${emu.organizationId}${p}`, {
        method,
        headers: {
            authorization: "Basic " + Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64"),
            "content-type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { result: T };
    return { status: res.status, result: json.result };
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

maybe("emulated services with real servers", () => {
    beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "real-servers-"));
        emu = await startEmulator({
            quiet: true,
            rateLimit: false,
            durations: { provisioning: 0.5, starting: 0.5, stopping: 0.5, terminating: 0.5 },
            realServers: { binary, dir },
        });
    });

    afterAll(async () => {
        await emu?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("answers with the API's password, refuses others, follows the password hash and the IP access list, keeps data across stop/start, and is removed with the service", async () => {
        const ca = emu.realServers!.caFile;
        const created = await api<{ service: Svc; password: string }>("POST", "/services", {
            name: "real",
            provider: "aws",
            region: "us-east-1",
            ipAccessList: [{ source: "127.0.0.1/32", description: "this machine" }],
        });
        expect(created.status).toBe(200);
        const { id } = created.result.service;
        // The answer to the POST already names the loopback TLS ports.
        expect(https(created.result.service)).toMatchObject({ host: "127.0.0.1" });
        const ep = https(await waitState(id, "running"));
        expect(ep.port).toBe(https(created.result.service).port);

        await eventually(
            async () => (await sql(ep, ca, created.result.password, "SELECT 1")).body.trim() === "1",
            20_000,
            "the server answering",
        );
        const wrong = await sql(ep, ca, "not-the-password", "SELECT 1");
        expect(wrong.status).not.toBe(200);
        expect(wrong.body).toMatch(/Wrong password/);

        // Data in a MergeTree table.
        const pw = created.result.password;
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
        svc = await waitState(id, "running");
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
});
