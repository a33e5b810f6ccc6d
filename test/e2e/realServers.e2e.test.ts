/**
 * A local ClickHouse Cloud through the real CLI: the emulator with real servers, a program with a
 * Service and an object-storage ClickPipe reading a local file. The deployed service answers SQL
 * with the password `pulumi stack output password --show-secrets` gives and refuses a wrong one; a
 * password set by hash through the provider replaces it; a tightened `ipAccessList` locks this
 * machine out; the pipe's rows are in its table; `state: stopped` and back keeps the data;
 * `destroy` removes the server and its directory. Skipped (with the reason printed) where
 * clickhouse-server cannot be had; under CI=true that is a failure.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { E2EProject, findSecrets, pulumiCliOrSkip } from "./harness";
import { clickhouseServerOrSkip, eventually, sql } from "../realServer.helpers";

const source = `
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";
const config = new pulumi.Config();
const db = new clickhouse.Service("db", {
    name: "local-db",
    provider: "aws",
    region: "us-east-1",
    ipAccessList: config.requireObject<string[]>("cidrs").map((source) => ({ source, description: "e2e" })),
    idleScaling: false,
    password: config.getSecret("password"),
    passwordHash: config.getSecret("passwordHash"),
    state: config.get("state") ?? "running",
});
const pipe = new clickhouse.ClickPipe("load", {
    serviceId: db.id,
    name: "load-rows",
    source: { objectStorage: { type: "s3", format: "CSVWithNames", url: config.require("sourceUrl") } },
    destination: {
        database: "default",
        table: "loaded",
        managedTable: true,
        tableDefinition: { engine: { type: "MergeTree" }, sortingKey: ["id"] },
        columns: [
            { name: "id", type: "UInt64" },
            { name: "city", type: "String" },
        ],
    },
    fieldMappings: [
        { sourceField: "id", destinationField: "id" },
        { sourceField: "city", destinationField: "city" },
    ],
});
export const serviceId = db.id;
export const https = db.endpoints.apply((e) => e?.find((x) => x.protocol === "https"));
export const password = db.password;
export const pipeId = pipe.id;
`;

const cli = pulumiCliOrSkip("real servers e2e");
const binary = cli ? clickhouseServerOrSkip("real servers e2e") : undefined;
const describeReal = cli && binary ? describe : describe.skip;

describeReal("a local ClickHouse Cloud through the Pulumi CLI: real servers behind the emulator", () => {
    let project: E2EProject;
    let serversDir: string;
    let files: string;
    /** The password the service has now: the one each test last set. */
    let current = "";
    const rows = ["id,city", ...Array.from({ length: 40 }, (_, i) => `${i + 1},city-${i % 7}`)].join("\n") + "\n";

    beforeAll(async () => {
        serversDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-real-servers-"));
        files = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-real-files-"));
        fs.writeFileSync(path.join(files, "cities.csv"), rows);
        project = new E2EProject(cli!, "real-servers");
        await project.start({
            rateLimit: false,
            durations: { provisioning: 0.5, starting: 0.5, stopping: 0.5, terminating: 0.5, pipeProvisioning: 0.5 },
            realServers: { binary, dir: serversDir, files },
        });
        project.writeProgram(source);
        await project.initStack({ cidrs: '["127.0.0.1/32"]', sourceUrl: `file://${path.join(files, "cities.csv")}` });
    });

    afterAll(async () => {
        await project?.dispose();
        fs.rmSync(serversDir, { recursive: true, force: true });
        fs.rmSync(files, { recursive: true, force: true });
    });

    const outputs = async (): Promise<{ serviceId: string; https: { host: string; port: number }; password?: string }> =>
        JSON.parse((await project.pulumi(["stack", "output", "--json", "--show-secrets", "--stack", project.stack])).stdout);
    const ca = () => project.emulator!.realServers!.caFile;

    it("deploys a service that answers with the stack's password, refuses a wrong one, and holds the ClickPipe's rows", async () => {
        await project.up();
        const out = await outputs();
        expect(out.https).toMatchObject({ host: "127.0.0.1" });
        expect(out.password).toEqual(expect.any(String));
        await eventually(async () => (await sql(out.https, ca(), out.password!, "SELECT 1")).body.trim() === "1", 20_000, "SELECT 1");
        const wrong = await sql(out.https, ca(), `${out.password}x`, "SELECT 1");
        expect(wrong.body).toMatch(/Wrong password/);
        await eventually(
            async () => (await sql(out.https, ca(), out.password!, "SELECT count(), uniqExact(city) FROM loaded")).body.trim() === "40\t7",
            30_000,
            "the pipe's rows in default.loaded",
        );
        expect(findSecrets(project.stateText(), { password: out.password! })).toEqual([]);
        current = out.password!;
    }, 240_000);

    it("a password set by hash through the provider replaces the old one", async () => {
        const before = await outputs();
        const rotated = "Rotated-by-hash-7";
        const hash = crypto.createHash("sha256").update(rotated).digest("base64");
        await project.pulumi(["config", "set", "--secret", "passwordHash", hash, "--stack", project.stack]);
        await project.up();
        await eventually(
            async () => (await sql(before.https, ca(), rotated, "SELECT 1")).status === 200,
            15_000,
            "the new password accepted",
        );
        expect((await sql(before.https, ca(), before.password!, "SELECT 1")).body).toMatch(/Wrong password/);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
        current = rotated;
    }, 240_000);

    it("a password given in the program is the one the server takes: the provider's hash of it is right", async () => {
        const { https } = await outputs();
        const plain = "Plain-in-the-program-9";
        await project.pulumi(["config", "rm", "passwordHash", "--stack", project.stack]);
        await project.pulumi(["config", "set", "--secret", "password", plain, "--stack", project.stack]);
        await project.up();
        await eventually(async () => (await sql(https, ca(), plain, "SELECT 1")).status === 200, 15_000, "the program's password accepted");
        expect((await sql(https, ca(), current, "SELECT 1")).body).toMatch(/Wrong password/);
        current = plain;
    }, 240_000);

    it("an ipAccessList without this machine locks it out; with it again, it connects", async () => {
        const { https } = await outputs();
        await project.setConfig("cidrs", '["203.0.113.0/24"]');
        await project.up();
        await eventually(
            async () => /is not allowed to connect from address/.test((await sql(https, ca(), current, "SELECT 1")).body),
            15_000,
            "this machine refused",
        );
        await project.setConfig("cidrs", '["127.0.0.1/32"]');
        await project.up();
        await eventually(async () => (await sql(https, ca(), current, "SELECT 1")).status === 200, 15_000, "this machine let in again");
    }, 240_000);

    it("stopped and started again through the program, the data is still there; destroy removes the server and its directory", async () => {
        const { https, serviceId } = await outputs();
        await project.setConfig("state", "stopped");
        await project.up();
        await eventually(async () => project.emulator!.realServers!.status(serviceId)?.status === "down", 20_000, "the server stopped");
        await expect(sql(https, ca(), current, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
        await project.setConfig("state", "running");
        await project.up();
        await eventually(
            async () => (await sql(https, ca(), current, "SELECT count() FROM loaded")).body.trim() === "40",
            30_000,
            "the rows after the restart",
        );
        const dir = project.emulator!.realServers!.status(serviceId)!.dir;
        expect(fs.existsSync(path.join(dir, "data"))).toBe(true);
        await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack]);
        await eventually(async () => !fs.existsSync(dir), 20_000, "the server's directory removed");
        expect(project.emulator!.realServers!.status(serviceId)).toBeUndefined();
        await expect(sql(https, ca(), current, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
    }, 240_000);
});
