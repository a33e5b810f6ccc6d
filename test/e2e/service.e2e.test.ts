/**
 * The Service through the real Pulumi engine: up, a clean preview, in-place update, replacement,
 * drift seen by refresh, destroy; the state file scanned for secrets and for a thin provider.
 */
import { E2EProject, findSecrets, liveMode, pulumiCliOrSkip, reportLiveSkip, requestCounts } from "./harness";

const TYPE = "pulumi-nodejs:dynamic/clickhouse:Service";

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";
const config = new pulumi.Config();
const svc = new clickhouse.Service("svc", {
    name: config.require("name"),
    provider: "aws",
    region: config.require("region"),
    tier: "production",
    ipAccessList: config.requireObject<string[]>("cidrs").map((source) => ({ source, description: "e2e" })),
    minReplicaMemoryGb: 8,
    maxReplicaMemoryGb: 16,
    idleScaling: true,
    idleTimeoutMinutes: 15,
    tags: [{ key: "team", value: "platform" }],
}, { deleteBeforeReplace: config.getBoolean("deleteBeforeReplace") });
export const id = svc.id;
export const state = svc.state;
export const serviceName = svc.name;
export const password = svc.password;
`;

const cli = pulumiCliOrSkip("service e2e");
const describeCli = cli ? describe : describe.skip;

describeCli("Service through the Pulumi CLI", () => {
    let project: E2EProject;
    const timings: Record<string, number> = {};

    beforeAll(async () => {
        reportLiveSkip("service e2e");
        project = new E2EProject(cli!, "service");
        await project.start({ rateLimit: false, durations: { provisioning: 1, stopping: 0.5, starting: 0.5, terminating: 0.5 } });
        project.writeProgram(program);
        await project.initStack({ name: "e2e-svc", region: "eu-central-1", cidrs: '["10.0.0.0/8","192.168.0.1/32"]' });
    });

    afterAll(async () => {
        console.log(`service e2e timings (s): ${JSON.stringify(timings)}`);
        await project?.dispose();
    });

    const log = async () => (liveMode() ? [] : project.emulator!.control.log());

    it("creates the service and a second preview reports no changes", async () => {
        const up = await project.up();
        timings.up = up.seconds;
        const [svc] = project.resources(TYPE);
        expect(svc.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(svc.outputs.state).toBe("running");
        const preview = await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
        timings.preview = preview.seconds;
        if (!liveMode()) {
            const counts = requestCounts(await log());
            expect(counts["POST /v1/organizations/{id}/services"]).toBe(1);
        }
    });

    it("keeps the password secret and the serialized provider thin", async () => {
        const text = project.stateText();
        const [svc] = project.resources(TYPE);
        const out = await project.pulumi(["stack", "output", "password", "--show-secrets", "--stack", project.stack]);
        const password = out.stdout.trim();
        expect(password.length).toBeGreaterThanOrEqual(8);
        expect(findSecrets(text, { password, tokenSecret: project.env.CLICKHOUSE_TOKEN_SECRET ?? "" })).toEqual([]);
        const providerText = String(svc.inputs.__provider);
        expect(providerText.length).toBeLessThan(4000);
        expect(providerText).not.toContain(project.env.CLICKHOUSE_TOKEN_SECRET ?? "<none>");
        expect(providerText).not.toContain(project.env.CLICKHOUSE_TOKEN_KEY ?? "<none>");
        expect(providerText).toContain('require("pulumi-clickhouse-cloud/runtime")');
    });

    it("updates name and ipAccessList in place with PATCHes only", async () => {
        await project.emulator?.control.clearLog();
        const before = project.resources(TYPE)[0].id;
        await project.setConfig("name", "e2e-svc-renamed");
        await project.setConfig("cidrs", '["192.168.0.1/32","172.16.0.0/12"]');
        const up = await project.up();
        timings.updateInPlace = up.seconds;
        const [svc] = project.resources(TYPE);
        expect(svc.id).toBe(before);
        expect(svc.outputs.name).toBe("e2e-svc-renamed");
        if (!liveMode()) {
            const counts = requestCounts(await log());
            expect(counts["PATCH /v1/organizations/{id}/services/{id}"]).toBeGreaterThanOrEqual(1);
            expect(Object.keys(counts).filter((k) => k.startsWith("POST ") || k.startsWith("DELETE "))).toEqual([]);
            const objects = await project.emulator!.control.objects();
            // The API may spell a single host without its /32 suffix.
            const sources = objects.services[0].ipAccessList.map((e: { source: string }) => e.source.replace(/\/32$/, "")).sort();
            expect(sources).toEqual(["172.16.0.0/12", "192.168.0.1"]);
        }
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("replaces the service when the region changes", async () => {
        await project.emulator?.control.clearLog();
        const before = project.resources(TYPE)[0].id;
        await project.setConfig("region", "us-east-1");
        const up = await project.up();
        timings.replace = up.seconds;
        const [svc] = project.resources(TYPE);
        expect(svc.id).not.toBe(before);
        expect(svc.outputs.region).toBe("us-east-1");
        if (!liveMode()) {
            const counts = requestCounts(await log());
            expect(counts["POST /v1/organizations/{id}/services"]).toBe(1);
            expect(counts["DELETE /v1/organizations/{id}/services/{id}"]).toBeGreaterThanOrEqual(1);
            const objects = await project.emulator!.control.objects();
            expect(objects.services.map((s: { id: string }) => s.id)).toEqual([svc.id]);
        }
    });

    // A forced replacement's create gets no old inputs and no diff, yet it has no open attempt of
    // this stack, so it can never be taken for an interrupted create: a new service, then the old
    // one deleted, with no service made only to be thrown away.
    it("`pulumi up --replace` without deleteBeforeReplace really replaces: a new service, then the old one deleted", async () => {
        await project.emulator?.control.clearLog();
        const [before] = project.resources(TYPE);
        const up = await project.up(["--replace", before.urn]);
        timings.forcedReplace = up.seconds;
        const [svc] = project.resources(TYPE);
        expect(svc.id).not.toBe(before.id);
        expect(up.stdout + up.stderr).not.toMatch(/not deleted/);
        if (!liveMode()) {
            const counts = requestCounts(await log());
            expect(counts["POST /v1/organizations/{id}/services"]).toBe(1);
            const objects = await project.emulator!.control.objects();
            expect(objects.services.map((s: { id: string }) => s.id)).toEqual([svc.id]);
        }
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("`pulumi up --replace` with deleteBeforeReplace makes a new service", async () => {
        await project.setConfig("deleteBeforeReplace", "true");
        await project.emulator?.control.clearLog();
        const [before] = project.resources(TYPE);
        const up = await project.up(["--replace", before.urn]);
        timings.forcedReplace = up.seconds;
        const [svc] = project.resources(TYPE);
        expect(svc.id).not.toBe(before.id);
        expect(up.stdout + up.stderr).not.toMatch(/interrupted|not deleted/);
        if (!liveMode()) {
            const counts = requestCounts(await log());
            expect(counts["POST /v1/organizations/{id}/services"]).toBe(1);
            const objects = await project.emulator!.control.objects();
            expect(objects.services.map((s: { id: string }) => s.id)).toEqual([svc.id]);
        }
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    (liveMode() ? it.skip : it)("sees a change made behind its back on refresh", async () => {
        const [svc] = project.resources(TYPE);
        await project.emulator!.control.patchService(svc.id!, { name: "renamed-in-console" });
        await project.pulumi(["refresh", "--yes", "--skip-preview", "--stack", project.stack]);
        expect(project.resources(TYPE)[0].outputs.name).toBe("renamed-in-console");
        const preview = await project.pulumi(["preview", "--diff", "--stack", project.stack]);
        expect(preview.stdout).toMatch(/renamed-in-console/);
        await project.up();
        expect(project.resources(TYPE)[0].outputs.name).toBe("e2e-svc-renamed");
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("destroys everything", async () => {
        const down = await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack]);
        timings.destroy = down.seconds;
        expect(project.resources(TYPE)).toEqual([]);
        if (!liveMode()) {
            const objects = await project.emulator!.control.objects();
            expect(objects.services).toEqual([]);
        }
        expect(findSecrets(project.allText(), { tokenSecret: project.env.CLICKHOUSE_TOKEN_SECRET ?? "" })).toEqual([]);
    });
});
