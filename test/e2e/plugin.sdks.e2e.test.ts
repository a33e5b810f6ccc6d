/**
 * The SDKs generated from the plugin face's schema (scripts/gen-sdks.js, into sdk/): each one
 * compile-checked with its language's own tools, and one Go program run for real.
 *
 * - Go: `go build ./...` and `go vet ./...` of the SDK module, against github.com/pulumi/pulumi/sdk/v3
 *   v3.274.1; then test/e2e/go-program (its go.mod replaces the SDK's module with sdk/go) deploys a
 *   Service through the Automation API's inline program against the emulator: up, a preview with no
 *   changes, destroy. The inline program is served from the Go process itself, so no
 *   pulumi-language-go host is needed (none can be installed here: the module proxy refuses
 *   github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3 with 403 Forbidden).
 * - Node.js: `tsc --noEmit` of the SDK's own tsconfig.json, against the repository's @pulumi/pulumi.
 * - Python: `python3 -m compileall` (byte-compiles every file: syntax only; importing the SDK needs
 *   the `pulumi` Python package, which cannot be installed here). Skipped with a printed reason when
 *   there is no python3.
 *
 * Needs Go (an error under CI=true without it, like a missing Pulumi CLI) and, for the Go program,
 * the Pulumi CLI and a built dist/ (the plugin archive). The first run downloads Go modules.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { E2EProject, liveMode, pulumiCliOrSkip, repoRoot } from "./harness";
import { installPluginArchive } from "./pluginSetup";

const SUITE = "plugin.sdks.e2e";
const SDK = path.join(repoRoot, "sdk");
const GO_PROGRAM = path.join(__dirname, "go-program");
const TOKEN = "clickhouse-cloud:index:Service";
const PASSWORD = "S3cret-go-pass-1"; // the program's (test/e2e/go-program/main.go)

interface ToolResult {
    code: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

/** Runs a command without blocking the event loop; never rejects on a non-zero exit. */
function tool(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ToolResult> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
    });
}

/** Like `tool`, but throws with the output when the exit code is not 0. */
async function ok(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ToolResult> {
    const r = await tool(cmd, args, opts);
    if (r.code !== 0)
        throw new Error(
            `${cmd} ${args.join(" ")} (in ${path.relative(repoRoot, opts.cwd)}) exited ${r.code}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`,
        );
    return r;
}

/** Whether `cmd --version`-like probe runs. */
async function has(cmd: string, args: string[]): Promise<boolean> {
    try {
        return (await tool(cmd, args, { cwd: repoRoot })).code === 0;
    } catch {
        return false;
    }
}

function files(dir: string, suffix: string): string[] {
    return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(suffix));
}

const haveGo = fs.existsSync(path.join(repoRoot, "tools", "pulumi-gen-sdk")) && isOnPath("go");
if (!haveGo) {
    const reason = `${SUITE}: no go on PATH (the SDK generator and the Go checks need Go)`;
    if (process.env.CI === "true") throw new Error(`${reason}; CI=true requires it`);
    console.warn(`SKIPPED ${reason}`);
}
const cli = haveGo ? pulumiCliOrSkip(SUITE) : undefined;

function isOnPath(cmd: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

(haveGo ? describe : describe.skip)("the SDKs generated from the plugin schema", () => {
    let generated: ToolResult;

    beforeAll(async () => {
        generated = await ok(process.execPath, [path.join(repoRoot, "scripts", "gen-sdks.js")], { cwd: repoRoot });
        console.log(`${SUITE}: npm run gen:sdks took ${generated.seconds.toFixed(0)} s`);
    }, 900_000);

    it("generates the three SDKs from the committed schema", () => {
        expect(generated.stdout).toMatch(/schema bound: 6 resources/);
        for (const lang of ["nodejs", "python", "go"]) expect(generated.stdout).toMatch(new RegExp(`^${lang}: \\d+ files$`, "m"));
        expect(fs.readFileSync(path.join(SDK, "go", "clickhousecloud", "service.go"), "utf8")).toContain(`"${TOKEN}"`);
        expect(fs.readFileSync(path.join(SDK, "nodejs", "service.ts"), "utf8")).toContain(`'${TOKEN}'`);
        expect(fs.readFileSync(path.join(SDK, "python", "pulumi_clickhouse_cloud", "service.py"), "utf8")).toContain(`"${TOKEN}"`);
    });

    it("Go: the SDK module builds and passes go vet against github.com/pulumi/pulumi/sdk/v3 v3.274.1", async () => {
        const dir = path.join(SDK, "go");
        const sdk = await ok("go", ["list", "-m", "github.com/pulumi/pulumi/sdk/v3"], { cwd: dir });
        expect(sdk.stdout.trim()).toBe("github.com/pulumi/pulumi/sdk/v3 v3.274.1");
        const build = await ok("go", ["build", "./..."], { cwd: dir });
        const vet = await ok("go", ["vet", "./..."], { cwd: dir });
        // The SDK's packages: the root one, its config package and its internal helpers.
        const packages = await ok("go", ["list", "./..."], { cwd: dir });
        expect(packages.stdout.trim().split("\n").sort()).toEqual(
            ["clickhousecloud", "clickhousecloud/config", "clickhousecloud/internal"].map(
                (p) => `github.com/pulumi-clickhouse-cloud/pulumi-clickhouse-cloud/sdk/go/${p}`,
            ),
        );
        console.log(`${SUITE}: go build ${build.seconds.toFixed(0)} s, go vet ${vet.seconds.toFixed(0)} s`);
    }, 900_000);

    it("Node.js: the SDK typechecks (tsc --noEmit) against the repository's @pulumi/pulumi", async () => {
        const dir = path.join(SDK, "nodejs");
        // The SDK has no node_modules of its own: it resolves the repository's.
        expect(require.resolve("@pulumi/pulumi/package.json", { paths: [dir] })).toBe(
            require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] }),
        );
        const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
        await ok(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json"), "--noEmit"], { cwd: dir });
        expect(files(dir, ".ts").length).toBeGreaterThanOrEqual(10);
    }, 300_000);

    it("Python: the SDK byte-compiles (python3 -m compileall; importing it needs the pulumi package)", async () => {
        if (!(await has("python3", ["--version"]))) {
            console.warn(`SKIPPED ${SUITE}: no python3, the Python SDK is generated only`);
            return;
        }
        const dir = path.join(SDK, "python");
        await ok("python3", ["-m", "compileall", "-q", dir], { cwd: dir });
        const sources = files(dir, ".py").filter((f) => !f.includes("__pycache__"));
        expect(sources.length).toBeGreaterThanOrEqual(10);
        expect(files(dir, ".pyc").length).toBe(sources.length);
    }, 300_000);

    const runGo = cli && !liveMode();
    if (cli && liveMode()) console.log(`${SUITE}: the Go program runs against the emulator only; skipped with CLICKHOUSE_LIVE=1`);
    (runGo ? describe : describe.skip)("a Go program through the Automation API's inline program", () => {
        let project: E2EProject;
        let program: string;
        let env: NodeJS.ProcessEnv;

        beforeAll(async () => {
            project = new E2EProject(cli!, "plugin-go");
            // Built first: a broken SDK or program fails here, before the emulator starts.
            program = path.join(project.dir, "go-program");
            const built = await ok("go", ["build", "-buildvcs=false", "-o", program, "."], { cwd: GO_PROGRAM });
            console.log(`${SUITE}: go build of test/e2e/go-program ${built.seconds.toFixed(0)} s`);
            await project.start({ durations: { provisioning: 0.5, starting: 0.5, stopping: 0.5, awaking: 0.5, terminating: 0.5 } });
            await installPluginArchive(project);
            const emu = project.emulator!;
            // The provider's settings reach it only as the stack's configuration (set by the
            // program), not through CLICKHOUSE_* variables.
            env = Object.fromEntries(Object.entries(project.env).filter(([k]) => !k.startsWith("CLICKHOUSE_")));
            const workDir = path.join(project.dir, "project");
            fs.mkdirSync(workDir);
            Object.assign(env, {
                GO_E2E_WORKDIR: workDir,
                GO_E2E_API_URL: emu.url,
                GO_E2E_ORG_ID: emu.organizationId,
                GO_E2E_TOKEN_KEY: emu.keyId,
                GO_E2E_TOKEN_SECRET: emu.keySecret,
            });
        }, 900_000);

        afterAll(async () => {
            await project?.dispose();
        });

        const step = async (name: "up" | "preview" | "destroy"): Promise<{ changes: Record<string, number>; outputs?: any }> => {
            const r = await ok(program, [name], { cwd: project.dir, env });
            project.transcripts.push(`$ go-program ${name}\n${r.stdout}\n${r.stderr}`);
            const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
            if (!line) throw new Error(`go-program ${name} printed no RESULT line\n${r.stdout}\n${r.stderr}`);
            console.log(`${SUITE}: go-program ${name} ${r.seconds.toFixed(1)} s`);
            return JSON.parse(line.slice("RESULT ".length));
        };
        const services = async () =>
            (await project.emulator!.control.objects()).services as Array<{ id: string; name: string; state: string }>;

        it("deploys a Service, previews no changes, and destroys it", async () => {
            const up = await step("up");
            expect(up.changes).toEqual({ create: 2 });
            const [created, ...others] = await services();
            expect(others).toEqual([]);
            expect(created).toMatchObject({ name: "go-warehouse" });
            expect(up.outputs).toEqual({
                name: { value: "go-warehouse", secret: false },
                serviceId: { value: created.id, secret: false },
                state: { value: "running", secret: false },
            });
            const [svc] = project.resources(TOKEN);
            expect(svc.id).toBe(created.id);
            expect(project.allText()).not.toContain(PASSWORD);
            expect(project.allText()).not.toContain(project.emulator!.keySecret);

            // optpreview.ExpectNoChanges() makes the program fail on any change; the summary says so too.
            const preview = await step("preview");
            expect(preview.changes).toEqual({ same: 2 });

            const destroyed = await step("destroy");
            expect(destroyed.changes).toEqual({ delete: 2 });
            expect(await services()).toEqual([]);
        }, 600_000);
    });
});
