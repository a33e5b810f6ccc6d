/**
 * Moving a stack from the dynamic face to the plugin face, through the real CLI, against the
 * emulator: a TypeScript program deploys a service, its scaling, its query endpoint and a
 * ClickPipe with the classes; `pulumi-clickhouse-cloud move-to-plugin` without `--apply` changes
 * nothing; with `--apply` it takes them out of the state and imports them through the plugin face,
 * sending no request that changes anything; the YAML program that describes the same objects with
 * the same names previews clean; the old ownership id finds no orphan. Then the way back: the
 * query endpoint and the ClickPipe removed through the plugin face, the service and its scaling
 * taken out of the state and declared again in TypeScript with `adoptServiceId`, which takes them
 * with reads only and previews clean; destroy removes the service.
 *
 * Needs the YAML language host (like plugin.yaml.e2e): skipped with a printed reason without it,
 * an error under CI=true.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { E2EProject, pulumiCliOrSkip, repoRoot } from "./harness";
import { installPlugin, yamlHostOrSkip, yamlQueryAndPipe } from "./pluginSetup";
import { promisify } from "util";

const run = promisify(execFile);

const SUITE = "plugin.move.e2e";
const PROJECT = "plugin-move-e2e";
const KAFKA_PASSWORD = "kafka-Move-pa55-3e1";
const SERVICE_PASSWORD = "S3cret-move-pass-7";

const TS_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";
const c = new pulumi.Config();
const service = new clickhouse.Service("warehouse", {
    name: "move-warehouse", provider: "aws", region: "eu-central-1",
    ipAccessList: [{ source: "203.0.113.0/24", description: "office" }],
    password: pulumi.secret("${SERVICE_PASSWORD}"),
});
const scaling = new clickhouse.ServiceScaling("scaling", { serviceId: service.id, minReplicaMemoryGb: 8, maxReplicaMemoryGb: 16 });
new clickhouse.ServiceQueryEndpoint("query", { serviceId: service.id, roles: ["sql_console_read_only"], openApiKeys: [c.require("keyId")] });
new clickhouse.ClickPipe("events", {
    serviceId: service.id, name: "events",
    source: { kafka: { type: "confluent", format: "JSONEachRow", brokers: "broker-1:9092", topics: "events", authentication: "PLAIN",
        credentials: { username: "ingest", password: pulumi.secret("${KAFKA_PASSWORD}") } } },
    destination: { database: "default", table: "events", managedTable: true, columns: [{ name: "id", type: "String" }] },
    fieldMappings: [{ sourceField: "id", destinationField: "id" }],
}, { dependsOn: [scaling] });
export const serviceId = service.id;
`;

/**
 * The same objects, with the same names, as a YAML program on the plugin face; without
 * `satellites`, the service and its scaling only.
 */
const YAML_PROGRAM = (keyId: string, satellites = true) =>
    [
        `name: ${PROJECT}`,
        "runtime: yaml",
        "resources:",
        "  warehouse:",
        "    type: clickhouse-cloud:index:Service",
        "    properties:",
        "      name: move-warehouse",
        "      provider: aws",
        "      region: eu-central-1",
        "      ipAccessList:",
        "        - source: 203.0.113.0/24",
        "          description: office",
        "      password:",
        `        fn::secret: ${SERVICE_PASSWORD}`,
        "  scaling:",
        "    type: clickhouse-cloud:index:ServiceScaling",
        "    properties:",
        "      serviceId: ${warehouse.id}",
        "      minReplicaMemoryGb: 8",
        "      maxReplicaMemoryGb: 16",
        ...(satellites ? YAML_SATELLITES(keyId) : []),
        "outputs:",
        "  serviceId: ${warehouse.id}",
    ].join("\n") + "\n";

const YAML_SATELLITES = (keyId: string) =>
    yamlQueryAndPipe({
        service: "warehouse",
        keyId,
        kafkaPassword: KAFKA_PASSWORD,
        names: { query: "query", pipe: "events" },
        pipeDependsOn: "scaling",
    });

/**
 * The way back: the service taken by `adoptServiceId`, its scaling declared as it is; the query
 * endpoint and the ClickPipe have no adopt argument (docs/plugin.md).
 */
const TS_PROGRAM_BACK = (serviceId: string) => `
import * as clickhouse from "pulumi-clickhouse-cloud";
const service = new clickhouse.Service("warehouse", {
    name: "move-warehouse", provider: "aws", region: "eu-central-1",
    ipAccessList: [{ source: "203.0.113.0/24", description: "office" }],
    adoptServiceId: "${serviceId}",
});
new clickhouse.ServiceScaling("scaling", { serviceId: service.id, minReplicaMemoryGb: 8, maxReplicaMemoryGb: 16 });
export const serviceId = service.id;
`;

const cli = pulumiCliOrSkip(SUITE);
const yamlHost = cli ? yamlHostOrSkip(SUITE) : undefined;
const maybe = cli && yamlHost ? describe : describe.skip;

maybe("moving a stack from the TypeScript classes to the plugin face", () => {
    let project: E2EProject;

    beforeAll(async () => {
        project = new E2EProject(cli!, "plugin-move");
        await project.start({ durations: { provisioning: 0.5, starting: 0.5, stopping: 0.5, awaking: 0.5, terminating: 0.5 } });
        await installPlugin(project, yamlHost!);
        project.writeProgram(TS_PROGRAM, PROJECT);
        // The key secret in the stack configuration too, so the move must carry it to clickhouse-cloud:tokenSecret.
        await project.initStack({ keyId: project.emulator!.keyId }, { "clickhouse:tokenSecret": project.emulator!.keySecret });
    }, 180_000);

    afterAll(async () => {
        await project?.dispose();
    });

    /**
     * The package's command, from the built package, in the project folder with the CLI's
     * environment. Asynchronous: the emulator answers from this process's event loop.
     */
    const tool = async (args: string[]): Promise<{ code: number; stdout: string }> => {
        try {
            const { stdout } = await run(process.execPath, [path.join(repoRoot, "dist", "provider", "cli.js"), ...args], {
                cwd: project.dir,
                env: project.env,
                encoding: "utf8",
                maxBuffer: 64 * 1024 * 1024,
            });
            return { code: 0, stdout };
        } catch (e) {
            const err = e as { code?: number; stdout?: string; stderr?: string };
            const stdout = `${err.stdout ?? ""}\n${err.stderr ?? ""}`;
            return { code: typeof err.code === "number" ? err.code : 1, stdout };
        }
    };
    const types = () => project.resources().map((r) => r.type);

    it("moves every resource without a changing request; the YAML program previews clean", async () => {
        await project.up();
        const emu = project.emulator!;
        const before = await emu.control.objects();
        const [service] = before.services as Array<{ id: string }>;
        const dynamicIds = Object.fromEntries(
            project
                .resources()
                .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/clickhouse:"))
                .map((r) => [r.type.split(":").pop(), r.id]),
        );
        const owner = dynamicIds.StackOwnership!;
        expect(Object.keys(dynamicIds).sort()).toEqual([
            "ClickPipe",
            "Service",
            "ServiceQueryEndpoint",
            "ServiceScaling",
            "StackOwnership",
        ]);

        // Without --apply: the plan and the import file, and the state as it was.
        const stateBefore = project.stateText();
        const dry = await tool(["move-to-plugin", "--stack", project.stack]);
        expect(dry).toMatchObject({ code: 0 });
        expect(dry.stdout).toContain("4 resource(s) of stack e2e move to the plugin face");
        expect(dry.stdout).toContain(`clickhouse-cloud:index:ClickPipe events: import id ${service.id}:${dynamicIds.ClickPipe}`);
        expect(dry.stdout).toContain("Nothing was changed");
        expect(project.stateText()).toBe(stateBefore);
        const importFile = JSON.parse(fs.readFileSync(path.join(project.dir, "e2e.import.json"), "utf8"));
        expect(importFile.resources.map((r: { name: string }) => r.name).sort()).toEqual(["events", "query", "scaling", "warehouse"]);

        await emu.control.clearLog();
        const moved = await tool(["move-to-plugin", "--stack", project.stack, "--apply"]);
        expect(moved).toMatchObject({ code: 0 });
        expect(moved.stdout).toContain("configuration clickhouse:tokenSecret copied to clickhouse-cloud:tokenSecret (secret)");
        expect(moved.stdout).toContain("Moved.");
        // Only reads reached the API, and the objects are the same ones.
        const log = await emu.control.log();
        expect(log.length).toBeGreaterThan(0);
        expect(log.filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path}`)).toEqual([]);
        const after = await emu.control.objects();
        const shape = (o: typeof before) => ({
            services: o.services.map((x) => [x.id, x.name, x.ipAccessList, x.minReplicaMemoryGb, x.maxReplicaMemoryGb]),
            pipes: o.clickpipes.map((x) => [x.id, x.name, x.serviceId]),
            queryEndpoints: o.queryEndpoints.map((x) => x.id),
        });
        expect(shape(after)).toEqual(shape(before));
        // The state: the plugin face's types with the same ids, nothing of the dynamic face, no secret in clear.
        expect(types().filter((t) => t.startsWith("pulumi-nodejs:"))).toEqual([]);
        const pluginIds = Object.fromEntries(
            project
                .resources()
                .filter((r) => r.type.startsWith("clickhouse-cloud:index:"))
                .map((r) => [r.type.split(":").pop(), r.id]),
        );
        expect(pluginIds).toEqual({
            Service: service.id,
            ServiceScaling: service.id,
            ServiceQueryEndpoint: dynamicIds.ServiceQueryEndpoint,
            ClickPipe: dynamicIds.ClickPipe,
        });
        expect(project.stateText()).not.toContain(KAFKA_PASSWORD);
        expect(project.stateText()).not.toContain(SERVICE_PASSWORD);
        const config = await project.pulumi(["config", "--json", "--stack", project.stack]);
        expect(JSON.parse(config.stdout)["clickhouse-cloud:tokenSecret"]).toMatchObject({ secret: true });

        // The program on the plugin face, same names: nothing to do.
        fs.rmSync(path.join(project.dir, "index.ts"));
        fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), YAML_PROGRAM(emu.keyId));
        await emu.control.clearLog();
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
        await project.up();
        expect((await emu.control.log()).filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path}`)).toEqual([]);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);

        // The old ownership id names no orphan: the moved objects are in the state.
        const orphans = await tool(["orphans", "--stack", project.stack, "--owner", owner]);
        expect(orphans).toMatchObject({ code: 0 });
        expect(orphans.stdout).toContain("No orphans");
    }, 600_000);

    it("moves back: the service adopted by id and its scaling declared as they are, with no changing request; destroy removes it", async () => {
        const emu = project.emulator!;
        const [service] = (await emu.control.objects()).services as Array<{ id: string }>;
        expect(service).toBeDefined();
        const changing = async () => (await emu.control.log()).filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path}`);

        // The query endpoint and the ClickPipe go first, through the plugin face.
        fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), YAML_PROGRAM(emu.keyId, false));
        await project.up();
        const left = await emu.control.objects();
        expect([left.clickpipes.length, left.queryEndpoints.length]).toEqual([0, 0]);

        // The service and its scaling leave the state, after a backup; the objects stay.
        const backup = await project.pulumi(["stack", "export", "--stack", project.stack]);
        fs.writeFileSync(path.join(project.dir, "plugin-face.backup.json"), backup.stdout, { mode: 0o600 });
        await emu.control.clearLog();
        for (const kind of ["ServiceScaling", "Service"]) {
            const [r] = project.resources(`clickhouse-cloud:index:${kind}`);
            await project.pulumi(["state", "delete", r.urn, "--yes", "--stack", project.stack]);
        }
        expect(types().filter((t) => t.startsWith("clickhouse-cloud:index:"))).toEqual([]);

        // The TypeScript program takes them back: reads only.
        project.writeProgram(TS_PROGRAM_BACK(service.id), PROJECT);
        await project.up();
        expect(await changing()).toEqual([]);
        const [adopted] = project.resources("pulumi-nodejs:dynamic/clickhouse:Service");
        expect(adopted.id).toBe(service.id);
        expect(project.resources("pulumi-nodejs:dynamic/clickhouse:ServiceScaling").map((r) => r.id)).toEqual([service.id]);
        expect(types().filter((t) => t.startsWith("clickhouse-cloud:"))).toEqual([]);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
        expect((await emu.control.objects()).services.map((x: { id: string }) => x.id)).toEqual([service.id]);

        await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack]);
        expect((await emu.control.objects()).services).toEqual([]);
    }, 600_000);

    it("refuses a stack with nothing of the dynamic face, naming what it looked for, and changes nothing", async () => {
        const stateBefore = project.stateText();
        const r = await tool(["move-to-plugin", "--stack", project.stack, "--apply"]);
        expect(r.code).toBe(2);
        expect(r.stdout).toContain("no pulumi-nodejs:dynamic/clickhouse:* resources to move");
        expect(project.stateText()).toBe(stateBefore);
    });
});
