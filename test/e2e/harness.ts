/**
 * End-to-end harness: a throwaway Pulumi project under `.tmp/e2e/`, the real Pulumi CLI with a
 * local file backend, and the emulator (or, with CLICKHOUSE_LIVE=1 and credentials, the real
 * API). The project lives inside the repository so it resolves `pulumi-clickhouse-cloud` and
 * `@pulumi/pulumi` from the repository's node_modules, like a user's project does from its own.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator, EmulatorOptions } from "../../emulator";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cliTools = require("../../scripts/pulumi-cli.js");

export const repoRoot = path.resolve(__dirname, "..", "..");

export interface PulumiResult {
    code: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

/** The Pulumi CLI folder, or undefined with a printed reason (an error under CI=true). */
export function pulumiCliOrSkip(suite: string): string | undefined {
    const dir: string | undefined = cliTools.findPulumiDir();
    if (dir) return dir;
    const reason = `${suite}: no Pulumi CLI with pulumi-language-nodejs found (run \`bash scripts/pulumi-install.sh\`)`;
    if (process.env.CI === "true") throw new Error(`${reason}; CI=true requires it`);
    console.warn(`SKIPPED ${reason}`);
    return undefined;
}

/** True when the suite should run against the real API instead of the emulator. */
export function liveMode(): boolean {
    return (
        process.env.CLICKHOUSE_LIVE === "1" &&
        !!process.env.CLICKHOUSE_ORG_ID &&
        !!(process.env.CLICKHOUSE_TOKEN_SECRET || process.env.CLICKHOUSE_CLOUD_API_SECRET)
    );
}

/** Prints why the live variant is skipped (once per suite). */
export function reportLiveSkip(suite: string): void {
    if (!liveMode())
        console.log(
            `${suite}: live run against the real API skipped (set CLICKHOUSE_LIVE=1 and CLICKHOUSE_ORG_ID/TOKEN_KEY/TOKEN_SECRET to enable)`,
        );
}

export class E2EProject {
    readonly dir: string;
    readonly backend: string;
    readonly stack = "e2e";
    env: NodeJS.ProcessEnv = {};
    emulator?: RunningEmulator;
    /** Every CLI run's output, for secret scans. */
    readonly transcripts: string[] = [];

    constructor(
        readonly cli: string,
        readonly name: string,
    ) {
        const id = `${name}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
        this.dir = path.join(repoRoot, ".tmp", "e2e", id);
        this.backend = path.join(this.dir, ".state");
        fs.mkdirSync(this.dir, { recursive: true });
    }

    /** Starts the emulator (unless live) and prepares the CLI environment. */
    async start(emulatorOptions: EmulatorOptions = {}): Promise<void> {
        let api: Record<string, string>;
        if (liveMode()) {
            api = {};
        } else {
            this.emulator = await startEmulator({ port: 0, quiet: true, ...emulatorOptions });
            api = {
                CLICKHOUSE_API_URL: this.emulator.url,
                CLICKHOUSE_ORG_ID: this.emulator.organizationId,
                CLICKHOUSE_TOKEN_KEY: this.emulator.keyId,
                CLICKHOUSE_TOKEN_SECRET: this.emulator.keySecret,
            };
        }
        this.env = cliTools.pulumiEnv(this.cli, this.backend, api);
    }

    /**
     * A request to the organization's API with the stack's key (`suffix` after
     * `/v1/organizations/{id}`), for objects made "outside Pulumi". It shares the key's budget with
     * the provider, so a 429 is waited out for `Retry-After` seconds (up to 6 times), as any other
     * client of the key must; every other answer is returned as it is.
     */
    async orgApi(method: string, suffix: string, body?: unknown): Promise<{ status: number; body: any }> {
        const emu = this.emulator;
        if (!emu) throw new Error("orgApi needs the emulator (it is not started, or the suite runs live)");
        const url = `${emu.url.replace(/\/+$/, "")}/v1/organizations/${emu.organizationId}${suffix}`;
        const headers: Record<string, string> = {
            authorization: `Basic ${Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64")}`,
        };
        if (body !== undefined) headers["content-type"] = "application/json";
        for (let attempt = 0; ; attempt++) {
            const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
            const text = await r.text();
            if (r.status !== 429 || attempt >= 6) return { status: r.status, body: text ? JSON.parse(text) : undefined };
            const wait = Number(r.headers.get("retry-after"));
            await new Promise((done) => setTimeout(done, (Number.isFinite(wait) && wait > 0 ? wait : 1) * 1000 + 50));
        }
    }

    /** Writes Pulumi.yaml and index.ts of the program. */
    writeProgram(source: string, projectName = "e2e-" + this.name): void {
        fs.writeFileSync(
            path.join(this.dir, "Pulumi.yaml"),
            `name: ${projectName}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n`,
        );
        fs.writeFileSync(path.join(this.dir, "index.ts"), source);
    }

    async pulumi(args: string[], opts: { expectCode?: number; env?: NodeJS.ProcessEnv } = {}): Promise<PulumiResult> {
        const result: PulumiResult = await cliTools.runPulumi(this.cli, args, { cwd: this.dir, env: { ...this.env, ...opts.env } });
        // The command line of `config set --secret` holds the secret itself: it is not output.
        const shown = args.includes("--secret") ? args.map((a, i) => (i === args.indexOf("--secret") + 2 ? "[secret]" : a)) : args;
        this.transcripts.push(`$ pulumi ${shown.join(" ")}\n${result.stdout}\n${result.stderr}`);
        const expected = opts.expectCode ?? 0;
        if (result.code !== expected) {
            throw new Error(
                `pulumi ${shown.join(" ")} exited ${result.code} (expected ${expected})\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-4000)}`,
            );
        }
        return result;
    }

    async initStack(config: Record<string, string> = {}, secrets: Record<string, string> = {}): Promise<void> {
        await this.pulumi(["stack", "init", this.stack, "--non-interactive"]);
        for (const [k, v] of Object.entries(config)) await this.pulumi(["config", "set", k, v, "--stack", this.stack]);
        for (const [k, v] of Object.entries(secrets)) await this.pulumi(["config", "set", "--secret", k, v, "--stack", this.stack]);
    }

    async setConfig(key: string, value: string): Promise<void> {
        await this.pulumi(["config", "set", key, value, "--stack", this.stack]);
    }

    up(extra: string[] = []): Promise<PulumiResult> {
        return this.pulumi(["up", "--yes", "--skip-preview", "--stack", this.stack, ...extra]);
    }

    /** The stack's state file (file backend layout). */
    statePath(): string {
        const stacks = path.join(this.backend, ".pulumi", "stacks");
        for (const project of fs.existsSync(stacks) ? fs.readdirSync(stacks) : []) {
            const file = path.join(stacks, project, `${this.stack}.json`);
            if (fs.existsSync(file)) return file;
        }
        const flat = path.join(stacks, `${this.stack}.json`);
        if (fs.existsSync(flat)) return flat;
        throw new Error(`no state file for stack ${this.stack} under ${stacks}`);
    }

    stateText(): string {
        return fs.readFileSync(this.statePath(), "utf8");
    }

    /** Resources of the current deployment, by type. */
    resources(
        type?: string,
    ): Array<{ urn: string; type: string; id?: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }> {
        const state = JSON.parse(this.stateText());
        const all = state.checkpoint?.latest?.resources ?? [];
        return type ? all.filter((r: { type: string }) => r.type === type) : all;
    }

    /** Every text this project produced: state files, CLI transcripts, stack config. */
    allText(): string {
        const texts = [...this.transcripts];
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(p);
                else if (entry.isFile() && fs.statSync(p).size < 50_000_000) texts.push(fs.readFileSync(p, "utf8"));
            }
        };
        if (fs.existsSync(this.backend)) walk(this.backend);
        return texts.join("\n");
    }

    async dispose(): Promise<void> {
        if (this.emulator) await this.emulator.stop();
        if (process.env.KEEP_E2E !== "1") fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Counts of the emulator's request log by "METHOD /path-template" (ids replaced by `{id}`). */
export function requestCounts(log: Array<{ method: string; path: string }>): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of log) {
        const key = `${entry.method} ${entry.path.split("?")[0].replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "{id}")}`;
        counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
}

/** Occurrences of any of `secrets` (and their base64 and URL-encoded forms) in `text`. */
export function findSecrets(text: string, secrets: Record<string, string>): string[] {
    const hits: string[] = [];
    for (const [label, secret] of Object.entries(secrets)) {
        if (!secret) continue;
        const forms = [secret, Buffer.from(secret).toString("base64"), encodeURIComponent(secret)];
        if (forms.some((f) => text.includes(f))) hits.push(label);
    }
    return hits;
}
