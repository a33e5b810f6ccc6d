/**
 * A full environment through the real Pulumi engine: all six resource kinds, an in-place change
 * per resource, replacements, refresh after changes made behind Pulumi's back, destroy leaving
 * the emulator empty, and every secret input absent from the state and the CLI output.
 */
import { E2EProject, findSecrets, pulumiCliOrSkip, requestCounts } from "./harness";

const T = (kind: string) => `pulumi-nodejs:dynamic/clickhouse:${kind}`;

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";
const c = new pulumi.Config();
const service = new clickhouse.Service("svc", {
    name: c.require("serviceName"), provider: "aws", region: "eu-central-1", tier: "production",
    ipAccessList: [{ source: "10.0.0.0/8", description: "vpc" }],
});
const scaling = new clickhouse.ServiceScaling("scaling", {
    serviceId: service.id, minReplicaMemoryGb: 8, maxReplicaMemoryGb: c.requireNumber("maxMemory"), idleScaling: true, idleTimeoutMinutes: 10,
});
new clickhouse.BackupConfiguration("backups", { serviceId: service.id, backupRetentionPeriodInHours: c.requireNumber("retention"), backupPeriodInHours: 24 });
new clickhouse.ServiceQueryEndpoint("query", { serviceId: service.id, roles: ["sql_console_read_only"], openApiKeys: [c.require("keyId")], allowedOrigins: c.require("origins") });
new clickhouse.PrivateEndpoint("pe", { serviceId: service.id, endpointId: "vpce-0123456789abcdef0", description: c.require("peDescription") });
const columns = [{ name: "ts", type: "DateTime64(3)" }, { name: "msg", type: "String" }];
const fieldMappings = [{ sourceField: "ts", destinationField: "ts" }, { sourceField: "msg", destinationField: "msg" }];
const destination = (table: string) => ({ database: "default", table, managedTable: true, tableDefinition: { engine: { type: "MergeTree" }, sortingKey: ["ts"] }, columns });
new clickhouse.ClickPipe("kafka", {
    serviceId: service.id, name: c.require("pipeName"),
    source: { kafka: { type: "kafka", format: "JSONEachRow", brokers: "broker:9092", topics: c.require("topic"), authentication: "PLAIN",
        credentials: { username: "ingest", password: c.requireSecret("kafkaPassword") } } },
    destination: destination("events"), fieldMappings, scaling: { replicas: 1 },
}, { dependsOn: [scaling] });
new clickhouse.ClickPipe("s3", {
    serviceId: service.id, name: "files",
    source: { objectStorage: { type: "s3", format: "JSONEachRow", url: "https://bucket.s3.amazonaws.com/logs/*.json", authentication: "IAM_USER",
        accessKey: { accessKeyId: "AKIAE2EEXAMPLE", secretKey: c.requireSecret("s3SecretKey") } } },
    destination: destination("files"), fieldMappings,
}, { dependsOn: [scaling] });
new clickhouse.ClickPipe("cdc", {
    serviceId: service.id, name: "cdc",
    source: { postgres: { host: "db.internal", port: 5432, database: "app", credentials: { username: "repl", password: c.requireSecret("pgPassword") },
        settings: { replicationMode: "cdc" }, tableMappings: [{ sourceSchemaName: "public", sourceTable: "users", targetTable: "public_users" }] } },
    destination: { database: "app" },
}, { dependsOn: [scaling] });
export const password = service.password;
`;

const SECRETS = {
    kafkaPassword: "kafka-Pw-e2e-7f3a91",
    kafkaPasswordRotated: "kafka-Pw-e2e-rotated-22c1",
    s3SecretKey: "s3-SecretKey-e2e-5b0d11",
    pgPassword: "pg-Pw-e2e-a9e4c2",
};

const cli = pulumiCliOrSkip("environment e2e");
const describeCli = cli ? describe : describe.skip;

describeCli("a full environment through the Pulumi CLI", () => {
    let project: E2EProject;
    const timings: Record<string, number> = {};
    const ids = () =>
        Object.fromEntries(
            project
                .resources()
                .filter((r) => r.type.includes("clickhouse:"))
                .map((r) => [r.urn.split("::").pop(), r.id]),
        );

    beforeAll(async () => {
        project = new E2EProject(cli!, "environment");
        await project.start({
            rateLimit: false,
            durations: {
                provisioning: 1,
                stopping: 0.5,
                starting: 0.5,
                terminating: 0.5,
                awaking: 0.5,
                pipeProvisioning: 0.5,
                pipeStopping: 0.3,
                pipeStarting: 0.3,
                pipeDeleting: 0.3,
            },
        });
        project.writeProgram(program);
        await project.initStack(
            {
                serviceName: "env-e2e",
                maxMemory: "16",
                retention: "48",
                keyId: project.emulator!.keyId,
                origins: "https://app.example.com",
                peDescription: "vpc-a",
                pipeName: "events",
                topic: "events",
            },
            { kafkaPassword: SECRETS.kafkaPassword, s3SecretKey: SECRETS.s3SecretKey, pgPassword: SECRETS.pgPassword },
        );
    });

    afterAll(async () => {
        console.log(`environment e2e timings (s): ${JSON.stringify(timings)}`);
        await project?.dispose();
    });

    it("deploys all six resource kinds, then previews clean", async () => {
        timings.up = (await project.up()).seconds;
        for (const kind of ["Service", "ServiceScaling", "BackupConfiguration", "ServiceQueryEndpoint", "PrivateEndpoint"]) {
            expect(project.resources(T(kind))).toHaveLength(1);
        }
        expect(project.resources(T("ClickPipe"))).toHaveLength(3);
        timings.preview = (await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack])).seconds;
    });

    it("changes every resource in place without creating or deleting anything", async () => {
        const before = ids();
        await project.emulator!.control.clearLog();
        await project.setConfig("serviceName", "env-e2e-renamed");
        await project.setConfig("maxMemory", "24");
        await project.setConfig("retention", "72");
        await project.setConfig("origins", "https://app.example.com,https://admin.example.com");
        await project.setConfig("pipeName", "events-v2");
        await project.pulumi(["config", "set", "--secret", "kafkaPassword", SECRETS.kafkaPasswordRotated, "--stack", project.stack]);
        timings.updateInPlace = (await project.up()).seconds;
        expect(ids()).toEqual(before);
        const counts = requestCounts(await project.emulator!.control.log());
        expect(
            Object.keys(counts).filter((k) => k.startsWith("DELETE") || /^POST .*\/(services|clickpipes|privateEndpoint)$/.test(k)),
        ).toEqual([]);
        const objects = await project.emulator!.control.objects();
        expect(objects.services[0]).toMatchObject({ name: "env-e2e-renamed", maxReplicaMemoryGb: 24 });
        expect(objects.clickpipes.map((p: { name: string }) => p.name).sort()).toEqual(["cdc", "events-v2", "files"]);
        expect(project.resources(T("BackupConfiguration"))[0].outputs.backupRetentionPeriodInHours).toBe(72);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("replaces what the API cannot change: a ClickPipe's topic and a private endpoint's description", async () => {
        const before = ids();
        await project.setConfig("topic", "events-2026");
        await project.setConfig("peDescription", "vpc-b");
        timings.replace = (await project.up()).seconds;
        const after = ids();
        expect(after.kafka).not.toEqual(before.kafka);
        expect(after.svc).toEqual(before.svc);
        expect(project.resources(T("PrivateEndpoint"))[0].outputs.description).toBe("vpc-b");
        const objects = await project.emulator!.control.objects();
        expect(objects.clickpipes).toHaveLength(3);
        expect(objects.services[0].privateEndpointIds).toEqual(["vpce-0123456789abcdef0"]);
    });

    it("a forced replacement of one-per-service objects and of a private endpoint keeps them (the old resource's delete is skipped)", async () => {
        const urnOf = (kind: string) => project.resources(T(kind))[0].urn;
        const up = await project.up([
            "--replace",
            urnOf("ServiceQueryEndpoint"),
            "--replace",
            urnOf("BackupConfiguration"),
            "--replace",
            urnOf("PrivateEndpoint"),
        ]);
        timings.forcedReplace = up.seconds;
        // One warning per replaced resource (the CLI prints each twice: inline and in the summary).
        for (const kind of ["ServiceQueryEndpoint", "BackupConfiguration", "PrivateEndpoint"]) {
            expect(up.stdout + up.stderr).toMatch(new RegExp(`clickhouse:${kind} \\S+: not deleted`));
        }
        expect(up.stdout + up.stderr).not.toMatch(/clickhouse:(Service|ServiceScaling|ClickPipe) \S+: not deleted/);
        const objects = await project.emulator!.control.objects();
        expect(objects.queryEndpoints).toHaveLength(1);
        expect(objects.services[0].privateEndpointIds).toEqual(["vpce-0123456789abcdef0"]);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("refresh sees changes made behind Pulumi's back, and up puts them back", async () => {
        const current = ids();
        await project.emulator!.control.patchService(current.svc!, { name: "renamed-in-console", maxReplicaMemoryGb: 32 });
        await project.emulator!.control.patchClickPipe(current.kafka!, { name: "renamed-pipe" });
        await project.pulumi(["refresh", "--yes", "--skip-preview", "--stack", project.stack]);
        expect(project.resources(T("Service"))[0].outputs.name).toBe("renamed-in-console");
        expect(project.resources(T("ServiceScaling"))[0].outputs.maxReplicaMemoryGb).toBe(32);
        expect(project.resources(T("ClickPipe")).find((r) => r.id === current.kafka)!.outputs.name).toBe("renamed-pipe");
        const preview = await project.pulumi(["preview", "--diff", "--stack", project.stack]);
        expect(preview.stdout).toMatch(/renamed-in-console/);
        expect(preview.stdout).toMatch(/renamed-pipe/);
        await project.up();
        const objects = await project.emulator!.control.objects();
        expect(objects.services[0]).toMatchObject({ name: "env-e2e-renamed", maxReplicaMemoryGb: 24 });
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("destroys everything and no secret input ever reached the state or the output", async () => {
        const password = (await project.pulumi(["stack", "output", "password", "--show-secrets", "--stack", project.stack])).stdout.trim();
        expect(password.length).toBeGreaterThanOrEqual(8);
        timings.destroy = (await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack])).seconds;
        const objects = await project.emulator!.control.objects();
        expect(objects.services).toEqual([]);
        expect(objects.clickpipes).toEqual([]);
        const scanned = project.allText();
        // The last `stack output --show-secrets` printed the password on purpose: drop that transcript.
        const withoutReveal = scanned.split(password).length - 1;
        expect(withoutReveal).toBe(1);
        const log = JSON.stringify(await project.emulator!.control.log());
        expect(findSecrets(scanned.replace(password, ""), { ...SECRETS, password, tokenSecret: project.emulator!.keySecret })).toEqual([]);
        expect(findSecrets(log, { ...SECRETS, password, tokenSecret: project.emulator!.keySecret })).toEqual([]);
        console.log(`environment e2e: secret scan of ${scanned.length} characters (state files and CLI output), 0 hits`);
    });
});
