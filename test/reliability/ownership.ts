/**
 * Ownership cases (issue 10): the provider never takes, deletes or loses a service that is not
 * this stack's. Each case runs the real CLI against the emulator with a one-service program, the
 * project, stack and resource names the same everywhere, so names alone can never tell two
 * stacks apart:
 *
 * - two backends (two engineers' local backends, a laptop and CI) against one organization, one
 *   after the other and at the same moment: neither touches the other's service, and each
 *   `destroy` removes only its own;
 * - a service released with `retainOnDelete` + `destroy`, or with `pulumi state delete`: the next
 *   `up` creates a new one and never touches the released one;
 * - a run killed after the service POST, then the region edited, then the README's recovery:
 *   no untracked service is left;
 * - only the dynamic-provider process killed (the OOM killer): `destroy` leaves nothing running,
 *   and `up` instead resumes the interrupted create (one service, not two).
 */
import type { ResponseRecord } from "../../emulator";
import { descendants, killTree, RelProject, responseHooks, TYPES } from "./lib";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../e2e/harness";
import { installPlugin } from "../e2e/pluginSetup";

const PROJECT = "ownership";
const PLUGIN_SERVICE = "clickhouse-cloud:index:Service";
const DURATIONS = { provisioning: 1, starting: 0.5, stopping: 0.5, terminating: 0.5 };

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";
const config = new pulumi.Config();
const svc = new clickhouse.Service("warehouse", {
    name: "warehouse",
    provider: "aws",
    region: config.get("region") ?? "us-east-1",
}, { retainOnDelete: config.getBoolean("retain") ?? false });
export const id = svc.id;
export const password = svc.password;
`;

/** The same program on the plugin face, for the cases that run there too. */
const YAML_PROGRAM = `name: ${PROJECT}
runtime: yaml
resources:
  warehouse:
    type: ${PLUGIN_SERVICE}
    properties:
      name: warehouse
      provider: aws
      region: us-east-1
outputs:
  id: \${warehouse.id}
  password: \${warehouse.password}
`;

export interface OwnershipCase {
    passed: boolean;
    problems: string[];
    /** What was observed, for the summary. */
    detail: string;
}

type Api = Record<string, string>;

/** A project of the one-service program; with `yamlHost`, the YAML program on the plugin face. */
async function project(cli: string, label: string, api?: Api, yamlHost?: string): Promise<RelProject> {
    const p = new RelProject(cli, `own-${label}`);
    if (api) p.useApi(api);
    else await p.startEmulator({ rateLimit: false, durations: DURATIONS });
    if (yamlHost) {
        await installPlugin(p, yamlHost);
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), YAML_PROGRAM);
    } else p.writeProgram(PROGRAM, PROJECT);
    await p.pulumi(["stack", "init", p.stack, "--non-interactive"]);
    return p;
}

function apiOf(p: RelProject): Api {
    const e = p.emulator!;
    return {
        CLICKHOUSE_API_URL: e.url,
        CLICKHOUSE_ORG_ID: e.organizationId,
        CLICKHOUSE_TOKEN_KEY: e.keyId,
        CLICKHOUSE_TOKEN_SECRET: e.keySecret,
    };
}

const up = (p: RelProject) => p.run(["up", "--yes", "--skip-preview", "--stack", p.stack]);
const destroy = (p: RelProject) => p.run(["destroy", "--yes", "--skip-preview", "--stack", p.stack]);
const tail = (r: { stdout: string; stderr: string }, n = 2000) => `${r.stdout.slice(-n)}\n${r.stderr.slice(-n)}`;

function serviceIdIn(p: RelProject): string | undefined {
    return (p.stateResources(TYPES.service)[0] ?? p.stateResources(PLUGIN_SERVICE)[0])?.id;
}

async function liveServices(emu: RelProject): Promise<Array<{ id: string; state: string; region: string }>> {
    return (await emu.emulator!.control.objects()).services;
}

/** Requests of the emulator log (since its last clear) that name `id`, as "METHOD path". */
async function touching(emu: RelProject, id: string): Promise<string[]> {
    return (await emu.emulator!.control.log()).filter((e) => e.path.includes(id)).map((e) => `${e.method} ${e.path}`);
}

function result(problems: string[], detail: string): OwnershipCase {
    return { passed: problems.length === 0, problems, detail };
}

/**
 * Two backends with the same project, stack and resource names against one organization.
 * `together`: both `up`s started at the same moment (then both `destroy`s too). With
 * `yamlHost`, both run the YAML program on the plugin face.
 */
export async function twoBackends(cli: string, together: boolean, yamlHost?: string): Promise<OwnershipCase> {
    const face = yamlHost ? "plugin-" : "";
    const a = await project(cli, `${face}${together ? "together-a" : "seq-a"}`, undefined, yamlHost);
    const b = await project(cli, `${face}${together ? "together-b" : "seq-b"}`, apiOf(a), yamlHost);
    const problems: string[] = [];
    try {
        if (together) {
            const [ua, ub] = await Promise.all([up(a), up(b)]);
            if (ua.code !== 0 || ub.code !== 0) problems.push(`up exited ${ua.code}/${ub.code}: ${tail(ua)} ${tail(ub)}`);
        } else {
            const ua = await up(a);
            if (ua.code !== 0) problems.push(`first backend's up exited ${ua.code}: ${tail(ua)}`);
            await a.emulator!.control.clearLog();
            const ub = await up(b);
            if (ub.code !== 0) problems.push(`second backend's up exited ${ub.code}: ${tail(ub)}`);
            const idA = serviceIdIn(a);
            if (idA) {
                const t = await touching(a, idA);
                if (t.length) problems.push(`the second backend's up touched the first one's service: ${t.join(", ")}`);
            }
            if (/interrupted/.test(ub.stdout + ub.stderr))
                problems.push(`the second backend's up spoke of an interrupted create: ${tail(ub)}`);
        }
        const idA = serviceIdIn(a);
        const idB = serviceIdIn(b);
        if (!idA || !idB || idA === idB) problems.push(`each backend must record its own service: ${idA} / ${idB}`);
        const live = await liveServices(a);
        if (live.length !== 2) problems.push(`${live.length} services exist after both ups; expected 2`);
        const passwordPatches = (await a.emulator!.control.log()).filter((e) => e.method === "PATCH" && e.path.endsWith("/password"));
        if (passwordPatches.length) problems.push(`a password was rotated: ${passwordPatches.map((e) => e.path).join(", ")}`);

        const db = await destroy(b);
        if (db.code !== 0) problems.push(`second backend's destroy exited ${db.code}: ${tail(db)}`);
        const afterB = (await liveServices(a)).map((s) => s.id);
        if (afterB.length !== 1 || afterB[0] !== idA)
            problems.push(`after the second backend's destroy the API holds ${afterB.join(", ") || "nothing"}; expected only ${idA}`);
        const ra = await a.run(["refresh", "--yes", "--skip-preview", "--stack", a.stack]);
        if (ra.code !== 0) problems.push(`first backend's refresh exited ${ra.code}`);
        if (serviceIdIn(a) !== idA) problems.push(`the first backend's refresh dropped its service (${serviceIdIn(a)})`);
        const da = await destroy(a);
        if (da.code !== 0) problems.push(`first backend's destroy exited ${da.code}: ${tail(da)}`);
        const left = await liveServices(a);
        if (left.length) problems.push(`${left.length} services left after both destroys`);
        return result(problems, `services ${idA?.slice(0, 8)} / ${idB?.slice(0, 8)}`);
    } finally {
        await b.dispose();
        await a.dispose();
    }
}

/** A service released with `retainOnDelete` + `destroy`, or with `pulumi state delete`: never taken back. */
export async function released(cli: string, how: "retainOnDelete" | "stateDelete"): Promise<OwnershipCase> {
    const p = await project(cli, how);
    const problems: string[] = [];
    try {
        if (how === "retainOnDelete") await p.setConfig("retain", "true");
        const first = await up(p);
        if (first.code !== 0) problems.push(`up exited ${first.code}: ${tail(first)}`);
        const kept = serviceIdIn(p);
        const keptPassword = (await p.outputs()).password;
        let ownerPrinted: string | undefined;
        if (how === "retainOnDelete") {
            const d = await destroy(p);
            if (d.code !== 0) problems.push(`destroy exited ${d.code}: ${tail(d)}`);
            // The stack's record goes with the destroy, which names what still carries its mark.
            ownerPrinted = /orphans --owner ([0-9a-f]{16}) --delete/.exec(d.stdout + d.stderr)?.[1];
            if (!ownerPrinted || !(d.stdout + d.stderr).includes(kept ?? "none"))
                problems.push(`destroy did not name the retained service and the orphans command: ${tail(d)}`);
            await p.setConfig("retain", "false");
        } else {
            const urn = p.stateResources(TYPES.service)[0]?.urn;
            const del = await p.run(["state", "delete", urn, "--yes", "--stack", p.stack]);
            if (del.code !== 0) problems.push(`state delete exited ${del.code}: ${tail(del)}`);
        }
        if (!kept || !(await liveServices(p)).some((s) => s.id === kept)) problems.push(`the released service ${kept} must still exist`);
        await p.emulator!.control.clearLog();
        const again = await up(p);
        if (again.code !== 0) problems.push(`up after the release exited ${again.code}: ${tail(again)}`);
        const fresh = serviceIdIn(p);
        if (!fresh || fresh === kept) problems.push(`the next up must create a new service; the state holds ${fresh}`);
        const t = await touching(p, kept ?? "none");
        if (t.length) problems.push(`the next up touched the released service: ${t.join(", ")}`);
        if ((await p.outputs()).password === keptPassword) problems.push(`the new service reports the released one's password`);
        // The orphans command lists the released service (and only it), and deletes it when asked.
        const args = how === "stateDelete" ? ["--stack", p.stack] : ["--owner", ownerPrinted ?? "0000000000000000"];
        const listed = await orphansCommand(p, args);
        if (listed.code !== 0 || !listed.out.includes(kept ?? "none") || (fresh && listed.out.includes(fresh)))
            problems.push(`orphans ${args.join(" ")} must list ${kept} alone: ${listed.out}`);
        if ((await liveServices(p)).length !== 2) problems.push("orphans without --delete changed something");
        const removed = await orphansCommand(p, [...args, "--delete"]);
        if (removed.code !== 0) problems.push(`orphans --delete exited ${removed.code}: ${removed.out}`);
        const afterOrphans = (await liveServices(p)).map((s) => s.id);
        if (afterOrphans.length !== 1 || afterOrphans[0] !== fresh)
            problems.push(`after orphans --delete the API holds ${afterOrphans.join(", ")}; expected only ${fresh}`);
        const d = await destroy(p);
        if (d.code !== 0) problems.push(`final destroy exited ${d.code}: ${tail(d)}`);
        const left = await liveServices(p);
        if (left.length) problems.push(`${left.length} services left after destroy`);
        return result(problems, `released ${kept?.slice(0, 8)}, new ${fresh?.slice(0, 8)}, orphans listed and deleted it`);
    } finally {
        await p.dispose();
    }
}

/** Runs the package's `orphans` command in the project, with the project's CLI environment. */
export function orphansCommand(p: RelProject, args: string[]): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(repoRoot, "dist", "provider", "cli.js"), "orphans", ...args], {
            cwd: p.dir,
            env: p.env,
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", (code) => {
            p.transcripts.push(`$ pulumi-clickhouse-cloud orphans ${args.join(" ")}\n${out}`);
            resolve({ code: code ?? 1, out });
        });
    });
}

/** Kills `pulumi` and everything it started the moment the emulator accepts the service POST. */
function killOnServicePost(p: RelProject, onlyProvider: boolean): () => string | undefined {
    let killedAt: string | undefined;
    responseHooks.current = (r: ResponseRecord) => {
        if (killedAt || !p.running) return;
        if (r.method === "POST" && /\/services$/.test(r.path) && r.status === 200) {
            killedAt = `${r.method} ${r.path} -> ${r.status}`;
            if (onlyProvider) {
                for (const pid of descendants(p.running.pid!)) {
                    let cmd: string;
                    try {
                        cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
                    } catch {
                        continue;
                    }
                    if (cmd.includes("dynamic-provider")) process.kill(pid, "SIGKILL");
                }
            } else {
                killTree(p.running.pid!);
            }
        }
    };
    return () => killedAt;
}

/** The README's recovery after a killed run (cancel, refresh clearing the pending create), then `up`. */
async function recoverAndUp(p: RelProject, problems: string[]): Promise<void> {
    await p.run(["cancel", "--yes", "--stack", p.stack]);
    const refresh = await p.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates", "--stack", p.stack]);
    if (refresh.code !== 0) problems.push(`refresh exited ${refresh.code}: ${tail(refresh)}`);
    const again = await up(p);
    if (again.code !== 0) problems.push(`up after recovery exited ${again.code}: ${tail(again)}`);
}

/** `destroy`, then the services the API still holds (a problem when there is any): their number. */
async function destroyLeavesNothing(p: RelProject, problems: string[]): Promise<number> {
    const d = await destroy(p);
    if (d.code !== 0) problems.push(`destroy exited ${d.code}: ${tail(d)}`);
    const left = await liveServices(p);
    if (left.length) problems.push(`${left.length} services left after destroy`);
    return left.length;
}

/** The run killed after the service POST, the region edited, then the README's recovery steps. */
export async function interruptThenEdit(cli: string): Promise<OwnershipCase> {
    const p = await project(cli, "edit");
    const problems: string[] = [];
    try {
        const killed = killOnServicePost(p, false);
        await up(p);
        responseHooks.current = undefined;
        if (!killed()) problems.push("the run ended before the service POST");
        await p.setConfig("region", "eu-west-1");
        await recoverAndUp(p, problems);
        const live = await liveServices(p);
        const id = serviceIdIn(p);
        if (live.length !== 1 || live[0].id !== id || live[0].region !== "eu-west-1") {
            problems.push(`after recovery the API holds ${live.map((s) => `${s.id} (${s.region})`).join(", ")}; the state holds ${id}`);
        }
        const left = await destroyLeavesNothing(p, problems);
        return result(problems, `killed at ${killed()}; services after recovery ${live.length}, after destroy ${left}`);
    } finally {
        responseHooks.current = undefined;
        await p.dispose();
    }
}

/**
 * The plugin face, from YAML: the run killed right after the service POST (before the engine
 * records the service). The ownership id is in the state with the provider, so `orphans --stack`
 * lists the unrecorded service, and the next `up` (after the recovery steps of the README) resumes
 * it rather than making a second one; `destroy` then leaves nothing.
 */
export async function interruptedOnPlugin(cli: string, yamlHost: string): Promise<OwnershipCase> {
    const p = await project(cli, "plugin-interrupted", undefined, yamlHost);
    const problems: string[] = [];
    try {
        const killed = killOnServicePost(p, false);
        await up(p);
        responseHooks.current = undefined;
        if (!killed()) problems.push("the run ended before the service POST");
        const posted = (await liveServices(p)).map((s) => s.id);
        if (posted.length !== 1) problems.push(`after the kill the API holds ${posted.length} services`);
        const listed = await orphansCommand(p, ["--stack", p.stack]);
        if (listed.code !== 0 || !posted.every((id) => listed.out.includes(id)))
            problems.push(`orphans --stack did not list the unrecorded service (exit ${listed.code}): ${listed.out.slice(-1500)}`);
        await recoverAndUp(p, problems);
        const live = (await liveServices(p)).map((s) => s.id);
        const id = serviceIdIn(p);
        if (live.length !== 1 || live[0] !== id || id !== posted[0])
            problems.push(
                `after recovery the API holds ${live.join(", ")}; the state holds ${id}; the killed run posted ${posted.join(", ")}`,
            );
        const left = await destroyLeavesNothing(p, problems);
        return result(problems, `killed at ${killed()}; services after recovery ${live.length}, after destroy ${left}`);
    } finally {
        responseHooks.current = undefined;
        await p.dispose();
    }
}

/**
 * Only the dynamic-provider process killed right after the service POST: `up` fails with the
 * engine's EOF and the state has no service. Then `destroy` must leave nothing running; and a
 * second time, `up` instead of `destroy` must end with exactly one service.
 */
export async function providerOnlyKill(cli: string): Promise<OwnershipCase> {
    const p = await project(cli, "provider-kill");
    const problems: string[] = [];
    const details: string[] = [];
    try {
        for (const then of ["destroy", "up"] as const) {
            const killed = killOnServicePost(p, true);
            const run = await up(p);
            responseHooks.current = undefined;
            if (!killed()) problems.push(`${then}: the run ended before the service POST`);
            if (run.code === 0) problems.push(`${then}: up succeeded although its provider was killed`);
            const inState = p.stateResources(TYPES.service).length;
            if (then === "destroy") {
                const d = await destroy(p);
                if (d.code !== 0) problems.push(`destroy exited ${d.code}: ${tail(d)}`);
                const left = await liveServices(p);
                details.push(`then destroy: ${inState} in state, ${left.length} left`);
                if (left.length) problems.push(`destroy left ${left.length} services running`);
            } else {
                const again = await up(p);
                if (again.code !== 0) problems.push(`second up exited ${again.code}: ${tail(again)}`);
                const live = await liveServices(p);
                details.push(`then up: ${live.length} service(s)`);
                if (live.length !== 1 || live[0].id !== serviceIdIn(p))
                    problems.push(`after the second up the API holds ${live.length} services; the state holds ${serviceIdIn(p)}`);
                const d = await destroy(p);
                if (d.code !== 0) problems.push(`destroy exited ${d.code}: ${tail(d)}`);
                const left = await liveServices(p);
                if (left.length) problems.push(`${left.length} services left after destroy`);
            }
        }
        return result(problems, details.join("; "));
    } finally {
        responseHooks.current = undefined;
        await p.dispose();
    }
}
