/**
 * The plugin face end to end, through the real CLI and a YAML program, against the emulator: the
 * plugin installed as a user installs it (`pulumi plugin install resource clickhouse-cloud
 * <version> --file <archive>`, the archive of scripts/plugin-archive.js), then up, a clean `preview --expect-no-changes`, an in-place update,
 * `pulumi import` of a service created through the API directly followed by a clean preview of the
 * program that describes it, the same for its query endpoint and a ClickPipe, a change made behind
 * the program's back found by refresh and undone by up, a replacement (a new region), and destroy.
 * The program also calls two read functions (`fn::invoke` of getService and, with `return`,
 * getBackupConfiguration) on the service it deploys, and exports what they answer.
 *
 * Needs the YAML language host (`bash scripts/yaml-host-install.sh`): skipped with a printed
 * reason without it, an error under CI=true (like a missing Pulumi CLI).
 */
import * as fs from "fs";
import * as path from "path";
import { E2EProject, pulumiCliOrSkip } from "./harness";
import { installPlugin, yamlHostOrSkip, yamlQueryAndPipe } from "./pluginSetup";

const SUITE = "plugin.yaml.e2e";
const TOKEN = "clickhouse-cloud:index:Service";
const QUERY_TOKEN = "clickhouse-cloud:index:ServiceQueryEndpoint";
const PIPE_TOKEN = "clickhouse-cloud:index:ClickPipe";

/** The query endpoint and the ClickPipe of the imported service, as the program describes them. */
const SATELLITES = (keyId: string) =>
    yamlQueryAndPipe({
        service: "existing",
        keyId,
        kafkaPassword: "kafka-pa55word",
        names: { query: "existingQuery", pipe: "existingPipe" },
    });

const cli = pulumiCliOrSkip(SUITE);
const yamlHost = cli ? yamlHostOrSkip(SUITE) : undefined;
const maybe = cli && yamlHost ? describe : describe.skip;

/** The YAML program: one Service, plus the imported one when it is part of the program. */
function program(opts: { description: string; region?: string; imported?: { name: string }; extra?: string[] }): string {
    const lines = [
        "name: plugin-yaml-e2e",
        "runtime: yaml",
        "resources:",
        "  warehouse:",
        `    type: ${TOKEN}`,
        "    properties:",
        "      name: yaml-warehouse",
        "      provider: aws",
        `      region: ${opts.region ?? "eu-central-1"}`,
        "      ipAccessList:",
        "        - source: 203.0.113.0/24",
        `          description: ${opts.description}`,
        "      password:",
        "        fn::secret: S3cret-yaml-pass-1",
        // The read functions, on the service above: the whole object, and one field with `return`.
        "variables:",
        "  warehouseRead:",
        "    fn::invoke:",
        "      function: clickhouse-cloud:index:getService",
        "      arguments:",
        "        serviceId: ${warehouse.id}",
        "  warehouseBackupPeriod:",
        "    fn::invoke:",
        "      function: clickhouse-cloud:index:getBackupConfiguration",
        "      arguments:",
        "        serviceId: ${warehouse.id}",
        "      return: backupPeriodInHours",
        "outputs:",
        "  state: ${warehouse.state}",
        "  readId: ${warehouseRead.id}",
        "  readName: ${warehouseRead.name}",
        "  readRegion: ${warehouseRead.region}",
        "  readHost: ${warehouseRead.endpoints[0].host}",
        "  backupPeriod: ${warehouseBackupPeriod}",
    ];
    if (opts.imported) {
        const at = lines.indexOf("variables:");
        lines.splice(
            at,
            0,
            "  existing:",
            `    type: ${TOKEN}`,
            "    properties:",
            `      name: ${opts.imported.name}`,
            "      provider: aws",
            "      region: us-east-1",
            "      ipAccessList:",
            "        - source: 198.51.100.7",
            "          description: vpn",
            "      password:",
            "        fn::secret: Existing-pass-9",
            ...(opts.extra ?? []),
        );
    }
    return lines.join("\n") + "\n";
}

maybe("the plugin face from a YAML program", () => {
    let project: E2EProject;

    beforeAll(async () => {
        project = new E2EProject(cli!, "plugin-yaml");
        await project.start({ durations: { provisioning: 0.5, starting: 0.5, stopping: 0.5, awaking: 0.5, terminating: 0.5 } });
        await installPlugin(project, yamlHost!);

        fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), program({ description: "office" }));
        await project.initStack();
    }, 180_000);

    afterAll(async () => {
        await project?.dispose();
    });

    const services = async () =>
        (await project.emulator!.control.objects()).services as Array<{ id: string; name: string; ipAccessList: unknown }>;
    /** The stack's outputs, as `pulumi stack output` shows them. */
    const outputs = async () =>
        JSON.parse((await project.pulumi(["stack", "output", "--json", "--stack", project.stack])).stdout) as Record<string, unknown>;

    it("deploys, previews clean, updates in place, imports a service, query endpoint and ClickPipe, refreshes drift, replaces, and destroys", async () => {
        await project.up();
        const [created] = await services();
        expect(created).toMatchObject({ name: "yaml-warehouse" });
        const [svc] = project.resources(TOKEN);
        expect(svc.id).toBe(created.id);
        expect(project.stateText()).not.toContain("S3cret-yaml-pass-1");
        // What the read functions answered about it, through the plugin's invoke.
        const read = await outputs();
        expect(read).toMatchObject({ readId: created.id, readName: "yaml-warehouse", readRegion: "eu-central-1", backupPeriod: 24 });
        expect(read.readHost).toMatch(/\.eu-central-1\.aws\.clickhouse\.cloud$/);

        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);

        // In place: the IP access list's description.
        fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), program({ description: "head office" }));
        const updated = await project.up();
        expect(updated.stdout).toMatch(/1 updated/);
        expect((await services()).find((s) => s.id === created.id)?.ipAccessList).toEqual([
            { source: "203.0.113.0/24", description: "head office" },
        ]);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);

        // A service made outside Pulumi, through the API, then `pulumi import` by its id.
        const emu = project.emulator!;
        const response = await project.orgApi("POST", "/services", {
            name: "existing-warehouse",
            provider: "aws",
            region: "us-east-1",
            ipAccessList: [{ source: "198.51.100.7", description: "vpn" }],
        });
        expect(response.status).toBe(200);
        const existingId: string = response.body.result.service.id;
        const imported = await project.pulumi([
            "import",
            TOKEN,
            "existing",
            existingId,
            "--yes",
            "--stack",
            project.stack,
            "--generate-code=false",
            "--protect=false",
        ]);
        expect(imported.stdout).toMatch(/1 imported/);
        const existing = project.resources(TOKEN).find((r) => r.id === existingId);
        expect(existing?.inputs).toMatchObject({ name: "existing-warehouse", provider: "aws", region: "us-east-1" });
        expect(existing?.inputs).not.toHaveProperty("password");

        // The program that describes it (with a password the API never returned) previews clean.
        fs.writeFileSync(
            path.join(project.dir, "Pulumi.yaml"),
            program({ description: "head office", imported: { name: "existing-warehouse" } }),
        );
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);

        // Its query endpoint (one per service: imported by the service id) and a ClickPipe
        // (`<serviceId>:<clickPipeId>`, credentials kept from the program), made through the API.
        const api = async (method: string, suffix: string, body: unknown) => {
            const r = await project.orgApi(method, `/services/${existingId}${suffix}`, body);
            expect({ suffix, status: r.status }).toEqual({ suffix, status: 200 });
            return r.body.result as { id: string };
        };
        await api("POST", "/serviceQueryEndpoint", { roles: ["sql_console_read_only"], openApiKeys: [emu.keyId] });
        const pipe = await api("POST", "/clickpipes", {
            name: "events",
            source: {
                kafka: {
                    type: "confluent",
                    format: "JSONEachRow",
                    brokers: "broker-1:9092",
                    topics: "events",
                    authentication: "PLAIN",
                    credentials: { username: "ingest", password: "kafka-pa55word" },
                },
            },
            destination: { database: "default", table: "events", managedTable: true, columns: [{ name: "id", type: "String" }] },
            fieldMappings: [{ sourceField: "id", destinationField: "id" }],
        });
        for (const [token, name, id] of [
            [QUERY_TOKEN, "existingQuery", existingId],
            [PIPE_TOKEN, "existingPipe", `${existingId}:${pipe.id}`],
        ]) {
            const result = await project.pulumi([
                "import",
                token,
                name,
                id,
                "--yes",
                "--stack",
                project.stack,
                "--generate-code=false",
                "--protect=false",
            ]);
            expect(result.stdout).toMatch(/1 imported/);
        }
        expect(project.resources(PIPE_TOKEN)[0]?.id).toBe(pipe.id);
        expect(JSON.stringify(project.resources(PIPE_TOKEN))).not.toContain("kafka-pa55word");
        fs.writeFileSync(
            path.join(project.dir, "Pulumi.yaml"),
            program({ description: "head office", imported: { name: "existing-warehouse" }, extra: SATELLITES(emu.keyId) }),
        );
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);

        // A change made behind the program's back (the console): refresh records it, preview shows
        // it, up puts the program's value back.
        const full = (region?: string) =>
            program({ description: "head office", region, imported: { name: "existing-warehouse" }, extra: SATELLITES(emu.keyId) });
        await emu.control.patchService(created.id, { name: "renamed-in-console" });
        await project.pulumi(["refresh", "--yes", "--skip-preview", "--stack", project.stack]);
        expect(project.resources(TOKEN).find((r) => r.id === created.id)?.outputs.name).toBe("renamed-in-console");
        const drifted = await project.pulumi(["preview", "--diff", "--stack", project.stack]);
        expect(drifted.stdout).toMatch(/renamed-in-console/);
        await project.up();
        expect((await services()).find((x) => x.id === created.id)?.name).toBe("yaml-warehouse");
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);

        // A replacing change (the region): a new service in the new region, the old one deleted.
        fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), full("us-east-2"));
        const replaced = await project.up();
        expect(replaced.stdout).toMatch(/1 replaced/);
        const after = await services();
        const renewed = after.find((x) => x.name === "yaml-warehouse") as { id: string; region?: string } | undefined;
        expect(renewed?.region).toBe("us-east-2");
        expect(renewed?.id).not.toBe(created.id);
        expect(after.map((x) => x.id)).not.toContain(created.id);
        expect(project.resources(TOKEN).find((r) => r.outputs.name === "yaml-warehouse")?.id).toBe(renewed?.id);
        // The functions read the new service.
        expect(await outputs()).toMatchObject({ readId: renewed?.id, readName: "yaml-warehouse", readRegion: "us-east-2" });
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);

        await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack]);
        expect(await services()).toEqual([]);
    }, 600_000);
});
