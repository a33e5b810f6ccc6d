// Finds the Pulumi CLI and runs it offline (local file backend), for the demo, the end-to-end
// tests and the benchmarks. One place decides where the CLI comes from and which environment
// it gets.
const { spawn, spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const PINNED_VERSION = "3.274.1";

/** The folder holding `pulumi` and its Node language host, or undefined. */
function findPulumiDir() {
    const candidates = [];
    if (process.env.PULUMI_CLI_DIR) candidates.push(process.env.PULUMI_CLI_DIR);
    for (const dir of (process.env.PATH || "").split(path.delimiter)) if (dir) candidates.push(dir);
    candidates.push(path.join(os.homedir(), ".pulumi", "versions", PINNED_VERSION, "bin"));
    const versions = path.join(os.homedir(), ".pulumi", "versions");
    if (fs.existsSync(versions)) {
        for (const v of fs.readdirSync(versions).sort().reverse()) candidates.push(path.join(versions, v, "bin"));
    }
    candidates.push(path.join(os.homedir(), ".pulumi", "bin"));
    return candidates.find((dir) => fs.existsSync(path.join(dir, "pulumi")) && fs.existsSync(path.join(dir, "pulumi-language-nodejs")));
}

/** Like findPulumiDir, but builds the CLI from Go modules when none is installed. */
function ensurePulumiDir({ quiet = false } = {}) {
    let dir = findPulumiDir();
    if (dir) return dir;
    if (!quiet) console.log("No Pulumi CLI found: building it from Pulumi's Go modules (first run only, a few minutes)...");
    const result = spawnSync("bash", [path.join(__dirname, "pulumi-install.sh")], { stdio: quiet ? "pipe" : "inherit" });
    if (result.status !== 0) {
        throw new Error(
            `scripts/pulumi-install.sh failed (exit ${result.status}); ${result.stderr ? String(result.stderr).slice(-2000) : "see its output above"}`,
        );
    }
    dir = findPulumiDir();
    if (!dir) throw new Error("scripts/pulumi-install.sh finished but no pulumi with pulumi-language-nodejs was found");
    return dir;
}

/**
 * The environment for an offline CLI run: a file backend in `backendDir`, a passphrase secrets
 * provider, no update checks, TypeScript transpiled without type checking (the package is
 * type-checked by its own build), plus `extra` (for example CLICKHOUSE_* from the emulator).
 */
function pulumiEnv(cliDir, backendDir, extra = {}) {
    fs.mkdirSync(backendDir, { recursive: true });
    return {
        ...process.env,
        PATH: `${cliDir}${path.delimiter}${process.env.PATH || ""}`,
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "local-emulator-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        ...extra,
    };
}

/**
 * Runs `pulumi <args>` in `cwd`. Resolves with {code, stdout, stderr, seconds}; never rejects
 * on a non-zero exit (callers decide). `echo` streams output to this process as well;
 * `onSpawn(child)` receives the process (for tests that kill it mid-run).
 */
function runPulumi(cliDir, args, { cwd, env, echo = false, timeoutMs = 15 * 60_000, onSpawn } = {}) {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(path.join(cliDir, "pulumi"), args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => {
            stdout += d;
            if (echo) process.stdout.write(d);
        });
        child.stderr.on("data", (d) => {
            stderr += d;
            if (echo) process.stderr.write(d);
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, signal, stdout, stderr, seconds: (Date.now() - started) / 1000, pid: child.pid });
        });
        if (onSpawn) onSpawn(child);
    });
}

/**
 * The `pulumi config set` arguments that give the root program (index.ts) its one secret, the
 * Kafka password of its ClickPipe, a fresh random value for `stack`. The value starts with a
 * letter: one starting with "-" (1 base64url draw in 64) would be read by the CLI as a flag.
 */
function kafkaPasswordConfigArgs(stack) {
    return ["config", "set", "--secret", "kafkaPassword", `kp-${crypto.randomBytes(12).toString("base64url")}`, "--stack", stack];
}

module.exports = { PINNED_VERSION, findPulumiDir, ensurePulumiDir, pulumiEnv, runPulumi, kafkaPasswordConfigArgs };
