#!/usr/bin/env node
// Regenerates test/fixtures/pre-restructure/: the state a stack had under an earlier commit of
// this package, for the end-to-end test that runs today's code against it (test/e2e/oldState.e2e.test.ts).
//
//   node scripts/make-old-state-fixture.js [--commit ed9b745] [--out test/fixtures/pre-restructure] [--keep]
//
// It checks the commit out into a temporary worktree, installs and builds it there (npm ci), starts
// that commit's emulator with a data file, and deploys the fixture's program (program/) from a
// project inside that checkout, so `pulumi-clickhouse-cloud` and `@pulumi/pulumi` resolve to the old
// code exactly as in a user's project: the `__provider` shims in the state are the old ones. Then it
// exports the stack, stops the emulator (which writes its data file) and copies into --out:
// state.json (`pulumi stack export`, secrets encrypted), emulator-data.json, Pulumi.e2e.yaml (the
// stack's configuration with its encryption salt) and fixture.json (what wrote it, and when). The
// temporary worktree is removed at the end (--keep leaves it, for a look).
const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const cliTools = require("./pulumi-cli.js");

/** The fixed passphrase of the fixture's secrets provider: a test value, stated in the README. */
const PASSPHRASE = "pre-restructure-fixture-passphrase";
const repo = path.resolve(__dirname, "..");

function parseArgs(argv) {
    const opts = { commit: "ed9b745", out: path.join(repo, "test", "fixtures", "pre-restructure"), keep: false };
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--commit") opts.commit = argv[++i];
        else if (argv[i] === "--out") opts.out = path.resolve(argv[++i]);
        else if (argv[i] === "--keep") opts.keep = true;
        else throw new Error(`unknown argument ${argv[i]}`);
    }
    return opts;
}

function run(cmd, args, cwd, env = process.env) {
    console.log(`$ ${cmd} ${args.join(" ")}`);
    const r = spawnSync(cmd, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
}

function capture(cmd, args, cwd) {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return r.stdout.trim();
}

/** Starts the old checkout's emulator CLI; resolves with its process and the CLICKHOUSE_* values it prints. */
function startEmulator(src, dataFile) {
    const args = [
        path.join(src, "dist", "emulator", "cli.js"),
        "--port",
        "0",
        "--no-rate-limit",
        "--data-file",
        dataFile,
        "--duration-provisioning",
        "1",
        "--duration-pipe-provisioning",
        "0.5",
    ];
    const child = spawn(process.execPath, args, { cwd: src, stdio: ["ignore", "pipe", "inherit"] });
    return new Promise((resolve, reject) => {
        let out = "";
        const api = {};
        child.on("exit", (code) => reject(new Error(`the emulator exited ${code} before it listened`)));
        child.stdout.on("data", (d) => {
            out += d;
            // Both spellings: `CLICKHOUSE_X=v` (older CLIs) and `export CLICKHOUSE_X=v`.
            for (const m of out.matchAll(/^(?:export )?(CLICKHOUSE_[A-Z_]+)=(\S+)$/gm)) api[m[1]] = m[2].replace(/^'(.*)'$/, "$1");
            if (api.CLICKHOUSE_TOKEN_SECRET) {
                child.removeAllListeners("exit");
                child.on("exit", (code, signal) => console.log(`# the emulator exited (${signal ?? code})`));
                resolve({ child, api });
            }
        });
    });
}

function stop(child) {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
    });
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    const commit = capture("git", ["rev-parse", "--verify", `${opts.commit}^{commit}`], repo);
    const cliDir = cliTools.findPulumiDir();
    if (!cliDir) throw new Error("no Pulumi CLI found: run `bash scripts/pulumi-install.sh`");
    const programDir = path.join(opts.out, "program");
    const input = JSON.parse(fs.readFileSync(path.join(programDir, "config.json"), "utf8"));

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "old-state-fixture-"));
    const src = path.join(tmp, "src");
    let emulator;
    try {
        run("git", ["worktree", "add", "--detach", src, commit], repo);
        run("npm", ["ci", "--no-audit", "--no-fund"], src);

        const dataFile = path.join(tmp, "emulator-data.json");
        emulator = await startEmulator(src, dataFile);
        // Inside the old checkout: the program resolves the old package and its @pulumi/pulumi.
        const project = path.join(src, ".tmp", "fixture");
        fs.mkdirSync(project, { recursive: true });
        for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(programDir, f), path.join(project, f));
        const env = cliTools.pulumiEnv(cliDir, path.join(tmp, "backend"), {
            ...emulator.api,
            CLICKHOUSE_ATTEMPTS_DIR: path.join(tmp, "attempts"),
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        });
        // Asynchronous, so this process keeps reading the emulator's output meanwhile.
        const pulumi = async (...args) => {
            console.log(`$ pulumi ${args.join(" ")}`);
            const r = await cliTools.runPulumi(cliDir, args, { cwd: project, env, echo: true });
            if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}`);
        };
        const stack = input.stack;
        await pulumi("stack", "init", stack, "--non-interactive");
        for (const [k, v] of Object.entries(input.config)) await pulumi("config", "set", k, v, "--stack", stack);
        for (const [k, v] of Object.entries(input.secrets)) await pulumi("config", "set", "--secret", k, v, "--stack", stack);
        await pulumi("up", "--yes", "--skip-preview", "--stack", stack);
        // The old code agrees with itself: anything the test sees later is a change of today's code.
        await pulumi("preview", "--expect-no-changes", "--stack", stack);
        const stateFile = path.join(tmp, "state.json");
        await pulumi("stack", "export", "--stack", stack, "--file", stateFile);
        const writtenAt = Date.now();
        await stop(emulator.child);
        emulator = undefined;

        const state = fs.readFileSync(stateFile, "utf8");
        // The state must hold them encrypted only. The emulator's data file is the API's side: like the
        // real API it keeps a ClickPipe's credentials (never answering them), here the made-up values
        // of program/config.json.
        for (const [label, secret] of Object.entries(input.secrets)) {
            if (state.includes(secret)) throw new Error(`the secret ${label} is in plain text in the state`);
        }
        const resources = JSON.parse(state).deployment.resources;
        const providers = resources.filter((r) => r.inputs?.__provider).map((r) => r.inputs.__provider);
        if (providers.length === 0 || !providers.every((p) => p.includes('require("pulumi-clickhouse-cloud/runtime")')))
            throw new Error("the state's __provider shims do not load pulumi-clickhouse-cloud/runtime");

        fs.copyFileSync(stateFile, path.join(opts.out, "state.json"));
        fs.copyFileSync(dataFile, path.join(opts.out, "emulator-data.json"));
        fs.copyFileSync(path.join(project, `Pulumi.${stack}.yaml`), path.join(opts.out, `Pulumi.${stack}.yaml`));
        const pulumiPackage = JSON.parse(fs.readFileSync(path.join(src, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"));
        const meta = {
            commit,
            commitSubject: capture("git", ["log", "-1", "--format=%s", commit], repo),
            writtenAt,
            writtenAtIso: new Date(writtenAt).toISOString(),
            stack,
            project: "pre-restructure",
            passphrase: PASSPHRASE,
            pulumiCli: capture(path.join(cliDir, "pulumi"), ["version"], tmp),
            pulumiNodejsSdk: pulumiPackage.version,
            node: process.version,
            resources: resources.map((r) => r.type).reduce((acc, t) => ({ ...acc, [t]: (acc[t] ?? 0) + 1 }), {}),
        };
        fs.writeFileSync(path.join(opts.out, "fixture.json"), JSON.stringify(meta, null, 4) + "\n");
        console.log(`fixture written to ${opts.out}: ${JSON.stringify(meta.resources)}`);
    } finally {
        if (emulator) await stop(emulator.child);
        if (opts.keep) {
            console.log(`kept ${tmp} (remove it with: git worktree remove --force ${src} && rm -rf ${tmp})`);
        } else {
            spawnSync("git", ["worktree", "remove", "--force", src], { cwd: repo, stdio: "inherit" });
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }
}

main().catch((e) => {
    console.error(e.stack ?? e);
    process.exit(1);
});
