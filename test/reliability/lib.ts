/**
 * Shared pieces of the reliability suite: throwaway projects running a copy of the root program
 * (or a given program) through the real Pulumi CLI against the emulator, killing a run at a
 * chosen API call, an emulator in a child process that can be restarted on its data file, and
 * the secret scan every case ends with.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { EmulatorOptions, ResponseRecord } from "../../emulator";
import { E2EProject, findSecrets, PulumiResult, repoRoot } from "../e2e/harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cliTools = require("../../scripts/pulumi-cli.js");

export const TYPES = {
    service: "pulumi-nodejs:dynamic/clickhouse:Service",
    scaling: "pulumi-nodejs:dynamic/clickhouse:ServiceScaling",
    backups: "pulumi-nodejs:dynamic/clickhouse:BackupConfiguration",
    privateEndpoint: "pulumi-nodejs:dynamic/clickhouse:PrivateEndpoint",
    clickPipe: "pulumi-nodejs:dynamic/clickhouse:ClickPipe",
    queryEndpoint: "pulumi-nodejs:dynamic/clickhouse:ServiceQueryEndpoint",
};

/** A random secret that is easy to recognise in a hit report. */
export function randomSecret(label: string): string {
    return `${label}-${crypto.randomBytes(12).toString("hex")}`;
}

/** The private endpoint appended to the root program so that every resource kind is deployed. */
export const PRIVATE_ENDPOINT_EXTRA = `
const endpoint = new clickhouse.PrivateEndpoint("warehouse-endpoint", {
    serviceId: service.id,
    endpointId: "vpce-0123456789abcdef0",
    description: \`\${env} VPC endpoint\`,
});
export const privateEndpointId = endpoint.id;
`;

/**
 * Resources carrying every other kind of secret a user hands over: a given service password, an
 * encryption key, S3 access keys and Postgres credentials (appended to the root program).
 */
export const SECRET_EXTRAS = `
const secretsConfig = new pulumi.Config();
const vault = new clickhouse.Service("vault", {
    name: \`\${env}-vault\`,
    provider: "aws",
    region: "eu-central-1",
    tier: "production",
    ipAccessList: [{ source: "10.1.0.0/16" }],
    // Plain strings, as a program that reads them from its environment passes them: the resource must still keep them secret.
    password: process.env.RELIABILITY_VAULT_PASSWORD!,
    encryptionKey: process.env.RELIABILITY_ENCRYPTION_KEY!,
    encryptionAssumedRoleIdentifier: "arn:aws:iam::123456789012:role/clickhouse-tde",
});
const files = new clickhouse.ClickPipe("files-pipe", {
    serviceId: service.id,
    name: \`\${env}-files\`,
    source: { objectStorage: { type: "s3", format: "CSV", url: "https://bucket.s3.amazonaws.com/logs/*.csv", authentication: "IAM_USER",
        accessKey: { accessKeyId: "AKIAEXAMPLE0000000001", secretKey: secretsConfig.requireSecret("s3SecretKey") } } },
    destination: { database: "default", table: "files", managedTable: true, tableDefinition: { engine: { type: "MergeTree" }, sortingKey: ["line"] },
        columns: [{ name: "line", type: "String" }] },
    fieldMappings: [{ sourceField: "line", destinationField: "line" }],
}, { dependsOn: [events] });
const cdc = new clickhouse.ClickPipe("cdc-pipe", {
    serviceId: service.id,
    name: \`\${env}-cdc\`,
    source: { postgres: { host: "db.example.com", port: 5432, database: "app",
        credentials: { username: "replicator", password: secretsConfig.requireSecret("postgresPassword") },
        settings: { replicationMode: "cdc" }, tableMappings: [{ sourceSchemaName: "public", sourceTable: "users", targetTable: "public_users" }] } },
    destination: { database: "app" },
}, { dependsOn: [files] });
export const vaultId = vault.id;
export const vaultPassword = vault.password;
`;

/**
 * Lines the Pulumi Node SDK (up to at least 3.276.0) logs at debug level with a whole
 * RegisterResource/ReadResource response, secret outputs in plaintext included; they appear
 * with `-v=9 --logtostderr` or `--debug`, and as debug events in every streamed `--json` output
 * (see jsonEvents.ts). Not this package's code: counted apart.
 */
export const UPSTREAM_DEBUG_LINE = /(RegisterResource|ReadResource) RPC finished: .*resp: /;

/** Secrets given to a project, by label; generated ones are added after `up`. */
export type Secrets = Record<string, string>;

/** base64(sha256(p)) and hex(sha1(sha1(p))): what the API receives instead of a given password. */
export function passwordHashes(label: string, password: string): Secrets {
    const sha256 = crypto.createHash("sha256").update(password).digest("base64");
    const sha1 = crypto.createHash("sha1").update(crypto.createHash("sha1").update(password).digest()).digest("hex");
    return { [`${label} (sha256 hash)`]: sha256, [`${label} (double sha1 hash)`]: sha1 };
}

/** Every process below `pid` (children first found, then theirs), from `ps`. */
export function descendants(pid: number): number[] {
    const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
    const children = new Map<number, number[]>();
    for (const line of out.split("\n")) {
        const [p, pp] = line.trim().split(/\s+/).map(Number);
        if (!p || !pp) continue;
        if (!children.has(pp)) children.set(pp, []);
        children.get(pp)!.push(p);
    }
    const all: number[] = [];
    const queue = [pid];
    while (queue.length) {
        const next = children.get(queue.shift()!) ?? [];
        all.push(...next);
        queue.push(...next);
    }
    return all;
}

/** SIGKILLs `pid` and, unless `onlyCli`, every process it started (the language host, the provider). */
export function killTree(pid: number, onlyCli = false): number[] {
    const victims = onlyCli ? [] : descendants(pid);
    for (const p of [pid, ...victims]) {
        try {
            process.kill(p, "SIGKILL");
        } catch {
            // already gone
        }
    }
    return [pid, ...victims];
}

/** A free loopback port. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

/** The emulator's CLI in a child process (so it can be killed and restarted on its data file). */
export class ChildEmulator {
    child?: ChildProcess;
    url = "";
    stderr = "";
    constructor(
        readonly port: number,
        readonly args: string[],
    ) {}

    async start(extra: string[] = []): Promise<void> {
        const cli = path.join(repoRoot, "dist", "emulator", "cli.js");
        const child = spawn(process.execPath, [cli, "--port", String(this.port), "--quiet", ...this.args, ...extra], {
            stdio: ["ignore", "pipe", "pipe"],
        });
        this.child = child;
        child.stderr!.on("data", (d) => (this.stderr += d));
        this.url = await new Promise<string>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out} ${this.stderr}`)), 15000);
            child.stdout!.on("data", (d) => {
                out += d;
                const m = /CLICKHOUSE_API_URL=(\S+)/.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(m[1].replace(/\/v1$/, "")); // the printed API URL ends in /v1; the control API is beside it
                }
            });
            child.once("exit", (code) => reject(new Error(`emulator exited ${code}: ${this.stderr}`)));
        });
    }

    /** SIGKILL (no flush beyond what the data file already holds) and wait for the exit. */
    kill(): Promise<void> {
        return this.signal("SIGKILL");
    }

    /** SIGTERM and wait for the exit. */
    stop(): Promise<void> {
        return this.signal("SIGTERM");
    }

    private async signal(sig: NodeJS.Signals): Promise<void> {
        const child = this.child;
        if (!child || child.exitCode !== null) return;
        await new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill(sig);
        });
    }
}

/** JSON from the emulator's control API at `url` (works for in-process and child emulators). */
export function control<T = any>(url: string, method: string, p: string, body?: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
        const req = http.request(`${url}/_emulator${p}`, { method, headers: { "content-type": "application/json" } }, (res) => {
            let text = "";
            res.on("data", (d) => (text += d));
            res.on("end", () => {
                if ((res.statusCode ?? 500) >= 300) return reject(new Error(`control ${method} ${p} -> ${res.statusCode}: ${text}`));
                resolve(text ? JSON.parse(text) : undefined);
            });
        });
        req.on("error", reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

/** How many of each kind of object the emulator holds. */
export async function objectCounts(
    url: string,
): Promise<{ services: number; clickpipes: number; queryEndpoints: number; privateEndpoints: number; total: number }> {
    const o = await control(url, "GET", "/objects");
    const n = (x: unknown) => (Array.isArray(x) ? x.length : x && typeof x === "object" ? Object.keys(x).length : 0);
    const counts = {
        services: n(o.services),
        clickpipes: n(o.clickpipes),
        queryEndpoints: n(o.queryEndpoints),
        privateEndpoints: n(o.privateEndpoints),
    };
    return { ...counts, total: counts.services + counts.clickpipes + counts.queryEndpoints + counts.privateEndpoints };
}

/** A watcher called with every `/v1` answer of an in-process emulator (set per case). */
export const responseHooks: { current?: (r: ResponseRecord) => void } = {};

/**
 * A throwaway project under `.tmp/e2e/` (like the e2e tests) with its own in-process emulator
 * and a random key secret, so a scan for that secret means something.
 */
export class RelProject extends E2EProject {
    readonly secrets: Secrets = {};
    /** Texts that are not in the project folder: emulator logs, data files, errors thrown in the test. */
    readonly extraTexts: string[] = [];
    /** The child process of the current CLI run. */
    running?: ChildProcess;

    constructor(cli: string, name: string) {
        super(cli, name);
    }

    async startEmulator(opts: EmulatorOptions = {}): Promise<void> {
        const keySecret = randomSecret("tokensecret");
        this.secrets["token secret"] = keySecret;
        await this.start({ keySecret, onResponse: (r) => responseHooks.current?.(r), ...opts });
        // Without the emulator's rate limit, the provider's own pacing only slows the case down.
        if (opts.rateLimit === false) this.env.CLICKHOUSE_RATE_LIMIT = "off";
    }

    /** Points the CLI at an emulator this project does not own (a child process, a TLS one). */
    useApi(api: Record<string, string>): void {
        this.env = cliTools.pulumiEnv(this.cli, this.backend, api);
        if (api.CLICKHOUSE_TOKEN_SECRET) this.secrets["token secret"] = api.CLICKHOUSE_TOKEN_SECRET;
        this.env.CLICKHOUSE_RATE_LIMIT = "off";
    }

    /** Copies the root program (index.ts, Pulumi.yaml, Pulumi.dev.yaml as this stack's file), plus `extra` code. */
    useRootProgram(extra = ""): void {
        fs.writeFileSync(path.join(this.dir, "index.ts"), fs.readFileSync(path.join(repoRoot, "index.ts"), "utf8") + extra);
        fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(this.dir, "Pulumi.yaml"));
        fs.copyFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), path.join(this.dir, `Pulumi.${this.stack}.yaml`));
    }

    /** `stack init`, the Kafka password and any further secret config (all recorded for the scan). */
    async initRootStack(secretConfig: Secrets = {}): Promise<void> {
        await this.pulumi(["stack", "init", this.stack, "--non-interactive"]);
        const all: Secrets = { kafkaPassword: randomSecret("kafkapw"), ...secretConfig };
        for (const [k, v] of Object.entries(all)) {
            this.secrets[k] = v;
            await this.pulumi(["config", "set", "--secret", k, v, "--stack", this.stack]);
        }
    }

    /** Runs the CLI without throwing on a non-zero exit; remembers the child so a case can kill it. */
    async run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<PulumiResult & { signal?: string }> {
        try {
            const onSpawn = (child: ChildProcess) => (this.running = child);
            const result = await cliTools.runPulumi(this.cli, args, { cwd: this.dir, env: { ...this.env, ...env }, onSpawn });
            this.transcripts.push(`$ pulumi ${args.join(" ")}\n${result.stdout}\n${result.stderr}`);
            return result;
        } finally {
            this.running = undefined;
        }
    }

    /** Stack outputs, secrets shown (to learn generated passwords for the scan). */
    async outputs(): Promise<Record<string, unknown>> {
        const out = await this.pulumi(["stack", "output", "--json", "--show-secrets", "--stack", this.stack]);
        this.transcripts.pop(); // the plaintext listing is what we asked for, not a leak
        return JSON.parse(out.stdout);
    }

    /** Adds every generated service password in the stack outputs to the secrets. */
    async learnGeneratedPasswords(): Promise<void> {
        const outs = await this.outputs();
        for (const [k, v] of Object.entries(outs)) {
            if (/password/i.test(k) && typeof v === "string" && v) this.secrets[`output ${k}`] = v;
        }
    }

    /** Services, ClickPipes, ... in the state file. */
    stateResources(type: string) {
        try {
            return this.resources(type);
        } catch {
            return [];
        }
    }

    /** Pending operations recorded in the state file. */
    pendingOperations(): Array<{ type: string; resource: { urn: string; id?: string } }> {
        try {
            return JSON.parse(this.stateText()).checkpoint?.latest?.pending_operations ?? [];
        } catch {
            return [];
        }
    }

    /** Every text to scan, by where it came from: state and backend files, CLI transcripts, program files, emulator log and objects, extra texts. */
    async scanSources(): Promise<Array<{ source: string; text: string }>> {
        const out: Array<{ source: string; text: string }> = [];
        this.transcripts.forEach((t, i) => out.push({ source: `CLI run ${i}: ${t.split("\n")[0]}`, text: t }));
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(p);
                else if (entry.isFile() && fs.statSync(p).size < 50_000_000)
                    out.push({ source: path.relative(this.dir, p), text: fs.readFileSync(p, "utf8") });
            }
        };
        if (fs.existsSync(this.backend)) walk(this.backend);
        for (const f of ["index.ts", `Pulumi.${this.stack}.yaml`]) {
            const p = path.join(this.dir, f);
            if (fs.existsSync(p)) out.push({ source: f, text: fs.readFileSync(p, "utf8") });
        }
        this.extraTexts.forEach((t, i) => out.push({ source: `extra text ${i}`, text: t }));
        if (this.emulator) {
            out.push({ source: "emulator request log", text: JSON.stringify(await this.emulator.control.log()) });
            out.push({ source: "emulator objects", text: JSON.stringify(await this.emulator.control.objects()) });
            out.push({ source: "emulator events", text: JSON.stringify(await this.emulator.control.events()) });
        }
        return out;
    }

    /**
     * Every place a secret appears in plaintext (or base64/URL-encoded) anywhere a user or an
     * attacker could read, with the line it is on. `upstream` marks lines the Pulumi Node SDK
     * writes at debug verbosity with whole RPC responses (see {@link UPSTREAM_DEBUG_LINE}).
     */
    async secretLocations(): Promise<Array<{ label: string; source: string; line: string; upstream: boolean }>> {
        const found: Array<{ label: string; source: string; line: string; upstream: boolean }> = [];
        for (const { source, text } of await this.scanSources()) {
            for (const label of findSecrets(text, this.secrets)) {
                const secret = this.secrets[label];
                for (const form of [secret, Buffer.from(secret).toString("base64"), encodeURIComponent(secret)]) {
                    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length)) {
                        const start = text.lastIndexOf("\n", at) + 1;
                        const end = text.indexOf("\n", at);
                        const line = text.slice(start, end < 0 ? undefined : end);
                        found.push({
                            label,
                            source,
                            line: line.slice(Math.max(0, at - start - 160), at - start).replace(/\s+/g, " ") + "<SECRET>",
                            upstream: UPSTREAM_DEBUG_LINE.test(line),
                        });
                    }
                }
            }
        }
        return found;
    }

    /** Labels of secrets found where this package is responsible (upstream debug lines excluded, and reported). */
    async secretHits(): Promise<string[]> {
        const hits = new Set<string>();
        for (const f of await this.secretLocations()) {
            if (f.upstream) {
                this.upstreamHits.push(`${f.label} in ${f.source}`);
                continue;
            }
            hits.add(f.label);
            console.warn(`secret "${f.label}" found in ${f.source}: ...${f.line}`);
        }
        return [...hits];
    }

    /** Secrets seen only in the Pulumi Node SDK's own debug lines (upstream; reported, not ours to fix). */
    readonly upstreamHits: string[] = [];
}

/** Counts `/v1` requests in an emulator log matching a method and a path pattern. */
export function countRequests(
    log: Array<{ method: string; path: string; status: number }>,
    method: string,
    pattern: RegExp,
    status?: number,
): number {
    return log.filter((e) => e.method === method && pattern.test(e.path.split("?")[0]) && (status === undefined || e.status === status))
        .length;
}

/** Distinct service ids the emulator created (from its transition events). */
export function serviceIdsCreated(events: Array<{ kind: string; id: string }>): string[] {
    return [...new Set(events.filter((e) => e.kind === "service").map((e) => e.id))];
}

/** Figures of the run, printed as one summary line at the end. */
export const figures: Record<string, string> = {};

export function summaryLine(order: string[]): string {
    return (
        "reliability: " +
        order
            .filter((k) => figures[k])
            .map((k) => `${k} ${figures[k]}`)
            .join(", ")
    );
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}
