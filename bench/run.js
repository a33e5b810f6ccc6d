#!/usr/bin/env node
// npm run bench [-- options]
//
// The provider through the real Pulumi CLI against the emulator with the real rate limit
// (10 requests / 10 s), compared with the lower bound the limit allows and with the Terraform
// provider's strategy (bench/baseline.js). Writes bench/results.json and appends a table to
// BENCHMARKS.md (which also defines every figure). Not part of `npm test`.
//
// Options:
//   --quick                 T = 5 s, N = 10 only, no baseline/preview/append (tuning runs)
//   --provisioning S        provisioning time T in seconds (default 20)
//   --stopping S            stopping time (default 1); --terminating S (default 1)
//   --n 1,10,30,100         service counts for converge (and baseline, up to --baseline-max)
//   --baseline-max N        largest N of the baselines (default 30: the Terraform strategy at 100 takes an hour)
//   --only a,b              sections: converge, env, parallel, foreign, baseline, preview, engine
//                           (refresh comes with converge n30, memory with the largest converge;
//                           engine seconds are measured whenever converge, env, parallel or foreign runs)
//   --stacks K              stacks of the parallel cases (default 3); --stack-services N (default 10)
//   --engine-repeats R      runs of the empty program per engine figure, median reported (default 3)
//   --parallel P            engine parallelism passed to up/destroy/refresh/preview (default: the
//                           number of services the command handles, at least 32)
//   --preview-repeats K     previews timed per program, median reported (default 5)
//   --no-append             do not append to BENCHMARKS.md
//   --append-results        only append the table of the existing bench/results.json to BENCHMARKS.md
//
// One case alone: --only parallel (parallel.k3n10), --only foreign (parallel.k3n10.foreign),
// --only env (converge.env), --only converge --n 100 (converge.n100), --only preview, --only engine.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");
const { ensurePulumiDir, kafkaPasswordConfigArgs, pulumiEnv, runPulumi } = require("../scripts/pulumi-cli");
const { lowerBound, parallelLowerBound, envLowerBound } = require("./lowerbound");
const { makeApi, baselineUp, baselineDestroy } = require("./baseline");

const root = path.resolve(__dirname, "..");
const RATE = { requests: 10, windowSeconds: 10 };

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
    const has = (f) => argv.includes(`--${f}`);
    const val = (f, d) => {
        const i = argv.indexOf(`--${f}`);
        return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d;
    };
    const quick = has("quick");
    const o = {
        quick,
        provisioning: Number(val("provisioning", quick ? 5 : 20)),
        stopping: Number(val("stopping", 1)),
        terminating: Number(val("terminating", 1)),
        ns: String(val("n", quick ? "10" : "1,10,30,100"))
            .split(",")
            .map(Number)
            .filter((n) => n > 0),
        baselineMax: Number(val("baseline-max", 30)),
        only: val("only", quick ? "converge" : "converge,env,parallel,foreign,baseline,preview").split(","),
        stacks: Number(val("stacks", 3)),
        stackServices: Number(val("stack-services", 10)),
        engineRepeats: Number(val("engine-repeats", quick ? 1 : 3)),
        parallel: val("parallel", undefined) === undefined ? undefined : Number(val("parallel", undefined)),
        previewRepeats: Number(val("preview-repeats", 5)),
        append: !has("no-append") && !quick,
    };
    const known = ["converge", "env", "parallel", "foreign", "baseline", "preview", "engine"];
    for (const x of o.only) if (!known.includes(x)) throw new Error(`--only ${x}: not a section (${known.join(", ")})`);
    for (const [k, v] of Object.entries(o)) if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`--${k}: not a number`);
    return o;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? x : Math.round(x * 10 ** d) / 10 ** d);
const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : undefined;
};
const percentile = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    if (!s.length) return undefined;
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
function log(msg) {
    console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

/** Counts by "METHOD /path-template" (ids as {id}). */
function requestKinds(entries) {
    const out = {};
    for (const e of entries) {
        const k = `${e.method} ${
            e.path
                .replace(/^\/v1\/organizations\/[^/]+/, "")
                .replace(/\?.*$/, "?…")
                .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "{id}") || "/"
        }`;
        out[k] = (out[k] ?? 0) + 1;
    }
    return out;
}

/** Peak RSS of every `dynamic-provider` node process seen while sampling (VmHWM from /proc). */
function startMemorySampler() {
    const peaks = new Map();
    const sample = () => {
        let pids;
        try {
            pids = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
        } catch {
            return;
        }
        for (const pid of pids) {
            try {
                const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
                if (!cmd.includes("dynamic-provider")) continue;
                const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
                const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
                if (hwm) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, Number(hwm[1])));
            } catch {
                // the process ended between readdir and read
            }
        }
    };
    const timer = setInterval(sample, 100);
    sample();
    return {
        stop() {
            clearInterval(timer);
            sample();
            const kb = Math.max(0, ...peaks.values());
            return { peakRssMb: round(kb / 1024, 1), processes: peaks.size };
        },
    };
}

function gitCommit() {
    try {
        const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
        const dirty = execFileSync(
            "git",
            ["status", "--porcelain", "--untracked-files=no", "--", "provider", "emulator", "bench", "scripts"],
            { cwd: root },
        )
            .toString()
            .trim();
        return dirty ? `${sha}+local changes` : sha;
    } catch {
        return "unknown";
    }
}

function machine(cli) {
    let pulumiVersion = "unknown";
    try {
        pulumiVersion = execFileSync(path.join(cli, "pulumi"), ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } })
            .toString()
            .trim();
    } catch {
        // leave unknown
    }
    return {
        nproc: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? "unknown",
        memoryGb: round(os.totalmem() / 1024 ** 3, 1),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        pulumi: pulumiVersion,
    };
}

// ---------------------------------------------------------------------------------------------
// A throwaway Pulumi project under .tmp/bench (resolves pulumi-clickhouse-cloud via the self-link)

class Project {
    /** `env`: more environment for this project's CLI runs (and so its provider process). */
    constructor(cli, name, emulator, env = {}) {
        this.cli = cli;
        this.stack = "bench";
        this.dir = path.join(root, ".tmp", "bench", `${name}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
        fs.mkdirSync(this.dir, { recursive: true });
        this.env = pulumiEnv(cli, path.join(this.dir, ".state"), {
            CLICKHOUSE_API_URL: emulator.url,
            CLICKHOUSE_ORG_ID: emulator.organizationId,
            CLICKHOUSE_TOKEN_KEY: emulator.keyId,
            CLICKHOUSE_TOKEN_SECRET: emulator.keySecret,
            ...env,
        });
    }
    write(files) {
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(this.dir, name), text);
    }
    async pulumi(args, { allowFail = false } = {}) {
        const res = await runPulumi(this.cli, args, { cwd: this.dir, env: this.env });
        if (res.code !== 0 && !allowFail) {
            throw new Error(
                `pulumi ${args.join(" ")} exited ${res.code}\n--- stdout\n${res.stdout.slice(-5000)}\n--- stderr\n${res.stderr.slice(-3000)}`,
            );
        }
        return res;
    }
    dispose() {
        if (process.env.KEEP_BENCH !== "1") fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

const pulumiYaml = (name) => `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n`;

function servicesProgram(n, prefix = "bench") {
    return `import * as clickhouse from "pulumi-clickhouse-cloud";
// ${n} independent services: the engine creates and deletes them in parallel.
export const ids = Array.from({ length: ${n} }, (_, i) =>
    new clickhouse.Service(\`svc-\${i}\`, { name: \`${prefix}-\${i}\`, provider: "aws", region: "us-east-2", tier: "production" }).id);
`;
}

/** No resources: what up and destroy cost the engine, Node and the program alone. */
const emptyProgram = `import * as clickhouse from "pulumi-clickhouse-cloud";
// No resources: the same commands as the converge runs, for the engine's and Node's own time.
export const kinds = Object.keys(clickhouse).length;
`;

// ---------------------------------------------------------------------------------------------
// Sections

async function startEmu(o, extra = {}) {
    const { startEmulator } = require(path.join(root, "dist", "emulator"));
    return startEmulator({
        port: 0,
        quiet: true,
        rateLimit: { requests: RATE.requests, windowSeconds: RATE.windowSeconds },
        durations: {
            provisioning: o.provisioning,
            stopping: o.stopping,
            terminating: o.terminating,
            pipeProvisioning: PIPE_SECONDS,
            pipeDeleting: PIPE_SECONDS,
        },
        ...extra,
    });
}

function summarize(entries) {
    return { requests: entries.length, status429: entries.filter((e) => e.status === 429).length };
}

function boundFor(o, n) {
    return lowerBound({
        n,
        provisioningSeconds: o.provisioning,
        stoppingSeconds: o.stopping,
        terminatingSeconds: o.terminating,
        rate: RATE,
    });
}

/**
 * The engine parallelism of a command that handles `services` services: `--parallel` when given,
 * else enough for all of them at once (at least 32), as a user who wants them handled together
 * passes it. Each create or delete holds one engine operation for its whole transition, so at
 * `--parallel 32` the up of 100 services waits for the engine, not the API (see BENCHMARKS.md).
 */
function parallelFor(o, services = 0) {
    return String(o.parallel ?? Math.max(32, services));
}

const WINDOW_MS = RATE.windowSeconds * 1000;
/** The emulator's ClickPipe provisioning and deleting times (its default, not changed by the bench). */
const PIPE_SECONDS = 1;

async function converge(cli, o, n, { withRefresh = false, withLag = false } = {}) {
    log(`converge.n${n}: up of ${n} services, then destroy (T = ${o.provisioning} s)`);
    const emu = await startEmu(o);
    const project = new Project(cli, `converge-n${n}`, emu);
    const flags = ["--yes", "--skip-preview", "--parallel", parallelFor(o, n), "--stack", project.stack];
    try {
        project.write({ "Pulumi.yaml": pulumiYaml(`bench-converge-n${n}`), "index.ts": servicesProgram(n) });
        await project.pulumi(["stack", "init", project.stack, "--non-interactive"]);
        await emu.control.clearLog();
        const mem = startMemorySampler();
        const up = await project.pulumi(["up", ...flags]);
        const upMem = mem.stop();
        const upLog = await emu.control.log();
        await emu.control.clearLog();
        let refresh;
        if (withRefresh) {
            await sleep(WINDOW_MS);
            log(`refresh.n${n}`);
            const r = await project.pulumi(["refresh", ...flags]);
            const rLog = await emu.control.log();
            await emu.control.clearLog();
            refresh = { ...summarize(rLog), seconds: round(r.seconds), requestsByKind: requestKinds(rLog) };
        }
        // Each command starts with an unused window, as the lower bound assumes (not counted).
        await sleep(WINDOW_MS);
        const mem2 = startMemorySampler();
        const destroy = await project.pulumi(["destroy", ...flags]);
        const destroyMem = mem2.stop();
        const destroyLog = await emu.control.log();
        const events = await emu.control.events();
        const left = await emu.control.objects();
        if (left.services.length) throw new Error(`converge.n${n}: ${left.services.length} services left after destroy`);
        const bound = boundFor(o, n);
        const all = [...upLog, ...destroyLog];
        const seconds = up.seconds + destroy.seconds;
        const result = {
            seconds: round(seconds),
            upSeconds: round(up.seconds),
            destroySeconds: round(destroy.seconds),
            ...summarize(all),
            upRequests: upLog.length,
            destroyRequests: destroyLog.length,
            lowerBoundSeconds: bound.total,
            lowerBoundUpSeconds: bound.up,
            lowerBoundDestroySeconds: bound.destroy,
            lowerBoundRequests: bound.minRequests,
            ratio: round(seconds / bound.total, 3),
            requestsByKind: requestKinds(all),
            peakRssMb: Math.max(upMem.peakRssMb, destroyMem.peakRssMb),
        };
        const lag = withLag ? lagOf(events, all, emu.organizationId) : undefined;
        fs.writeFileSync(
            path.join(root, ".tmp", "bench", `raw-converge-n${n}.json`),
            JSON.stringify({ upLog, destroyLog, events }, null, 1),
        );
        return { result, refresh, lag };
    } finally {
        await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack], { allowFail: true }).catch(() => undefined);
        await emu.stop();
        project.dispose();
    }
}

/**
 * Lag: for every transition into a state the provider waits for (provisioning → running,
 * stopping → stopped, terminating → gone), the time from the transition (emulator event) to the
 * answer of the first request that could observe it: the list `GET /services` or
 * `GET /services/{that id}`, answered at or after the transition.
 */
function lagOf(events, entries, orgId) {
    const listPath = `/v1/organizations/${orgId}/services`;
    const reqs = entries
        .filter((e) => e.method === "GET" && e.status !== 429)
        .map((e) => ({ path: e.path, done: Date.parse(e.time), arrived: Date.parse(e.time) - e.durationMs }))
        .sort((a, b) => a.arrived - b.arrived);
    const waited = events.filter(
        (e) =>
            e.kind === "service" &&
            ((e.from === "provisioning" && e.to === "running") || (e.from === "stopping" && e.to === "stopped") || e.to === "terminated"),
    );
    const lags = { running: [], stopped: [], gone: [] };
    const missing = [];
    for (const e of waited) {
        const t = Date.parse(e.time);
        const own = `${listPath}/${e.id}`;
        // The emulator applies due transitions while it handles a request, so an answer sent at or
        // after the transition shows it (up to the ~1 ms the handling takes).
        const seen = reqs.find((r) => r.done >= t && (r.path === listPath || r.path === own));
        const key = e.to === "terminated" ? "gone" : e.to;
        if (seen) lags[key].push(seen.done - t);
        else missing.push(`${e.id} ${e.to}`);
    }
    const all = [...lags.running, ...lags.stopped, ...lags.gone];
    const stat = (xs) => ({
        count: xs.length,
        p50Ms: round(percentile(xs, 50), 0),
        p95Ms: round(percentile(xs, 95), 0),
        maxMs: round(Math.max(...xs), 0),
    });
    return {
        ...stat(all),
        byTarget: { running: stat(lags.running), stopped: stat(lags.stopped), gone: stat(lags.gone) },
        unobserved: missing.length,
    };
}

async function baseline(o, n, { fanOut = true } = {}) {
    log(`baseline${fanOut ? "" : "Lean"}.n${n}: the Terraform provider's strategy${fanOut ? "" : " with one GET per check"}`);
    const emu = await startEmu(o);
    const api = makeApi({ url: emu.url, organizationId: emu.organizationId, keyId: emu.keyId, keySecret: emu.keySecret, fanOut });
    try {
        await emu.control.clearLog();
        const up = await baselineUp(api, n);
        const upLog = await emu.control.log();
        await emu.control.clearLog();
        await sleep(WINDOW_MS);
        const destroy = await baselineDestroy(api, up.ids);
        const destroyLog = await emu.control.log();
        const bound = boundFor(o, n);
        const all = [...upLog, ...destroyLog];
        const seconds = up.seconds + destroy.seconds;
        return {
            seconds: round(seconds),
            upSeconds: round(up.seconds),
            destroySeconds: round(destroy.seconds),
            ...summarize(all),
            lowerBoundSeconds: bound.total,
            ratio: round(seconds / bound.total, 3),
            requestsByKind: requestKinds(all),
        };
    } finally {
        api.close();
        await emu.stop();
    }
}

/**
 * `pulumi up` of every project at once, then (after one unused window) `pulumi destroy` of every
 * project at once; the time of a phase runs from the start of its commands to the end of the
 * last. `allowFail`: a project whose command fails is recorded, not thrown.
 */
async function upAndDestroyTogether(projects, flags, emu, { allowFail = false } = {}) {
    const phase = async (args) => {
        const t0 = Date.now();
        const res = await Promise.all(projects.map((p) => p.pulumi([...args, ...flags, "--stack", p.stack], { allowFail })));
        const seconds = (Date.now() - t0) / 1000;
        const entries = emu ? await emu.control.log() : [];
        if (emu) await emu.control.clearLog();
        return { seconds, bySeconds: res.map((r) => round(r.seconds)), codes: res.map((r) => r.code), log: entries, res };
    };
    if (emu) await emu.control.clearLog();
    const up = await phase(["up"]);
    // Without an API (the empty program) there is no window to wait for.
    if (emu) await sleep(WINDOW_MS);
    const destroy = await phase(["destroy"]);
    return { up, destroy };
}

/**
 * engineSeconds: the same up and destroy commands on a program with no resources, alone (for the
 * converge figures) and K at once (for the parallel ones: K engines share the machine's CPUs).
 * Median of `--engine-repeats` runs of each.
 */
async function engineSeconds(cli, o, { together = true } = {}) {
    log(
        `engineSeconds: up + destroy of a program with no resources, alone${together ? ` and ${o.stacks} at once` : ""} (${o.engineRepeats} runs each)`,
    );
    const emu = await startEmu(o);
    const flags = ["--yes", "--skip-preview", "--parallel", parallelFor(o)];
    const measure = async (k) => {
        const runs = [];
        for (let r = 0; r < o.engineRepeats; r++) {
            const projects = Array.from({ length: k }, (_, i) => new Project(cli, `engine-k${k}-${i}`, emu));
            try {
                for (const p of projects) {
                    p.write({ "Pulumi.yaml": pulumiYaml(`bench-engine-${p.dir.slice(-6)}`), "index.ts": emptyProgram });
                    await p.pulumi(["stack", "init", p.stack, "--non-interactive"]);
                }
                const { up, destroy } = await upAndDestroyTogether(projects, flags, undefined);
                runs.push({ seconds: up.seconds + destroy.seconds, upSeconds: up.seconds, destroySeconds: destroy.seconds });
            } finally {
                projects.forEach((p) => p.dispose());
            }
        }
        const pick = (f) => round(median(runs.map((x) => x[f])), 2);
        return {
            seconds: pick("seconds"),
            upSeconds: pick("upSeconds"),
            destroySeconds: pick("destroySeconds"),
            samples: runs.map((x) => round(x.seconds, 2)),
        };
    };
    try {
        const alone = await measure(1);
        return together ? { ...alone, [`k${o.stacks}`]: await measure(o.stacks) } : alone;
    } finally {
        await emu.stop();
    }
}

/**
 * parallel.k{K}n{N}: K stacks of N services through one key and one emulator, up together, then
 * destroy together. `foreign`: the last stack's provider does not share the budget
 * (CLICKHOUSE_RATE_LIMIT_SHARED=off), as if it ran on another machine.
 */
async function parallelStacks(cli, o, { foreign = false } = {}) {
    const K = o.stacks;
    const N = o.stackServices;
    const name = `k${K}n${N}${foreign ? ".foreign" : ""}`;
    log(
        `parallel.${name}: ${K} stacks of ${N} services, one key, up together then destroy together${foreign ? "; the last one does not share the budget" : ""}`,
    );
    const emu = await startEmu(o);
    const projects = Array.from(
        { length: K },
        (_, i) => new Project(cli, `parallel-${name}-${i}`, emu, foreign && i === K - 1 ? { CLICKHOUSE_RATE_LIMIT_SHARED: "off" } : {}),
    );
    const flags = ["--yes", "--skip-preview", "--parallel", parallelFor(o, N)];
    try {
        for (const [i, p] of projects.entries()) {
            p.write({ "Pulumi.yaml": pulumiYaml(`bench-parallel-${i}`), "index.ts": servicesProgram(N, `bench-s${i}`) });
            await p.pulumi(["stack", "init", p.stack, "--non-interactive"]);
        }
        const mem = startMemorySampler();
        const { up, destroy } = await upAndDestroyTogether(projects, flags, emu, { allowFail: foreign });
        const memory = mem.stop();
        const left = (await emu.control.objects()).services.length;
        const failed = projects.map((_, i) => (up.codes[i] !== 0 || destroy.codes[i] !== 0 ? i : -1)).filter((i) => i >= 0);
        if (!foreign && (failed.length > 0 || left > 0)) {
            const r = up.res[failed[0]] ?? destroy.res[failed[0]];
            throw new Error(
                `parallel.${name}: stacks ${failed.join(", ")} failed, ${left} services left\n${r ? r.stdout.slice(-3000) + r.stderr.slice(-2000) : ""}`,
            );
        }
        const all = [...up.log, ...destroy.log];
        const bound = parallelLowerBound({
            stacks: K,
            servicesPerStack: N,
            provisioningSeconds: o.provisioning,
            stoppingSeconds: o.stopping,
            terminatingSeconds: o.terminating,
            rate: RATE,
        });
        const seconds = up.seconds + destroy.seconds;
        const sum = summarize(all);
        fs.writeFileSync(
            path.join(root, ".tmp", "bench", `raw-parallel-${name}.json`),
            JSON.stringify({ upLog: up.log, destroyLog: destroy.log }, null, 1),
        );
        return {
            seconds: round(seconds),
            upSeconds: round(up.seconds),
            destroySeconds: round(destroy.seconds),
            upSecondsByStack: up.bySeconds,
            destroySecondsByStack: destroy.bySeconds,
            ...sum,
            status429Share: round(sum.status429 / Math.max(1, sum.requests), 3),
            upRequests: up.log.length,
            destroyRequests: destroy.log.length,
            lowerBoundSeconds: bound.total,
            lowerBoundUpSeconds: bound.up,
            lowerBoundDestroySeconds: bound.destroy,
            lowerBoundRequests: bound.minRequests,
            ratio: round(seconds / bound.total, 3),
            converged: failed.length === 0 && left === 0,
            stacksFailed: failed,
            servicesLeft: left,
            sharingOffFor: foreign ? 1 : 0,
            requestsByKind: requestKinds(all),
            peakRssMb: memory.peakRssMb,
        };
    } finally {
        for (const p of projects)
            await p.pulumi(["destroy", "--yes", "--skip-preview", "--stack", p.stack], { allowFail: true }).catch(() => undefined);
        await emu.stop();
        projects.forEach((p) => p.dispose());
    }
}

/** Copies the root program into `project` and creates `stack` with a random Kafka password. */
async function initRootProgram(project, stack) {
    for (const f of ["index.ts", "Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(root, f), path.join(project.dir, f));
    await project.pulumi(["stack", "init", stack, "--non-interactive"]);
    await project.pulumi(kafkaPasswordConfigArgs(stack));
}

/** converge.env: the root program's dev environment (every resource kind it declares), up then destroy. */
async function convergeEnv(cli, o) {
    log(`converge.env: up of the root program's dev environment, then destroy (T = ${o.provisioning} s)`);
    const emu = await startEmu(o);
    const project = new Project(cli, "converge-env", emu);
    project.stack = "dev";
    const flags = ["--yes", "--skip-preview", "--parallel", parallelFor(o), "--stack", project.stack];
    try {
        await initRootProgram(project, project.stack);
        await emu.control.clearLog();
        const up = await project.pulumi(["up", ...flags]);
        const upLog = await emu.control.log();
        await emu.control.clearLog();
        await sleep(WINDOW_MS);
        const destroy = await project.pulumi(["destroy", ...flags]);
        const destroyLog = await emu.control.log();
        const left = await emu.control.objects();
        const leftCount = left.services.length + left.clickpipes.length + left.queryEndpoints.length;
        if (leftCount) throw new Error(`converge.env: ${leftCount} objects left after destroy`);
        const bound = envLowerBound({
            provisioningSeconds: o.provisioning,
            pipeProvisioningSeconds: PIPE_SECONDS,
            pipeDeletingSeconds: PIPE_SECONDS,
            stoppingSeconds: o.stopping,
            terminatingSeconds: o.terminating,
            rate: RATE,
        });
        const all = [...upLog, ...destroyLog];
        const seconds = up.seconds + destroy.seconds;
        fs.writeFileSync(
            path.join(root, ".tmp", "bench", "raw-converge-env.json"),
            JSON.stringify({ upLog, destroyLog, events: await emu.control.events() }, null, 1),
        );
        return {
            seconds: round(seconds),
            upSeconds: round(up.seconds),
            destroySeconds: round(destroy.seconds),
            ...summarize(all),
            upRequests: upLog.length,
            destroyRequests: destroyLog.length,
            lowerBoundSeconds: bound.total,
            lowerBoundUpSeconds: bound.up,
            lowerBoundDestroySeconds: bound.destroy,
            lowerBoundRequests: bound.minRequests,
            ratio: round(seconds / bound.total, 3),
            requestsByKind: requestKinds(all),
        };
    } finally {
        await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack], { allowFail: true }).catch(() => undefined);
        await emu.stop();
        project.dispose();
    }
}

/** netRatio = (seconds − engineSeconds) / lowerBoundSeconds: the time the API work took against its bound. */
function addNetRatio(r, engine) {
    if (!r || engine === undefined) return;
    r.engineSeconds = engine;
    r.netRatio = round((r.seconds - engine) / r.lowerBoundSeconds, 3);
}

/** The root program's shape with do-nothing dynamic resources: same count, same dependencies. */
const emptyDynamicProgram = `import * as pulumi from "@pulumi/pulumi";
// Do-nothing dynamic resources in the root program's shape (5 resources, same dependencies):
// what preview costs the engine and the Node runtime alone.
const noop: pulumi.dynamic.ResourceProvider = {
    async create(inputs: any) { return { id: "noop-" + Math.random().toString(16).slice(2), outs: inputs }; },
};
class Noop extends pulumi.dynamic.Resource {
    constructor(name: string, args: Record<string, any>, opts?: pulumi.CustomResourceOptions) { super(noop, name, args, opts); }
}
const service = new Noop("warehouse", { name: "dev-warehouse", provider: "aws", region: "eu-central-1", tier: "production",
    ipAccessList: [{ source: "10.0.0.0/8", description: "dev network" }], tags: [{ key: "environment", value: "dev" }] });
const scaling = new Noop("warehouse-scaling", { serviceId: service.id, minReplicaMemoryGb: 8, maxReplicaMemoryGb: 16, numReplicas: 1, idleScaling: true });
const backups = new Noop("warehouse-backups", { serviceId: service.id, backupPeriodInHours: 24, backupRetentionPeriodInHours: 48 });
const queryEndpoint = new Noop("warehouse-query-api", { serviceId: service.id, roles: ["sql_console_read_only"] });
const events = new Noop("events-pipe", { serviceId: service.id, name: "dev-events", source: { kafka: { brokers: "dev-kafka.internal:9092", topics: "events" } } }, { dependsOn: [scaling] });
export const serviceId = service.id;
export const backupsId = backups.id;
export const queryEndpointId = queryEndpoint.id;
export const clickPipeId = events.id;
`;

async function timedPreviews(project, stack, repeats, emu) {
    const samples = [];
    let requests = 0;
    for (let i = 0; i < repeats; i++) {
        if (emu) await emu.control.clearLog();
        const r = await project.pulumi(["preview", "--expect-no-changes", "--parallel", String(project.parallel), "--stack", stack]);
        samples.push(round(r.seconds, 2));
        if (emu) requests = Math.max(requests, (await emu.control.log()).length);
    }
    return { seconds: median(samples), samples, requests };
}

async function preview(cli, o) {
    log(`preview: the root program, then a do-nothing program of the same shape (${o.previewRepeats} previews each)`);
    const emu = await startEmu({ ...o, provisioning: 1, stopping: 1, terminating: 1 });
    const full = new Project(cli, "preview-root", emu);
    const empty = new Project(cli, "preview-empty", emu);
    full.parallel = empty.parallel = parallelFor(o);
    const upFlags = ["--yes", "--skip-preview", "--parallel", parallelFor(o), "--stack", "dev"];
    try {
        await initRootProgram(full, "dev");
        await full.pulumi(["up", ...upFlags]);
        empty.write({ "Pulumi.yaml": pulumiYaml("bench-preview-empty"), "index.ts": emptyDynamicProgram });
        await empty.pulumi(["stack", "init", "dev", "--non-interactive"]);
        await empty.pulumi(["up", ...upFlags]);
        await sleep(WINDOW_MS);
        // Alternated, so a slow moment of the machine hits both programs alike.
        const fullPreview = { samples: [], requests: 0 };
        const emptyPreview = { samples: [] };
        for (let i = 0; i < o.previewRepeats; i++) {
            const f = await timedPreviews(full, "dev", 1, emu);
            fullPreview.samples.push(...f.samples);
            fullPreview.requests = Math.max(fullPreview.requests, f.requests);
            emptyPreview.samples.push(...(await timedPreviews(empty, "dev", 1)).samples);
        }
        fullPreview.seconds = median(fullPreview.samples);
        emptyPreview.seconds = median(emptyPreview.samples);

        await full.pulumi(["destroy", ...upFlags]);
        await empty.pulumi(["destroy", ...upFlags]);
        return {
            requests: fullPreview.requests,
            seconds: fullPreview.seconds,
            samples: fullPreview.samples,
            emptyDynamicSeconds: emptyPreview.seconds,
            emptyDynamicSamples: emptyPreview.samples,
            ratioToEmptyDynamic: round(fullPreview.seconds / emptyPreview.seconds, 3),
        };
    } finally {
        await emu.stop();
        full.dispose();
        empty.dispose();
    }
}

// ---------------------------------------------------------------------------------------------
// Targets, table

function targets(r) {
    const t = [];
    const add = (name, value, ok, limit) => t.push({ name, value, limit, ok: value === undefined ? null : ok });
    const c = r.converge ?? {};
    const b = r.baseline ?? {};
    const par = r.parallel ?? {};
    const net = (name, x, limit) => x?.netRatio !== undefined && add(`${name}.netRatio`, x.netRatio, x.netRatio <= limit, `≤ ${limit}`);
    const k = Object.keys(par).find((x) => !x.endsWith(".foreign"));
    if (k) {
        add(`parallel.${k}.status429`, par[k].status429, par[k].status429 === 0, "= 0");
        net(`parallel.${k}`, par[k], 1.15);
    }
    const f = Object.keys(par).find((x) => x.endsWith(".foreign"));
    if (f) {
        add(
            `parallel.${f}.status429 vs 5 % of requests`,
            `${par[f].status429} vs ${round(par[f].requests * 0.05, 1)}`,
            par[f].status429 <= par[f].requests * 0.05,
            "≤",
        );
        add(`parallel.${f}.converged`, par[f].converged, par[f].converged === true, "every stack");
    }
    if (c.n100) {
        add("converge.n100.status429", c.n100.status429, c.n100.status429 === 0, "= 0");
        net("converge.n100", c.n100, 1.05);
    }
    net("converge.n30", c.n30, 1.05);
    net("converge.n10", c.n10, 1.08);
    net("converge.env", c.env, 1.25);
    const all429 = [...Object.values(c), r.refresh?.n30].filter(Boolean).reduce((s, x) => s + (x.status429 ?? 0), 0);
    add("status429 (converge and refresh)", all429, all429 === 0, "= 0");
    if (c.n10 && b.n10) {
        add(
            "converge.n10.requests vs baseline.n10.requests / 3",
            `${c.n10.requests} vs ${round(b.n10.requests / 3, 1)}`,
            c.n10.requests <= b.n10.requests / 3,
            "≤",
        );
        add("converge.n10.seconds vs baseline.n10.seconds", `${c.n10.seconds} vs ${b.n10.seconds}`, c.n10.seconds < b.n10.seconds, "<");
    }
    const lean = r.baselineLean?.n10;
    if (c.n10 && lean) {
        add(
            "(lean) converge.n10.requests vs baselineLean.n10.requests / 3",
            `${c.n10.requests} vs ${round(lean.requests / 3, 1)}`,
            c.n10.requests <= lean.requests / 3,
            "≤",
        );
        add(
            "(lean) converge.n10.seconds vs baselineLean.n10.seconds",
            `${c.n10.seconds} vs ${lean.seconds}`,
            c.n10.seconds < lean.seconds,
            "<",
        );
    }
    if (r.lag) add("lag.p95Ms", r.lag.p95Ms, r.lag.p95Ms <= 1000, "≤ 1000");
    if (r.preview) {
        // One GET /v1/organizations/{id}: the preview's credential check.
        add("preview.requests", r.preview.requests, r.preview.requests === 1, "= 1");
        add("preview.ratioToEmptyDynamic", r.preview.ratioToEmptyDynamic, r.preview.ratioToEmptyDynamic <= 1.3, "≤ 1.3");
    }
    if (r.refresh?.n30) add("refresh.n30.status429", r.refresh.n30.status429, r.refresh.n30.status429 === 0, "= 0");
    return t;
}

function table(r) {
    const m = r.meta;
    const lines = [];
    lines.push(`### ${m.date} — commit ${m.commit}`);
    lines.push("");
    lines.push(
        `Machine: ${m.machine.nproc} CPU (${m.machine.cpu}), ${m.machine.memoryGb} GB, ${m.machine.os}; node ${m.machine.node}, pulumi ${m.machine.pulumi}. ` +
            `T = ${m.params.provisioningSeconds} s, stopping ${m.params.stoppingSeconds} s, terminating ${m.params.terminatingSeconds} s, ` +
            `rate limit ${m.params.rateLimit}, engine flags \`${m.params.engineFlags}\`.`,
    );
    lines.push("");
    lines.push(
        "| run | seconds (up + destroy) | requests (up + destroy) | 429 | lowerBoundSeconds (up + destroy) | ratio | engineSeconds | netRatio |",
    );
    lines.push("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const kind of ["converge", "parallel", "baseline", "baselineLean"]) {
        for (const [k, v] of Object.entries(r[kind] ?? {})) {
            const split = v.upRequests !== undefined ? ` (${v.upRequests} + ${v.destroyRequests})` : "";
            const boundSplit = v.lowerBoundUpSeconds !== undefined ? ` (${v.lowerBoundUpSeconds} + ${v.lowerBoundDestroySeconds})` : "";
            lines.push(
                `| ${kind}.${k} | ${v.seconds} (${v.upSeconds} + ${v.destroySeconds}) | ${v.requests}${split} | ${v.status429} | ${v.lowerBoundSeconds}${boundSplit} | ${v.ratio} | ` +
                    `${v.engineSeconds ?? "–"} | ${v.netRatio ?? "–"} |`,
            );
        }
    }
    lines.push("");
    const extra = [];
    if (r.engineSeconds) {
        const e = r.engineSeconds;
        const k = Object.keys(e).find((x) => /^k\d+$/.test(x));
        extra.push(
            `engineSeconds (no resources, median of ${e.samples.length}): ${e.seconds} s (${e.upSeconds} + ${e.destroySeconds}) alone` +
                (k ? `; ${k.slice(1)} at once: ${e[k].seconds} s (${e[k].upSeconds} + ${e[k].destroySeconds})` : ""),
        );
    }
    for (const [k, v] of Object.entries(r.parallel ?? {})) {
        extra.push(
            `parallel.${k}: per stack up ${v.upSecondsByStack.join(" / ")} s, destroy ${v.destroySecondsByStack.join(" / ")} s; ` +
                `${v.status429} × 429 = ${round(v.status429Share * 100, 1)} % of requests; ${v.converged ? "every stack converged" : `**stacks ${v.stacksFailed.join(", ")} failed, ${v.servicesLeft} services left**`}`,
        );
    }
    if (r.lag) extra.push(`lag (converge.n10, ${r.lag.count} waits): p50 ${r.lag.p50Ms} ms, p95 ${r.lag.p95Ms} ms, max ${r.lag.maxMs} ms`);
    if (r.preview) {
        extra.push(
            `preview (root program after up): ${r.preview.requests} requests, ${r.preview.seconds} s (median of ${r.preview.samples.length}); ` +
                `do-nothing dynamic program: ${r.preview.emptyDynamicSeconds} s; ratioToEmptyDynamic ${r.preview.ratioToEmptyDynamic}`,
        );
    }
    if (r.refresh?.n30)
        extra.push(`refresh.n30: ${r.refresh.n30.requests} requests, ${r.refresh.n30.status429} × 429, ${r.refresh.n30.seconds} s`);
    if (r.memory) extra.push(`memory: peak RSS of the dynamic-provider process during converge.n${r.memory.n}: ${r.memory.peakRssMb} MB`);
    for (const e of extra) lines.push(`- ${e}`);
    lines.push("");
    lines.push("| target | value | limit | holds |");
    lines.push("| --- | --- | --- | --- |");
    for (const t of r.targets) lines.push(`| ${t.name} | ${t.value} | ${t.limit} | ${t.ok === null ? "n/a" : t.ok ? "yes" : "**no**"} |`);
    lines.push("");
    return lines.join("\n");
}

async function runBaselines(o, results) {
    results.baseline = {};
    for (const n of o.ns.filter((x) => x <= o.baselineMax)) {
        results.baseline[`n${n}`] = await baseline(o, n);
        log(`baseline.n${n}: ${JSON.stringify(results.baseline[`n${n}`])}`);
    }
    // The same strategy without the Terraform provider's fan-out, for n = 10 (the compared size).
    if (o.ns.includes(10)) {
        results.baselineLean = { n10: await baseline(o, 10, { fanOut: false }) };
        log(`baselineLean.n10: ${JSON.stringify(results.baselineLean.n10)}`);
    }
}

// ---------------------------------------------------------------------------------------------

function appendTable(results) {
    const text = table(results);
    const file = path.join(root, "BENCHMARKS.md");
    const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
    fs.writeFileSync(file, before.replace(/\s*$/, "\n\n") + text);
    log("appended the table to BENCHMARKS.md");
    return text;
}

async function main() {
    if (process.argv.includes("--append-results")) {
        console.log(appendTable(JSON.parse(fs.readFileSync(path.join(__dirname, "results.json"), "utf8"))));
        return;
    }
    const o = parseArgs(process.argv.slice(2));
    if (
        !fs.existsSync(path.join(root, "dist", "emulator", "index.js")) ||
        !fs.existsSync(path.join(root, "dist", "provider", "index.js"))
    ) {
        throw new Error("dist/ is missing: run `npm ci` (or `npm run build`) first");
    }
    const cli = ensurePulumiDir();
    const started = new Date();
    const results = {
        meta: {
            date: started.toISOString().replace(/\.\d+Z$/, "Z"),
            commit: gitCommit(),
            machine: machine(cli),
            params: {
                provisioningSeconds: o.provisioning,
                stoppingSeconds: o.stopping,
                terminatingSeconds: o.terminating,
                rateLimit: `${RATE.requests}/${RATE.windowSeconds}s`,
                engineFlags: `--yes --skip-preview --parallel ${o.parallel ?? "max(32, services of the command)"}`,
                ns: o.ns,
                stacks: o.stacks,
                stackServices: o.stackServices,
                pipeProvisioningSeconds: PIPE_SECONDS,
                pipeDeletingSeconds: PIPE_SECONDS,
            },
        },
    };
    // The engine's own time, measured in the same run as the figures it is subtracted from.
    const needsEngine = ["converge", "env", "parallel", "foreign", "engine"].some((x) => o.only.includes(x));
    if (needsEngine) {
        results.engineSeconds = await engineSeconds(cli, o, {
            together: ["parallel", "foreign", "engine"].some((x) => o.only.includes(x)),
        });
        log(`engineSeconds: ${JSON.stringify(results.engineSeconds)}`);
        await sleep(WINDOW_MS);
    }
    // The baselines run alongside the converge runs (own emulators, own rate limits): they are
    // almost all sleeping, and the Terraform strategy at n = 30 alone takes ~10 minutes.
    const baselines = o.only.includes("baseline") ? runBaselines(o, results) : Promise.resolve();
    baselines.catch(() => undefined);
    if (o.only.includes("converge")) {
        results.converge = {};
        for (const n of o.ns) {
            const r = await converge(cli, o, n, { withRefresh: n === 30, withLag: n === 10 });
            results.converge[`n${n}`] = r.result;
            if (r.lag) results.lag = r.lag;
            if (r.refresh) results.refresh = { [`n${n}`]: r.refresh };
            if (n === Math.max(...o.ns)) results.memory = { n, peakRssMb: r.result.peakRssMb };
            log(`converge.n${n}: ${JSON.stringify({ ...r.result, requestsByKind: undefined })}`);
            log(`  requests: ${JSON.stringify(r.result.requestsByKind)}`);
            if (r.lag) log(`  lag: ${JSON.stringify(r.lag)}`);
            if (r.refresh) log(`  refresh: ${JSON.stringify(r.refresh)}`);
            await sleep(WINDOW_MS);
        }
    }
    if (o.only.includes("env")) {
        results.converge = results.converge ?? {};
        results.converge.env = await convergeEnv(cli, o);
        log(`converge.env: ${JSON.stringify({ ...results.converge.env, requestsByKind: undefined })}`);
        log(`  requests: ${JSON.stringify(results.converge.env.requestsByKind)}`);
        await sleep(WINDOW_MS);
    }
    for (const [section, foreign] of [
        ["parallel", false],
        ["foreign", true],
    ]) {
        if (!o.only.includes(section)) continue;
        const r = await parallelStacks(cli, o, { foreign });
        results.parallel = results.parallel ?? {};
        results.parallel[`k${o.stacks}n${o.stackServices}${foreign ? ".foreign" : ""}`] = r;
        log(`parallel.k${o.stacks}n${o.stackServices}${foreign ? ".foreign" : ""}: ${JSON.stringify({ ...r, requestsByKind: undefined })}`);
        log(`  requests: ${JSON.stringify(r.requestsByKind)}`);
        await sleep(WINDOW_MS);
    }
    const engine = results.engineSeconds;
    for (const r of Object.values(results.converge ?? {})) addNetRatio(r, engine?.seconds);
    for (const r of Object.values(results.parallel ?? {})) addNetRatio(r, engine?.[`k${o.stacks}`]?.seconds);
    if (o.only.includes("preview")) {
        results.preview = await preview(cli, o);
        log(`preview: ${JSON.stringify(results.preview)}`);
    }
    await baselines;
    results.targets = targets(results);
    results.meta.totalSeconds = round((Date.now() - started.getTime()) / 1000);
    fs.writeFileSync(path.join(__dirname, "results.json"), JSON.stringify(results, null, 2) + "\n");
    console.log("\n" + (o.append ? appendTable(results) : table(results)));
    log(`wrote bench/results.json (${results.meta.totalSeconds} s)`);
}

if (require.main === module) {
    main().catch((err) => {
        console.error(err.stack || String(err));
        process.exitCode = 1;
    });
}

module.exports = { lagOf, lowerBound, targets, table };
