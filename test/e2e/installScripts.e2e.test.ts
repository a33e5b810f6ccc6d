/**
 * The install scripts run a second time in the shell they set up: `eval "$(bash
 * scripts/pulumi-install.sh --print-env)"` twice (CI does it once per Node line) must find the CLI
 * already on PATH and print the same export lines, without an error on stderr.
 */
import { execFileSync, spawnSync } from "child_process";
import * as path from "path";
import { pulumiCliOrSkip, repoRoot } from "./harness";

const cli = pulumiCliOrSkip("install scripts e2e");
const describeCli = cli ? describe : describe.skip;

describeCli("pulumi-install.sh with the CLI already on PATH", () => {
    it("reports the CLI on PATH and writes nothing to stderr", () => {
        const script = path.join(repoRoot, "scripts", "pulumi-install.sh");
        const env = { ...process.env, PATH: `${cli}${path.delimiter}${process.env.PATH ?? ""}` };
        const run = spawnSync("bash", [script, "--print-env"], { env, encoding: "utf8", timeout: 120_000 });
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        expect(run.stdout).toContain("export PULUMI_CLI_DIR=");
        // The reported folder holds a CLI that runs.
        const dir = /export PULUMI_CLI_DIR=(\S+)/.exec(run.stdout)![1].replace(/^'|'$/g, "");
        expect(execFileSync(path.join(dir, "pulumi"), ["version"], { encoding: "utf8" })).toMatch(/^v3\./);
    });
});
