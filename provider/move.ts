/**
 * `pulumi-clickhouse-cloud move-to-plugin`: moves a stack's resources from the dynamic face (the
 * TypeScript classes, types `pulumi-nodejs:dynamic/clickhouse:<Kind>`) to the plugin face
 * (`clickhouse-cloud:index:<Kind>`) without touching a cloud object: it removes them from the
 * state and imports each by its id (docs/import.md), so the only API calls are the imports' reads.
 *
 * The state is changed in one `pulumi stack import`, after a backup of the whole export; if the
 * import of the objects then fails, the backup is put back, so the stack never stays without its
 * services. {@link planMove} is the pure part (tested on export documents); {@link moveToPlugin}
 * runs the CLI.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PACKAGE, PLUGIN_KINDS, parseUrn, tokenOf, type PluginKind } from "./plugin/tokens";

/** The prefix of the dynamic face's type tokens. */
const DYNAMIC = "pulumi-nodejs:dynamic/clickhouse:";
/** The dynamic face's own ownership record: removed, not imported (the plugin face has none). */
const OWNERSHIP = `${DYNAMIC}StackOwnership`;
/** The provider resource the engine registers for dynamic resources. */
const DYNAMIC_PROVIDER = /::pulumi:providers:pulumi-nodejs::/;

/** One resource of a `pulumi stack export` document (the fields this command reads). */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    custom?: boolean;
    parent?: string;
    provider?: string;
    protect?: boolean;
    delete?: boolean;
    pendingReplacement?: boolean;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    deletedWith?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export interface ExportDocument {
    version?: number;
    deployment?: { resources?: StateResource[]; pending_operations?: Array<{ resource?: { urn?: string }; type?: string }> };
}

/** One entry of the file `pulumi import --file` reads. */
export interface ImportEntry {
    type: string;
    name: string;
    id: string;
    parent?: string;
}

export interface MovePlan {
    /** What `pulumi import --file` brings back, with the plugin face's types and import ids. */
    importFile: { nameTable?: Record<string, string>; resources: ImportEntry[] };
    /** The export with the dynamic face's resources removed, for `pulumi stack import`. */
    state: ExportDocument;
    /** URNs taken out of the state. */
    removed: string[];
    /** Names of moved resources that were protected (the import file cannot carry protection). */
    protectedNames: string[];
    /** Resources of other providers that referred to a removed URN, and the references dropped. */
    droppedReferences: Array<{ urn: string; refs: string[] }>;
}

/** A state this command refuses to change; the message names the resource and what to do. */
export class MoveError extends Error {}

/** The import id of a recorded resource of `kind`, in the format docs/import.md gives. */
export function importIdOf(kind: PluginKind, r: StateResource): string {
    const serviceId = (r.outputs?.serviceId ?? r.inputs?.serviceId) as unknown;
    if (kind === "Service") return r.id!;
    if (typeof serviceId !== "string" || serviceId === "")
        throw new MoveError(`${r.urn} records no serviceId; run "pulumi refresh" and try again.`);
    if (kind === "ServiceScaling" || kind === "BackupConfiguration") return serviceId;
    return `${serviceId}:${r.id}`;
}

/**
 * Plans the move of every dynamic-face resource of `doc` (an export of one stack). Refuses, naming
 * the resource, when a resource of ours is half-done (a pending operation, a replacement not yet
 * finished, no id) or is of a kind the plugin face does not serve.
 */
export function planMove(doc: ExportDocument): MovePlan {
    // A stack with nothing deployed exports a deployment without resources.
    const resources = doc.deployment ? (doc.deployment.resources ?? []) : undefined;
    if (!Array.isArray(resources)) throw new MoveError("the export has no deployment.resources: is it a `pulumi stack export` document?");
    const ours = resources.filter((r) => typeof r.type === "string" && r.type.startsWith(DYNAMIC));
    if (ours.filter((r) => r.type !== OWNERSHIP).length === 0)
        throw new MoveError(`the stack has no ${DYNAMIC}* resources to move (nothing of the dynamic face is deployed).`);
    const removed = new Set(ours.map((r) => r.urn));
    for (const op of doc.deployment?.pending_operations ?? []) {
        const urn = op.resource?.urn;
        if (urn && (removed.has(urn) || urn.includes(DYNAMIC)))
            throw new MoveError(
                `${urn} has a pending ${op.type ?? "operation"} (an interrupted run): recover first (README, "Recovering from an interrupted run"), then move.`,
            );
    }
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const nameTable: Record<string, string> = {};
    const entries: ImportEntry[] = [];
    const protectedNames: string[] = [];
    for (const r of ours) {
        if (r.type === OWNERSHIP) continue;
        const kind = r.type.slice(DYNAMIC.length) as PluginKind;
        if (!(PLUGIN_KINDS as readonly string[]).includes(kind))
            throw new MoveError(`${r.urn}: the plugin face has no ${kind}; accepted kinds are ${PLUGIN_KINDS.join(", ")}.`);
        if (r.delete || r.pendingReplacement)
            throw new MoveError(`${r.urn} is part of an unfinished replacement: run "pulumi up" to finish it, then move.`);
        if (!r.id) throw new MoveError(`${r.urn} has no id in the state: run "pulumi refresh" and try again.`);
        const entry: ImportEntry = { type: tokenOf(kind), name: parseUrn(r.urn).name, id: importIdOf(kind, r) };
        if (r.parent && r.parent !== stackUrn) {
            if (removed.has(r.parent)) throw new MoveError(`${r.urn} has a ClickHouse resource as its parent; move it to the root first.`);
            const parentName = `parent-${Object.keys(nameTable).length + 1}`;
            nameTable[parentName] = r.parent;
            entry.parent = parentName;
        }
        if (r.protect) protectedNames.push(entry.name);
        entries.push(entry);
    }
    // The dynamic provider's own resource goes too when nothing else uses it, or the next run deletes it.
    for (const r of resources)
        if (DYNAMIC_PROVIDER.test(r.urn) && !resources.some((o) => !removed.has(o.urn) && o.provider?.startsWith(`${r.urn}::`)))
            removed.add(r.urn);
    const droppedReferences: MovePlan["droppedReferences"] = [];
    const kept = resources
        .filter((r) => !removed.has(r.urn))
        .map((r) => {
            const refs = new Set<string>();
            const keep = (u: string) => (removed.has(u) ? (refs.add(u), false) : true);
            const copy: StateResource = { ...r };
            if (r.dependencies) copy.dependencies = r.dependencies.filter(keep);
            if (r.propertyDependencies)
                copy.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.filter(keep)]));
            if (r.deletedWith && !keep(r.deletedWith)) delete copy.deletedWith;
            if (refs.size > 0) droppedReferences.push({ urn: r.urn, refs: [...refs] });
            return copy;
        });
    const importFile = Object.keys(nameTable).length > 0 ? { nameTable, resources: entries } : { resources: entries };
    return {
        importFile,
        state: { ...doc, deployment: { ...doc.deployment, resources: kept } },
        removed: [...removed],
        protectedNames,
        droppedReferences,
    };
}

export interface MoveOptions {
    stack: string;
    cwd: string;
    /** Where the import file (and, with apply, the backup) is written. */
    out: string;
    /** Change the state; without it the plan is printed and the import file written. */
    apply: boolean;
}

function pulumi(args: string[], cwd: string): string {
    return execFileSync("pulumi", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
}

const stderrOf = (e: unknown): string => String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim();

/**
 * The plugin face reads its settings under its own package name (`clickhouse-cloud:tokenSecret`),
 * the dynamic face under `clickhouse:`: each `clickhouse:` key the stack has and the other lacks is
 * copied, secrets as secrets (the value goes through stdin, never on a command line).
 */
function copyConfiguration(o: MoveOptions, log: (line: string) => void): void {
    const config = JSON.parse(pulumi(["config", "--show-secrets", "--json", "--stack", o.stack], o.cwd)) as Record<
        string,
        { value?: string; secret?: boolean }
    >;
    for (const [key, entry] of Object.entries(config)) {
        const m = /^clickhouse:(.+)$/.exec(key);
        if (!m || typeof entry?.value !== "string" || config[`${PACKAGE}:${m[1]}`] !== undefined) continue;
        const target = `${PACKAGE}:${m[1]}`;
        execFileSync("pulumi", ["config", "set", target, ...(entry.secret ? ["--secret"] : ["--plaintext"]), "--stack", o.stack], {
            cwd: o.cwd,
            input: entry.value,
            stdio: ["pipe", "pipe", "pipe"],
        });
        log(`  configuration ${key} copied to ${target}${entry.secret ? " (secret)" : ""}`);
    }
}

/** Runs the move for one stack; returns the process exit code. */
export async function moveToPlugin(o: MoveOptions, log: (line: string) => void = console.log): Promise<number> {
    const exported = pulumi(["stack", "export", "--stack", o.stack], o.cwd);
    const plan = planMove(JSON.parse(exported) as ExportDocument);
    const importPath = path.resolve(o.cwd, o.out);
    fs.writeFileSync(importPath, JSON.stringify(plan.importFile, null, 4) + "\n");
    log(`${plan.importFile.resources.length} resource(s) of stack ${o.stack} move to the plugin face (written to ${importPath}):`);
    for (const e of plan.importFile.resources) log(`  ${e.type} ${e.name}: import id ${e.id}`);
    for (const name of plan.protectedNames)
        log(`  ${name} is protected: the import leaves it unprotected until the next "pulumi up" of a program that sets protect: true`);
    for (const d of plan.droppedReferences)
        log(`  ${d.urn} depends on ${d.refs.length} of them: the reference is dropped now and recorded again by the next "pulumi up"`);
    const importArgs = ["import", "--file", importPath, "--yes", "--generate-code=false", "--protect=false", "--stack", o.stack];
    if (!o.apply) {
        log(`Nothing was changed. To move them: pulumi-clickhouse-cloud move-to-plugin --stack ${o.stack} --apply`);
        return 0;
    }
    copyConfiguration(o, log);
    const backup = path.resolve(o.cwd, `${o.stack}.before-move-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(backup, exported, { mode: 0o600 });
    const reduced = path.resolve(o.cwd, `${o.stack}.moving.json`);
    fs.writeFileSync(reduced, JSON.stringify(plan.state), { mode: 0o600 });
    try {
        pulumi(["stack", "import", "--file", reduced, "--stack", o.stack], o.cwd);
    } finally {
        fs.rmSync(reduced, { force: true });
    }
    log(`The state no longer holds them (backup: ${backup}). Importing through the plugin face: pulumi ${importArgs.join(" ")}`);
    try {
        pulumi(importArgs, o.cwd);
    } catch (e) {
        pulumi(["stack", "import", "--file", backup, "--stack", o.stack], o.cwd);
        log(`The import failed, so the state was put back as it was (from ${backup}); nothing in the cloud changed.\n${stderrOf(e)}`);
        return 1;
    }
    log(
        `Moved. Now describe them in the program with the plugin face's types and the same names, then check: pulumi preview --expect-no-changes --stack ${o.stack}`,
    );
    return 0;
}
