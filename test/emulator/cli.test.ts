/**
 * The emulator's command line as a user outside the repository meets it: `--help` names the
 * command (no repository paths), the credential lines are `export` lines a shell can `eval`,
 * and `--exports-file` writes the same lines for another shell (and removes them when it stops).
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "dist", "emulator", "cli.js");
const children: ChildProcess[] = [];

afterAll(() => {
    for (const c of children) c.kill("SIGKILL");
});

/** Starts the compiled CLI and resolves with what it printed once the credential lines are out. */
function start(args: string[]): Promise<{ child: ChildProcess; stdout: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
        children.push(child);
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => reject(new Error(`no credential lines within 15 s:\n${stdout}\n${stderr}`)), 15_000);
        child.stdout!.on("data", (d) => {
            stdout += d;
            if (/CLICKHOUSE_TOKEN_SECRET=.+\n/.test(stdout)) {
                clearTimeout(timer);
                resolve({ child, stdout });
            }
        });
        child.stderr!.on("data", (d) => (stderr += d));
        child.on("exit", (code) => reject(new Error(`exited ${code} before printing:\n${stdout}\n${stderr}`)));
    });
}

function stopped(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
    });
}

it("--help names the command and no repository path", () => {
    const r = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: clickhouse-cloud-emulator \[options\]/);
    expect(r.stdout).toContain("--exports-file FILE");
    expect(r.stdout).not.toMatch(/dist\/|npm run|node_modules/);
});

it("prints the credentials as export lines that a shell can eval", async () => {
    const { child, stdout } = await start(["--port", "0", "--quiet"]);
    const exports = stdout.split("\n").filter((l) => l.startsWith("export "));
    expect(exports.map((l) => l.split("=")[0])).toEqual([
        "export CLICKHOUSE_API_URL",
        "export CLICKHOUSE_ORG_ID",
        "export CLICKHOUSE_TOKEN_KEY",
        "export CLICKHOUSE_TOKEN_SECRET",
        "export CLICKHOUSE_EMULATOR_CONTROL_TOKEN",
    ]);
    // A shell that evals them has the variables pulumi reads.
    const shell = spawnSync(
        "bash",
        ["-c", `eval "$1"; echo "$CLICKHOUSE_API_URL|$CLICKHOUSE_ORG_ID|$CLICKHOUSE_TOKEN_KEY"`, "_", exports.join("\n")],
        { encoding: "utf8" },
    );
    expect(shell.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\|7c0f5e1a-4d1b-4c8e-9a55-000000000001\|emulatorKeyId0000001$/);
    // Parsers that look for CLICKHOUSE_API_URL=<url> still find it.
    expect(/CLICKHOUSE_API_URL=(\S+)/.exec(stdout)?.[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    await stopped(child);
});

it("quotes values a shell would split", async () => {
    const { child, stdout } = await start(["--port", "0", "--quiet", "--key-secret", "it's a $ecret"]);
    const line = stdout.split("\n").find((l) => l.startsWith("export CLICKHOUSE_TOKEN_SECRET="))!;
    const shell = spawnSync("bash", ["-c", `eval "$1"; printf %s "$CLICKHOUSE_TOKEN_SECRET"`, "_", line], { encoding: "utf8" });
    expect(shell.stdout).toBe("it's a $ecret");
    await stopped(child);
});

it("--exports-file writes the export lines once it listens, and removes the file when it stops", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-env-"));
    const file = path.join(dir, "emulator.env");
    fs.writeFileSync(file, "export CLICKHOUSE_API_URL=http://127.0.0.1:1\n"); // a stale one from an earlier run
    const { child, stdout } = await start(["--port", "0", "--exports-file", file]);
    const written = fs.readFileSync(file, "utf8");
    expect(written.trim().split("\n")).toEqual(stdout.split("\n").filter((l) => l.startsWith("export ")));
    await stopped(child);
    expect(fs.existsSync(file)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
});
