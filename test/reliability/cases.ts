/**
 * The reliability cases, each a function returning its figures, shared by the full suite
 * (`npm run test:reliability`) and its short form inside `npm test`. Every case ends with a
 * secret scan of everything it produced.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { FaultOptions, ResponseRecord } from "../../emulator";
import { selfSignedCertificate } from "../../emulator/realServers";
import { findSecrets } from "../e2e/harness";
import { installPlugin } from "../e2e/pluginSetup";
import { BAD_INPUT_PROGRAM, BAD_INPUT_SECRETS, BadInput } from "./badInputs";
import {
    ChildEmulator,
    control,
    countRequests,
    freePort,
    killTree,
    objectCounts,
    passwordHashes,
    PRIVATE_ENDPOINT_EXTRA,
    randomSecret,
    RelProject,
    responseHooks,
    SECRET_EXTRAS,
    serviceIdsCreated,
    sleep,
    TYPES,
} from "./lib";

const UUID_IN_PATH = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const SERVICES = new RegExp(`/services$`);
const SERVICE = new RegExp(`/services/${UUID_IN_PATH}$`);

/** Business objects the emulator holds (the org-level private endpoint registry is not one: see the report). */
async function leftovers(url: string): Promise<number> {
    const c = await objectCounts(url);
    return c.services + c.clickpipes + c.queryEndpoints;
}

function up(p: RelProject, extra: string[] = []) {
    return p.run(["up", "--yes", "--skip-preview", "--stack", p.stack, ...extra]);
}
function destroy(p: RelProject) {
    return p.run(["destroy", "--yes", "--skip-preview", "--stack", p.stack]);
}
function previewNoChanges(p: RelProject) {
    return p.run(["preview", "--expect-no-changes", "--stack", p.stack]);
}
function tail(r: { stdout: string; stderr: string }, n = 3000): string {
    return `${r.stdout.slice(-n)}\n${r.stderr.slice(-n)}`;
}

// ---------------------------------------------------------------------------------------------
// 1. Fault soak

export interface SoakOptions {
    cycles: number;
    faults: FaultOptions;
    /** Requests per 10 s the other client spends from the same key's budget of 10. */
    otherClientPerWindow: number;
}

export interface SoakFigures {
    cyclesPassed: number;
    cycles: number;
    servicesCreated: number;
    servicesExpected: number;
    leftAfterDestroy: number[];
    duplicates: number;
    otherClientRequests: number;
    throttled: number;
    injectedFailures: number;
    secretHits: string[];
    failures: string[];
    seconds: number;
}

export async function soak(cli: string, opts: SoakOptions): Promise<SoakFigures> {
    const started = Date.now();
    const p = new RelProject(cli, "soak");
    const fig: SoakFigures = {
        cyclesPassed: 0,
        cycles: opts.cycles,
        servicesCreated: 0,
        servicesExpected: opts.cycles,
        leftAfterDestroy: [],
        duplicates: 0,
        otherClientRequests: 0,
        throttled: 0,
        injectedFailures: 0,
        secretHits: [],
        failures: [],
        seconds: 0,
    };
    let timer: NodeJS.Timeout | undefined;
    try {
        await p.startEmulator({ faults: opts.faults, rateLimit: { requests: 10, windowSeconds: 10 } });
        const emu = p.emulator!;
        p.useRootProgram(PRIVATE_ENDPOINT_EXTRA);
        await p.initRootStack();
        // Another client of the same key (a second pipeline, a dashboard) spending part of its budget.
        if (opts.otherClientPerWindow > 0) {
            const auth = "Basic " + Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64");
            timer = setInterval(() => {
                fig.otherClientRequests++;
                http.get(`${emu.url}/v1/organizations/${emu.organizationId}/services`, { headers: { authorization: auth } }, (res) =>
                    res.resume(),
                ).on("error", () => undefined);
            }, 10_000 / opts.otherClientPerWindow);
        }
        const known = new Set<string>();
        for (let cycle = 1; cycle <= opts.cycles; cycle++) {
            const problems: string[] = [];
            const u = await up(p);
            if (u.code !== 0) problems.push(`up exited ${u.code}: ${tail(u)}`);
            else {
                await p.learnGeneratedPasswords();
                const counts = await objectCounts(emu.url);
                if (counts.services !== 1 || counts.clickpipes !== 1 || counts.queryEndpoints !== 1)
                    problems.push(`after up: ${JSON.stringify(counts)}`);
                const inState = Object.values(TYPES).map((t) => p.stateResources(t).length);
                if (inState.some((n) => n !== 1)) problems.push(`state holds ${JSON.stringify(inState)} resources per kind`);
                const pv = await previewNoChanges(p);
                if (pv.code !== 0) problems.push(`preview --expect-no-changes exited ${pv.code}: ${tail(pv)}`);
            }
            const d = await destroy(p);
            if (d.code !== 0) problems.push(`destroy exited ${d.code}: ${tail(d)}`);
            const left = await leftovers(emu.url);
            fig.leftAfterDestroy.push(left);
            if (left !== 0) problems.push(`${left} objects left after destroy`);
            const created = serviceIdsCreated(await emu.control.events()).filter((id) => !known.has(id));
            created.forEach((id) => known.add(id));
            fig.servicesCreated += created.length;
            if (created.length > 1) fig.duplicates += created.length - 1;
            if (created.length !== 1) problems.push(`${created.length} services created in this cycle`);
            if (problems.length === 0) fig.cyclesPassed++;
            else fig.failures.push(`cycle ${cycle}: ${problems.join("; ")}`);
            console.log(
                `soak cycle ${cycle}/${opts.cycles}: ${problems.length === 0 ? "passed" : "FAILED " + problems.join("; ").slice(0, 2000)}`,
            );
        }
        const log = await emu.control.log();
        fig.throttled = log.filter((e) => e.status === 429).length;
        fig.injectedFailures = log.filter((e) => e.status === 500 || e.status === 503 || e.status === 0).length;
        fig.secretHits = await p.secretHits();
    } finally {
        if (timer) clearInterval(timer);
        fig.seconds = Math.round((Date.now() - started) / 1000);
        await p.dispose();
    }
    return fig;
}

// ---------------------------------------------------------------------------------------------
// 2. Crash and resume

export interface CrashPoint {
    label: string;
    /** True for the API answer right after which the run is killed. */
    matches: (r: ResponseRecord, seen: ResponseRecord[]) => boolean;
}

const ok = (r: ResponseRecord) => r.status >= 200 && r.status < 300;

export const CRASH_POINTS: CrashPoint[] = [
    { label: "service POST accepted", matches: (r) => r.method === "POST" && SERVICES.test(r.path) && ok(r) },
    {
        label: "service provisioning (second status poll)",
        matches: (r, seen) =>
            r.method === "GET" &&
            SERVICE.test(r.path) &&
            ok(r) &&
            seen.filter((s) => s.method === "GET" && SERVICE.test(s.path)).length === 2,
    },
    { label: "replica scaling PATCH accepted", matches: (r) => r.method === "PATCH" && /\/replicaScaling$/.test(r.path) && ok(r) },
    { label: "query endpoint POST accepted", matches: (r) => r.method === "POST" && /\/serviceQueryEndpoint$/.test(r.path) && ok(r) },
    { label: "ClickPipe POST accepted", matches: (r) => r.method === "POST" && /\/clickpipes$/.test(r.path) && ok(r) },
];

/**
 * What a user runs after an interrupted `pulumi up` (the README's recovery steps): release the
 * lock the killed run left, drop its pending creates (the provider finds interrupted services
 * by their creation tag, so nothing is lost), then apply again.
 */
export async function recover(p: RelProject): Promise<string[]> {
    const problems: string[] = [];
    const cancel = await p.run(["cancel", "--yes", "--stack", p.stack]);
    if (cancel.code !== 0 && !/no update|not currently/i.test(cancel.stdout + cancel.stderr))
        problems.push(`cancel exited ${cancel.code}: ${tail(cancel)}`);
    const refresh = await p.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates", "--stack", p.stack]);
    if (refresh.code !== 0) problems.push(`refresh exited ${refresh.code}: ${tail(refresh)}`);
    const again = await up(p);
    if (again.code !== 0) problems.push(`up after recovery exited ${again.code}: ${tail(again)}`);
    return problems;
}

export interface CrashFigures {
    points: Array<{
        label: string;
        killedAt?: string;
        pendingCreates: number;
        services: number;
        pipes: number;
        leftAfterDestroy: number;
        passed: boolean;
        problems: string[];
    }>;
    passed: number;
    duplicates: number;
    secretHits: string[];
    seconds: number;
}

export async function crashAndResume(cli: string, points: CrashPoint[]): Promise<CrashFigures> {
    const started = Date.now();
    const p = new RelProject(cli, "crash");
    const fig: CrashFigures = { points: [], passed: 0, duplicates: 0, secretHits: [], seconds: 0 };
    try {
        await p.startEmulator({ rateLimit: false });
        const emu = p.emulator!;
        p.useRootProgram(PRIVATE_ENDPOINT_EXTRA);
        await p.initRootStack();
        for (const point of points) {
            const problems: string[] = [];
            const seen: ResponseRecord[] = [];
            let killedAt: string | undefined;
            responseHooks.current = (r) => {
                if (killedAt) return;
                seen.push(r);
                if (p.running && point.matches(r, seen)) {
                    killedAt = `${r.method} ${r.path.replace(new RegExp(UUID_IN_PATH, "g"), "{id}")} -> ${r.status}`;
                    killTree(p.running.pid!);
                }
            };
            const killed = await up(p);
            responseHooks.current = undefined;
            if (!killedAt) problems.push(`the run ended (exit ${killed.code}) before the crash point was reached`);
            const pendingCreates = p.pendingOperations().filter((o) => o.type === "creating").length;
            problems.push(...(await recover(p)));
            const counts = await objectCounts(emu.url);
            const services = (await emu.control.objects()).services;
            const names = services.map((s: { name: string }) => s.name);
            if (counts.services !== 1) problems.push(`${counts.services} services exist after recovery (${names.join(", ")}); declared: 1`);
            if (counts.clickpipes !== 1) problems.push(`${counts.clickpipes} ClickPipes exist after recovery; declared: 1`);
            if (p.pendingOperations().length) problems.push(`pending operations left: ${p.pendingOperations().length}`);
            const stateIds = p.stateResources(TYPES.service).map((r) => r.id);
            if (services.length && stateIds[0] !== services[0].id)
                problems.push(`state has service ${stateIds.join(",")} but the API has ${services[0].id}`);
            const pv = await previewNoChanges(p);
            if (pv.code !== 0) problems.push(`preview after recovery exited ${pv.code}: ${tail(pv)}`);
            await p.learnGeneratedPasswords();
            const d = await destroy(p);
            if (d.code !== 0) problems.push(`destroy exited ${d.code}: ${tail(d)}`);
            const left = await leftovers(emu.url);
            if (left) problems.push(`${left} objects left after destroy`);
            fig.duplicates += Math.max(0, counts.services - 1) + Math.max(0, counts.clickpipes - 1);
            const passed = problems.length === 0;
            if (passed) fig.passed++;
            fig.points.push({
                label: point.label,
                killedAt,
                pendingCreates,
                services: counts.services,
                pipes: counts.clickpipes,
                leftAfterDestroy: left,
                passed,
                problems,
            });
            console.log(
                `crash "${point.label}" killed at ${killedAt}; pending creates ${pendingCreates}: ${passed ? "recovered" : "FAILED " + problems.join("; ").slice(0, 3000)}`,
            );
        }
        fig.secretHits = await p.secretHits();
    } finally {
        responseHooks.current = undefined;
        fig.seconds = Math.round((Date.now() - started) / 1000);
        await p.dispose();
    }
    return fig;
}

// ---------------------------------------------------------------------------------------------
// 3. Emulator restart in the middle of an up

export interface RestartFigures {
    outageSeconds: number;
    firstUpCode: number;
    firstUpSeconds: number;
    firstUpMessage: string;
    secondUpCode: number;
    services: number;
    duplicates: number;
    leftAfterDestroy: number;
    secretHits: string[];
    problems: string[];
}

/** One service with a short create timeout: an outage longer than it must end the run with a clear message. */
const SHORT_TIMEOUT_PROGRAM = (timeout: string) => `
import * as clickhouse from "pulumi-clickhouse-cloud";
const svc = new clickhouse.Service("svc", { name: "bounded", provider: "aws", region: "eu-central-1", ipAccessList: [{ source: "10.0.0.0/8" }], timeouts: { create: "${timeout}" } });
export const id = svc.id;
export const password = svc.password;
`;

/**
 * Kills the emulator right after the service POST was accepted and restarts it on its data file
 * after `outageSeconds`. With `createTimeout`, the program is one service with that create
 * timeout, and an outage longer than it must end the first run with a clear message.
 */
export async function emulatorRestart(cli: string, outageSeconds: number, opts: { createTimeout?: string } = {}): Promise<RestartFigures> {
    const p = new RelProject(cli, "restart");
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rel-restart-"));
    const dataFile = path.join(dataDir, "emulator.json");
    const keySecret = randomSecret("tokensecret");
    const emu = new ChildEmulator(await freePort(), ["--data-file", dataFile, "--no-rate-limit", "--key-secret", keySecret]);
    const fig: RestartFigures = {
        outageSeconds,
        firstUpCode: -1,
        firstUpSeconds: 0,
        firstUpMessage: "",
        secondUpCode: -1,
        services: 0,
        duplicates: 0,
        leftAfterDestroy: -1,
        secretHits: [],
        problems: [],
    };
    try {
        await emu.start();
        p.useApi({
            CLICKHOUSE_API_URL: emu.url,
            CLICKHOUSE_ORG_ID: "7c0f5e1a-4d1b-4c8e-9a55-000000000001",
            CLICKHOUSE_TOKEN_KEY: "emulatorKeyId0000001",
            CLICKHOUSE_TOKEN_SECRET: keySecret,
        });
        if (opts.createTimeout) {
            p.writeProgram(SHORT_TIMEOUT_PROGRAM(opts.createTimeout));
            await p.initStack();
        } else {
            p.useRootProgram(PRIVATE_ENDPOINT_EXTRA);
            await p.initRootStack();
        }
        // Restart right after the service POST was accepted, while the run waits for it.
        const running = up(p);
        let restarted = false;
        for (let i = 0; i < 600 && !restarted; i++) {
            await sleep(100);
            const log = await control(emu.url, "GET", "/log").catch(() => []);
            if (countRequests(log, "POST", SERVICES, 200) > 0) {
                const before = JSON.parse(fs.readFileSync(dataFile, "utf8"));
                await emu.kill();
                await sleep(outageSeconds * 1000);
                await emu.start();
                restarted = true;
                if (Object.keys(before.services ?? {}).length !== 1)
                    fig.problems.push("the data file did not hold the service at the restart");
            }
        }
        if (!restarted) fig.problems.push("no service POST seen: restart not done");
        const first = await running;
        fig.firstUpCode = first.code;
        fig.firstUpSeconds = Math.round(first.seconds);
        const errorLine = (first.stdout + first.stderr)
            .split("\n")
            .find((l) => /^\s*\* /.test(l) || (/error: /.test(l) && /ClickHouse Cloud/.test(l)));
        fig.firstUpMessage = errorLine?.trim().slice(0, 300) ?? "";
        const clear = /network error|ECONNREFUSED|ECONNRESET|unavailable|timed out|timeout/i;
        if (first.code !== 0 && !clear.test(first.stdout + first.stderr))
            fig.problems.push(`first up failed without a clear message: ${tail(first)}`);
        if (opts.createTimeout && first.code === 0)
            fig.problems.push(`the first up outlasted a ${outageSeconds} s outage although its create timeout is ${opts.createTimeout}`);
        const second = await up(p);
        fig.secondUpCode = second.code;
        if (second.code !== 0) fig.problems.push(`second up exited ${second.code}: ${tail(second)}`);
        const counts = await objectCounts(emu.url);
        fig.services = counts.services;
        fig.duplicates = Math.max(0, counts.services - 1) + Math.max(0, counts.clickpipes - 1);
        if (counts.services !== 1) fig.problems.push(`${counts.services} services after the second up`);
        const pv = await previewNoChanges(p);
        if (pv.code !== 0) fig.problems.push(`preview after the second up exited ${pv.code}: ${tail(pv)}`);
        await p.learnGeneratedPasswords();
        const d = await destroy(p);
        if (d.code !== 0) fig.problems.push(`destroy exited ${d.code}: ${tail(d)}`);
        fig.leftAfterDestroy = await leftovers(emu.url);
        p.extraTexts.push(JSON.stringify(await control(emu.url, "GET", "/log")), fs.readFileSync(dataFile, "utf8"), emu.stderr);
        fig.secretHits = await p.secretHits();
    } finally {
        await emu.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
        await p.dispose();
    }
    return fig;
}

// ---------------------------------------------------------------------------------------------
// 4. Failure states

export interface FailureFigures {
    serviceError: string;
    pipeError: string;
    serviceInState: boolean;
    pipeInState: boolean;
    leftAfterDestroy: number;
    secretHits: string[];
    problems: string[];
}

const FAILURE_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";
const config = new pulumi.Config();
const main = new clickhouse.Service("main", { name: "main", provider: "aws", region: "eu-central-1", ipAccessList: [{ source: "10.0.0.0/8" }] });
new clickhouse.Service("doomed", { name: "doomed", provider: "aws", region: "eu-central-1", password: config.requireSecret("doomedPassword") });
new clickhouse.ClickPipe("stuck", {
    serviceId: main.id,
    name: "stuck",
    source: { kafka: { type: "kafka", format: "JSONEachRow", brokers: "b:9092", topics: "t", authentication: "PLAIN",
        credentials: { username: "u", password: config.requireSecret("kafkaPassword") } } },
    destination: { database: "default", table: "t", managedTable: true, tableDefinition: { engine: { type: "MergeTree" } }, columns: [{ name: "a", type: "String" }] },
    fieldMappings: [{ sourceField: "a", destinationField: "a" }],
});
`;

export async function failureStates(cli: string): Promise<FailureFigures> {
    const p = new RelProject(cli, "failures");
    const fig: FailureFigures = {
        serviceError: "",
        pipeError: "",
        serviceInState: false,
        pipeInState: false,
        leftAfterDestroy: -1,
        secretHits: [],
        problems: [],
    };
    try {
        await p.startEmulator({ rateLimit: false });
        const emu = p.emulator!;
        p.writeProgram(FAILURE_PROGRAM);
        const doomedPassword = randomSecret("doomedpw");
        await p.initRootStack({ doomedPassword });
        Object.assign(p.secrets, passwordHashes("doomed password", doomedPassword));
        let serviceId = "";
        let pipeId = "";
        responseHooks.current = (r) => {
            if (!ok(r) || r.method !== "POST") return;
            const result = JSON.parse(r.body).result;
            if (SERVICES.test(r.path) && result?.service?.name === "doomed") {
                serviceId = result.service.id;
                void emu.control.setState("service", serviceId, "failed");
            }
            if (/\/clickpipes$/.test(r.path)) {
                pipeId = result.id;
                void emu.control.setState("clickpipe", pipeId, "Failed");
            }
        };
        // Without --continue-on-error the engine stops scheduling after the first failure and never reaches the pipe.
        const u = await up(p, ["--continue-on-error"]);
        responseHooks.current = undefined;
        const out = u.stdout + u.stderr;
        if (u.code === 0) fig.problems.push("up succeeded although a service and a pipe failed");
        const lines = out.split("\n").map((l) => l.trim());
        fig.serviceError = lines.find((l) => l.includes(serviceId) && /failed/.test(l) && /doomed/.test(l)) ?? "";
        fig.pipeError = lines.find((l) => l.includes(pipeId) && /Failed/.test(l) && /stuck/.test(l)) ?? "";
        if (!serviceId || !fig.serviceError)
            fig.problems.push(`no error naming service "doomed", its id ${serviceId} and state failed:\n${tail(u)}`);
        if (!pipeId || !fig.pipeError)
            fig.problems.push(`no error naming ClickPipe "stuck", its id ${pipeId} and state Failed:\n${tail(u)}`);
        fig.serviceInState = p.stateResources(TYPES.service).some((r) => r.id === serviceId);
        fig.pipeInState = p.stateResources(TYPES.clickPipe).some((r) => r.id === pipeId);
        if (!fig.serviceInState) fig.problems.push("the failed service is not in the state file");
        if (!fig.pipeInState) fig.problems.push("the failed ClickPipe is not in the state file");
        await p.learnGeneratedPasswords().catch(() => undefined);
        const d = await destroy(p);
        if (d.code !== 0) fig.problems.push(`destroy exited ${d.code}: ${tail(d)}`);
        fig.leftAfterDestroy = await leftovers(emu.url);
        if (fig.leftAfterDestroy) fig.problems.push(`${fig.leftAfterDestroy} objects left after destroy`);
        fig.secretHits = await p.secretHits();
    } finally {
        responseHooks.current = undefined;
        await p.dispose();
    }
    return fig;
}

// ---------------------------------------------------------------------------------------------
// 5. Secrets: every kind of secret through up (at -v=9), preview, an update and destroy

export interface SecretFigures {
    secretsChecked: number;
    labels: string[];
    hits: string[];
    /** Secrets seen only in the Pulumi Node SDK's debug lines of RPC responses (upstream). */
    upstreamHits: string[];
    verboseBytes: number;
    problems: string[];
}

export async function secretCoverage(cli: string): Promise<SecretFigures> {
    const p = new RelProject(cli, "secrets");
    const fig: SecretFigures = { secretsChecked: 0, labels: [], hits: [], upstreamHits: [], verboseBytes: 0, problems: [] };
    try {
        await p.startEmulator({ rateLimit: false });
        p.useRootProgram(SECRET_EXTRAS);
        const vaultPassword = randomSecret("vaultpw");
        const encryptionKey = randomSecret("tdekey");
        p.env.RELIABILITY_VAULT_PASSWORD = vaultPassword;
        p.env.RELIABILITY_ENCRYPTION_KEY = encryptionKey;
        Object.assign(p.secrets, { vaultPassword, encryptionKey });
        await p.initRootStack({ s3SecretKey: randomSecret("s3secret"), postgresPassword: randomSecret("pgpw") });
        Object.assign(p.secrets, passwordHashes("vault password", vaultPassword));
        const u = await up(p, ["--logtostderr", "-v=9"]);
        fig.verboseBytes = u.stderr.length;
        if (u.code !== 0) fig.problems.push(`verbose up exited ${u.code}: ${tail(u)}`);
        await p.learnGeneratedPasswords();
        // A password rotation in place and a failing update: more requests and an error message carrying secret fields.
        const rotated = randomSecret("vaultpw2");
        p.secrets["rotated vault password"] = rotated;
        Object.assign(p.secrets, passwordHashes("rotated vault password", rotated));
        p.env.RELIABILITY_VAULT_PASSWORD = rotated;
        const u2 = await up(p);
        if (u2.code !== 0) fig.problems.push(`password rotation exited ${u2.code}: ${tail(u2)}`);
        await p.emulator!.control.setFaults({ errorRate: 1 });
        const rotatedAgain = randomSecret("vaultpw3");
        p.secrets["second rotated vault password"] = rotatedAgain;
        Object.assign(p.secrets, passwordHashes("second rotated vault password", rotatedAgain));
        p.env.RELIABILITY_VAULT_PASSWORD = rotatedAgain;
        const failing = await p.run(
            [
                "up",
                "--yes",
                "--skip-preview",
                "--stack",
                p.stack,
                "--target",
                `urn:pulumi:${p.stack}::clickhouse-environment::pulumi-nodejs:dynamic/clickhouse:Service::vault`,
            ],
            { CLICKHOUSE_MAX_RETRIES: "1" },
        );
        if (failing.code === 0) fig.problems.push("the update under a 100% error rate succeeded");
        await p.emulator!.control.setFaults({ errorRate: 0 });
        const pv = await p.run(["preview", "--diff", "--stack", p.stack]);
        if (pv.code !== 0) fig.problems.push(`preview exited ${pv.code}: ${tail(pv)}`);
        const d = await destroy(p);
        if (d.code !== 0) fig.problems.push(`destroy exited ${d.code}: ${tail(d)}`);
        fig.labels = Object.keys(p.secrets);
        fig.secretsChecked = fig.labels.length;
        fig.hits = await p.secretHits();
        fig.upstreamHits = [...new Set(p.upstreamHits)];
    } finally {
        await p.dispose();
    }
    return fig;
}

// ---------------------------------------------------------------------------------------------
// 6. Bad input matrix

export interface BadInputResult {
    id: string;
    code: number;
    requests: number;
    namesResource: boolean;
    namesProperty: boolean;
    saysAccepted: boolean;
    leaks: string[];
    message: string;
}

export interface BadInputFigures {
    cases: number;
    refused: number;
    requests: number;
    results: BadInputResult[];
    failures: BadInputResult[];
    secretHits: string[];
    seconds: number;
}

/**
 * The YAML program of one bad-input case on the plugin face: the same resource and arguments as
 * BAD_INPUT_PROGRAM declares from TypeScript (JSON is YAML, so the arguments go in as they are).
 */
export function badInputYaml(c: BadInput): string {
    return [
        "name: bad-inputs",
        "runtime: yaml",
        "resources:",
        `  ${c.id}:`,
        `    type: clickhouse-cloud:index:${c.kind}`,
        `    properties: ${JSON.stringify(c.args)}`,
        "",
    ].join("\n");
}

/**
 * A refusal by the YAML language host's schema check (which runs before the provider's check):
 * `<token> is not assignable from …`, then `<property>: Missing required property '<property>'`
 * or `<property>: Cannot assign type … to type '<enum>'` followed by `Allowed values are "a", "b"`.
 */
export function yamlSchemaRefusal(
    out: string,
    c: BadInput,
    token: string,
): Pick<BadInputResult, "namesResource" | "namesProperty" | "saysAccepted" | "message"> {
    // eslint-disable-next-line no-control-regex -- the CLI's colours
    const text = out.replace(/\x1b\[[0-9;]*m/g, "");
    const at = text.lastIndexOf(`Error: ${token} is not assignable`);
    const block = at < 0 ? "" : text.slice(at, at + 1500).split("\n\n")[0];
    const property = c.property
        .split(".")
        .pop()!
        .replace(/\[\d+\]$/, "");
    const detail = block.split("\n").find((l) => l.trim().startsWith(`${property}: `)) ?? "";
    const allowed = /Allowed values are (.+)/.exec(block)?.[1] ?? "";
    return {
        namesResource: at >= 0,
        namesProperty: detail !== "",
        // Required: the property is named as missing. An enum: every value the schema allows is listed.
        saysAccepted:
            detail.includes(`Missing required property '${property}'`) ||
            (allowed !== "" && c.accepted.test(`accepted values: ${allowed.replace(/"/g, "")}`)),
        message: block.trim().slice(0, 400),
    };
}

/**
 * Runs each case through `pulumi preview`: from the TypeScript program with the classes (the
 * dynamic face), or with `yamlHost`, from a YAML program on the plugin face (the plugin
 * installed from its archive, as a user does).
 */
export async function badInputMatrix(cli: string, cases: BadInput[], workers = 2, yamlHost?: string): Promise<BadInputFigures> {
    // How the engine names the resource in a check failure on each face.
    const token = (c: BadInput) => (yamlHost ? `clickhouse-cloud:index:${c.kind}` : `clickhouse:${c.kind}`);
    const started = Date.now();
    const fig: BadInputFigures = { cases: cases.length, refused: 0, requests: 0, results: [], failures: [], secretHits: [], seconds: 0 };
    const queue = [...cases];
    const projects: RelProject[] = [];
    const worker = async (n: number) => {
        const p = new RelProject(cli, `bad${n}`);
        projects.push(p);
        await p.startEmulator({ rateLimit: false });
        Object.assign(p.secrets, BAD_INPUT_SECRETS);
        if (yamlHost) {
            await installPlugin(p, yamlHost);
            fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), "name: bad-inputs\nruntime: yaml\n");
        } else p.writeProgram(BAD_INPUT_PROGRAM);
        await p.initStack();
        for (let c = queue.shift(); c; c = queue.shift()) {
            if (yamlHost) fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), badInputYaml(c));
            await p.emulator!.control.clearLog();
            const r = await p.run(["preview", "--stack", p.stack], { BAD_INPUT_CASE: JSON.stringify(c) });
            const out = r.stdout + r.stderr;
            const errors = out.split("\n").filter((l) => l.includes(`resource '${c.id}'`) && l.includes("error:"));
            // A warn-only rule: the warning names the resource type and the property, in the preview's diagnostics.
            const warnings = out.split("\n").filter((l) => l.includes("warning:") && l.includes(`clickhouse:${c.kind}`));
            const line = c.warns
                ? (warnings.find((l) => l.includes(`"${c.property}"`) || l.includes(`"${c.property.split(".").pop()}"`)) ??
                  warnings[0] ??
                  "")
                : (errors.find((l) => l.includes(`property ${c.property} `)) ?? errors[0] ?? "");
            // Every request but the preview's one credential check (GET /v1/organizations/{id}, see provider/preflight.ts).
            const log = await p.emulator!.control.log();
            const checks = log.filter((e) => e.method === "GET" && /^\/v1\/organizations\/[^/?]+$/.test(e.path)).length;
            const requests = log.length - Math.min(checks, 1);
            const res: BadInputResult = {
                id: c.id,
                code: r.code,
                requests,
                namesResource: c.warns ? line.includes(`clickhouse:${c.kind}`) : line.includes(`${token(c)} resource '${c.id}'`),
                namesProperty: line.includes(`property ${c.property} `) || line.includes(`"${c.property}"`),
                saysAccepted: c.accepted.test(line),
                leaks: findSecrets(out, BAD_INPUT_SECRETS),
                message: line.trim().slice(0, 400),
            };
            // On the plugin face the YAML host checks types, enums and required properties against
            // the schema before the provider sees the resource, with its own words.
            if (yamlHost && !c.warns && !line) Object.assign(res, yamlSchemaRefusal(out, c, token(c)));
            fig.results.push(res);
            const good =
                (c.warns ? res.code === 0 : res.code !== 0) &&
                res.requests === 0 &&
                res.namesResource &&
                res.namesProperty &&
                res.saysAccepted &&
                res.leaks.length === 0;
            if (good) fig.refused++;
            else fig.failures.push({ ...res, message: res.message || tail(r, 1500) });
            fig.requests += requests;
        }
    };
    try {
        await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
        for (const p of projects) fig.secretHits.push(...(await p.secretHits()));
    } finally {
        fig.seconds = Math.round((Date.now() - started) / 1000);
        for (const p of projects) await p.dispose();
    }
    return fig;
}

// ---------------------------------------------------------------------------------------------
// 7. Credentials and transport

export interface TransportFigures {
    wrongSecret: { code: number; message: string; leaks: string[]; ok: boolean };
    otherOrganization: { code: number; message: string; ok: boolean };
    plainHttp: { code: number; message: string; egress: string[]; ok: boolean };
    tlsUntrusted: { code: number; message: string; requests: number; ok: boolean };
    tlsTrusted: { code: number; services: number; leftAfterDestroy: number; ok: boolean };
    secretHits: string[];
    problems: string[];
}

const ONE_SERVICE = `
import * as clickhouse from "pulumi-clickhouse-cloud";
const svc = new clickhouse.Service("svc", { name: "transport", provider: "aws", region: "eu-central-1", ipAccessList: [{ source: "10.0.0.0/8" }] });
export const id = svc.id;
`;

/** A Node preload that records (and refuses) every connection to a host that is not loopback. */
const NO_EGRESS = `
const net = require("net");
const fs = require("fs");
const loopback = (h) => !h || h === "localhost" || /^127\\./.test(h) || h === "::1" || h === "[::1]";
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
    const o = typeof args[0] === "object" && args[0] !== null && !Array.isArray(args[0]) ? args[0] : { port: args[0], host: typeof args[1] === "string" ? args[1] : undefined };
    if (!o.path && !loopback(o.host)) {
        fs.appendFileSync(process.env.RELIABILITY_EGRESS_LOG, String(o.host) + ":" + String(o.port) + "\\n");
        throw new Error("reliability test: connection to non-loopback host " + o.host + " refused");
    }
    return original.apply(this, args);
};
`;

function errorLines(text: string): string {
    return text
        .split("\n")
        .filter((l) => /error/i.test(l))
        .map((l) => l.trim())
        .join("\n")
        .slice(0, 1500);
}

export async function transport(cli: string): Promise<TransportFigures> {
    const fig: TransportFigures = {
        wrongSecret: { code: -1, message: "", leaks: [], ok: false },
        otherOrganization: { code: -1, message: "", ok: false },
        plainHttp: { code: -1, message: "", egress: [], ok: false },
        tlsUntrusted: { code: -1, message: "", requests: -1, ok: false },
        tlsTrusted: { code: -1, services: -1, leftAfterDestroy: -1, ok: false },
        secretHits: [],
        problems: [],
    };
    const p = new RelProject(cli, "transport");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rel-tls-"));
    let tlsEmu: ChildEmulator | undefined;
    try {
        await p.startEmulator({ rateLimit: false });
        const emu = p.emulator!;
        p.writeProgram(ONE_SERVICE);
        await p.initStack();
        const base = { ...p.env };

        // A wrong secret: 401, said clearly, neither the wrong nor the right secret in any output.
        const wrong = randomSecret("wrongsecret");
        p.secrets["wrong token secret"] = wrong;
        const r1 = await p.run(["up", "--yes", "--skip-preview", "--stack", p.stack], { CLICKHOUSE_TOKEN_SECRET: wrong });
        fig.wrongSecret = {
            code: r1.code,
            message: errorLines(r1.stdout + r1.stderr),
            leaks: findSecrets(r1.stdout + r1.stderr, { wrong, right: emu.keySecret }),
            ok: false,
        };
        fig.wrongSecret.ok =
            r1.code !== 0 &&
            /401/.test(fig.wrongSecret.message) &&
            /tokenSecret|TOKEN_SECRET|key secret/i.test(fig.wrongSecret.message) &&
            fig.wrongSecret.leaks.length === 0;

        // A key of another organization: the emulator's key used with an organization it does not belong to.
        const otherOrg = crypto.randomUUID();
        const r2 = await p.run(["up", "--yes", "--skip-preview", "--stack", p.stack], { CLICKHOUSE_ORG_ID: otherOrg });
        fig.otherOrganization = { code: r2.code, message: errorLines(r2.stdout + r2.stderr), ok: false };
        fig.otherOrganization.ok =
            r2.code !== 0 &&
            /403/.test(fig.otherOrganization.message) &&
            fig.otherOrganization.message.includes(otherOrg) &&
            /organization/i.test(fig.otherOrganization.message);

        // http:// to a non-loopback host (a documentation address, never contacted): refused before any connection.
        const egressLog = path.join(tmp, "egress.log");
        fs.writeFileSync(egressLog, "");
        const preload = path.join(tmp, "no-egress.js");
        fs.writeFileSync(preload, NO_EGRESS);
        const r3 = await p.run(["up", "--yes", "--skip-preview", "--stack", p.stack], {
            CLICKHOUSE_API_URL: "http://192.0.2.1",
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(),
            RELIABILITY_EGRESS_LOG: egressLog,
        });
        const egress = fs.readFileSync(egressLog, "utf8").split("\n").filter(Boolean);
        // The guard works: https:// to the same address is allowed by the configuration, and the guard catches the attempt.
        const r3b = await p.run(["up", "--yes", "--skip-preview", "--stack", p.stack], {
            CLICKHOUSE_API_URL: "https://192.0.2.1",
            CLICKHOUSE_MAX_RETRIES: "0",
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(),
            RELIABILITY_EGRESS_LOG: egressLog,
        });
        const caught = fs.readFileSync(egressLog, "utf8").split("\n").filter(Boolean);
        if (r3b.code === 0 || !caught.some((l) => l.startsWith("192.0.2.1")))
            fig.problems.push(`the egress guard did not catch https://192.0.2.1: ${caught.join(", ")} ${tail(r3b)}`);
        fig.plainHttp = { code: r3.code, message: errorLines(r3.stdout + r3.stderr), egress, ok: false };
        fig.plainHttp.ok =
            r3.code !== 0 &&
            /non-loopback host/.test(fig.plainHttp.message) &&
            /https:\/\//.test(fig.plainHttp.message) &&
            egress.length === 0;

        // https:// with a self-signed certificate: refused, then accepted once trusted with NODE_EXTRA_CA_CERTS.
        const cert = path.join(tmp, "cert.pem");
        const key = path.join(tmp, "key.pem");
        selfSignedCertificate(cert, key, { days: 1, commonName: "127.0.0.1" });
        const tlsSecret = randomSecret("tlstokensecret");
        p.secrets["TLS emulator token secret"] = tlsSecret;
        tlsEmu = new ChildEmulator(await freePort(), ["--no-rate-limit", "--key-secret", tlsSecret, "--tls-cert", cert, "--tls-key", key]);
        await tlsEmu.start();
        const ca = fs.readFileSync(cert);
        const tlsLog = () => tlsControl(tlsEmu!.url, ca, "GET", "/log");
        const tlsEnv = { CLICKHOUSE_API_URL: tlsEmu.url, CLICKHOUSE_TOKEN_SECRET: tlsSecret, NODE_EXTRA_CA_CERTS: "" };
        const r4 = await p.run(["up", "--yes", "--skip-preview", "--stack", p.stack], tlsEnv);
        const requests = (await tlsLog()).length;
        fig.tlsUntrusted = { code: r4.code, message: errorLines(r4.stdout + r4.stderr), requests, ok: false };
        fig.tlsUntrusted.ok =
            r4.code !== 0 &&
            /certificate/i.test(fig.tlsUntrusted.message) &&
            /NODE_EXTRA_CA_CERTS/.test(fig.tlsUntrusted.message) &&
            requests === 0;
        const trusted = { ...tlsEnv, NODE_EXTRA_CA_CERTS: cert };
        const r5 = await p.run(["up", "--yes", "--skip-preview", "--stack", p.stack], trusted);
        const objects = await tlsControl(tlsEmu.url, ca, "GET", "/objects");
        const services = objects.services.length;
        const r6 = await p.run(["destroy", "--yes", "--skip-preview", "--stack", p.stack], trusted);
        const after = await tlsControl(tlsEmu.url, ca, "GET", "/objects");
        fig.tlsTrusted = {
            code: r5.code === 0 ? r6.code : r5.code,
            services,
            leftAfterDestroy: after.services.length,
            ok: r5.code === 0 && r6.code === 0 && services === 1 && after.services.length === 0,
        };
        if (r5.code !== 0) fig.problems.push(`trusted TLS up exited ${r5.code}: ${tail(r5)}`);
        p.env = base;
        p.extraTexts.push(
            JSON.stringify(await tlsLog()),
            tlsEmu.stderr,
            fig.wrongSecret.message,
            fig.otherOrganization.message,
            fig.plainHttp.message,
            fig.tlsUntrusted.message,
        );
        fig.secretHits = await p.secretHits();
    } finally {
        await tlsEmu?.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
        await p.dispose();
    }
    return fig;
}

/** The control API of an emulator serving TLS with a certificate this process trusts explicitly. */
function tlsControl(url: string, ca: Buffer, method: string, p: string): Promise<any> {
    return new Promise((resolve, reject) => {
        const req = https.request(`${url}/_emulator${p}`, { method, ca }, (res) => {
            let text = "";
            res.on("data", (d) => (text += d));
            res.on("end", () => resolve(text ? JSON.parse(text) : undefined));
        });
        req.on("error", reject);
        req.end();
    });
}
