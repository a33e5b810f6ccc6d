/**
 * A stack written by the code before the restructure (issue 11) keeps working with today's code:
 * the state of test/fixtures/pre-restructure/ (a `pulumi stack export` made by commit ed9b745,
 * every resource kind, the old `__provider` shims) is imported into a fresh backend, the
 * emulator restarts from the data file written in the same run, and the unchanged program then
 * previews, refreshes and updates with no change, and destroys everything.
 * The fixture is remade with `node scripts/make-old-state-fixture.js` (its README says how).
 */
import * as fs from "fs";
import * as path from "path";
import { E2EProject, findSecrets, pulumiCliOrSkip, repoRoot, requestCounts } from "./harness";

const FIXTURE = path.join(repoRoot, "test", "fixtures", "pre-restructure");
const meta = JSON.parse(fs.readFileSync(path.join(FIXTURE, "fixture.json"), "utf8"));
const input = JSON.parse(fs.readFileSync(path.join(FIXTURE, "program", "config.json"), "utf8"));
const fixtureState = JSON.parse(fs.readFileSync(path.join(FIXTURE, "state.json"), "utf8"));
const fixtureResources: Array<{ urn: string; type: string; id?: string; inputs?: Record<string, unknown> }> =
    fixtureState.deployment.resources;
const KINDS = [
    "StackOwnership",
    "Service",
    "ServiceScaling",
    "BackupConfiguration",
    "PrivateEndpoint",
    "ClickPipe",
    "ServiceQueryEndpoint",
];
const T = (kind: string) => `pulumi-nodejs:dynamic/clickhouse:${kind}`;
const clickhouseUrns = fixtureResources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/clickhouse:")).map((r) => r.urn);

/** Requests that change something at the API (the emulator's log, by method and path template). */
const writes = (counts: Record<string, number>) => Object.keys(counts).filter((k) => !k.startsWith("GET "));

const cli = pulumiCliOrSkip("old-state e2e");
const describeCli = cli ? describe : describe.skip;

describeCli("a stack written before the restructure, with today's code", () => {
    let project: E2EProject;

    beforeAll(async () => {
        project = new E2EProject(cli!, "oldstate");
        expect(project.stack).toBe(meta.stack);

        // What is rewritten, and why. The state itself needs nothing: it holds no API URL (the
        // fixture run took it from CLICKHOUSE_API_URL, as this run does from the new emulator),
        // no backend path and no port (asserted below). The emulator's data file needs its clock:
        // the emulator derives time-driven changes from wall time plus `clockOffsetMs` (a
        // service with idle scaling goes idle 10 minutes after it last ran, a backup appears each
        // period), so a fixture read days later would show drift no code change made. Moving the
        // offset back by the time since the fixture was written restarts the emulator at the
        // fixture's moment.
        const data = JSON.parse(fs.readFileSync(path.join(FIXTURE, "emulator-data.json"), "utf8"));
        data.clockOffsetMs += meta.writtenAt - Date.now();
        const dataFile = path.join(project.dir, "emulator-data.json");
        fs.writeFileSync(dataFile, JSON.stringify(data));
        await project.start({
            dataFile,
            rateLimit: false,
            durations: {
                stopping: 0.5,
                starting: 0.5,
                terminating: 0.5,
                awaking: 0.5,
                pipeStopping: 0.3,
                pipeStarting: 0.3,
                pipeDeleting: 0.3,
            },
        });
        project.env = {
            ...project.env,
            PULUMI_CONFIG_PASSPHRASE: meta.passphrase,
            CLICKHOUSE_ATTEMPTS_DIR: path.join(project.dir, "attempts"),
        };
        // The program and the stack's configuration (with its encryption salt) as the fixture run had them.
        for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(FIXTURE, "program", f), path.join(project.dir, f));
        fs.copyFileSync(path.join(FIXTURE, `Pulumi.${meta.stack}.yaml`), path.join(project.dir, `Pulumi.${meta.stack}.yaml`));
        await project.pulumi(["stack", "init", project.stack, "--non-interactive"]);
        await project.pulumi(["stack", "import", "--file", path.join(FIXTURE, "state.json"), "--stack", project.stack]);
    });

    afterAll(async () => {
        await project?.dispose();
    });

    it("the imported state is the fixture's: every kind, the old code's provider shims, nothing machine-specific", async () => {
        for (const kind of KINDS) expect(project.resources(T(kind)).length).toBeGreaterThanOrEqual(1);
        expect(project.resources(T("ClickPipe"))).toHaveLength(3);
        expect(project.resources(T("Service"))).toHaveLength(2);
        const imported = project.resources();
        for (const r of fixtureResources.filter((r) => r.inputs?.__provider)) {
            const now = imported.find((i) => i.urn === r.urn)!;
            // The shim the old code serialized, which loads whatever package is installed where the program runs.
            expect(now.inputs.__provider).toBe(r.inputs!.__provider);
            expect(now.outputs.__provider).toBe(r.inputs!.__provider);
            expect(r.inputs!.__provider).toContain('require("pulumi-clickhouse-cloud/runtime")');
        }
        const text = JSON.stringify(fixtureState);
        expect(text).not.toMatch(/127\.0\.0\.1|localhost|file:\/\/|\/tmp\//);
        expect(findSecrets(text, input.secrets)).toEqual([]);
        // The objects of the state exist in the restarted emulator, in the state the fixture left them.
        const objects = await project.emulator!.control.objects();
        expect(objects.services.map((s: { id: string }) => s.id).sort()).toEqual(
            project
                .resources(T("Service"))
                .map((s) => s.id)
                .sort(),
        );
        expect(objects.services.map((s: { state: string }) => s.state)).toEqual(["running", "running"]);
        expect(objects.clickpipes.map((p: { id: string }) => p.id).sort()).toEqual(
            project
                .resources(T("ClickPipe"))
                .map((p) => p.id)
                .sort(),
        );
        expect(objects.queryEndpoints).toHaveLength(1);
    });

    it("previews with no change, and the JSON preview has every resource `same`", async () => {
        await project.emulator!.control.clearLog();
        const before = project.stateText();
        await project.pulumi(["preview", "--expect-no-changes", "--diff", "--stack", project.stack]);
        // --show-sames: without it the JSON lists only the steps that change something.
        const json = await project.pulumi(["preview", "--json", "--show-sames", "--stack", project.stack]);
        const preview = JSON.parse(json.stdout);
        const steps: Array<{ op: string; urn: string }> = preview.steps;
        const notSame = steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn}`);
        expect(notSame).toEqual([]);
        // Every resource of the fixture was planned, each one `same`.
        expect(steps.map((s) => s.urn).sort()).toEqual(
            fixtureResources
                .filter((r) => !r.type.startsWith("pulumi:providers:"))
                .map((r) => r.urn)
                .sort(),
        );
        expect(preview.changeSummary).toEqual({ same: steps.length });
        expect(writes(requestCounts(await project.emulator!.control.log()))).toEqual([]);
        expect(project.stateText()).toBe(before);
    });

    it("refreshes with no change: today's reads find the old state's outputs", async () => {
        await project.pulumi(["refresh", "--yes", "--expect-no-changes", "--stack", project.stack]);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("`pulumi up` changes nothing and sends no write", async () => {
        await project.emulator!.control.clearLog();
        const up = await project.pulumi(["up", "--yes", "--expect-no-changes", "--stack", project.stack]);
        expect(up.stdout).toMatch(new RegExp(`${clickhouseUrns.length + 1} unchanged`));
        expect(writes(requestCounts(await project.emulator!.control.log()))).toEqual([]);
        const ids = Object.fromEntries(project.resources().map((r) => [r.urn, r.id]));
        for (const r of fixtureResources) expect(ids[r.urn]).toBe(r.id);
        await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    });

    it("destroys everything through the old state's shims; the emulator holds nothing afterwards", async () => {
        // A delete runs the shim of the recorded outputs: still the old code's after the refresh and
        // the up (the up recorded today's shim among the inputs only).
        const shims = Object.fromEntries(fixtureResources.map((r) => [r.urn, r.inputs?.__provider]));
        const recorded = project.resources().filter((r) => r.inputs?.__provider);
        expect(recorded).toHaveLength(clickhouseUrns.length);
        for (const r of recorded) expect(r.outputs.__provider).toBe(shims[r.urn]);
        const down = await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack]);
        // The ownership record found nothing of the stack left behind.
        expect(down.stdout + down.stderr).not.toMatch(/ownership mark|interrupted create|not deleted/);
        expect(project.resources().filter((r) => r.type.startsWith("pulumi-nodejs:"))).toEqual([]);
        const objects = await project.emulator!.control.objects();
        expect(objects.services).toEqual([]);
        expect(objects.clickpipes).toEqual([]);
        expect(objects.queryEndpoints).toEqual([]);
        expect(findSecrets(project.allText(), { ...input.secrets, tokenSecret: project.emulator!.keySecret })).toEqual([]);
    });
});
