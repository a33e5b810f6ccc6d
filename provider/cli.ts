#!/usr/bin/env node
/**
 * `pulumi-clickhouse-cloud`: commands shipped with the package.
 *
 *   pulumi-clickhouse-cloud orphans [--stack NAME | --file EXPORT.json] [--owner ID]... [--delete]
 *   pulumi-clickhouse-cloud move-to-plugin --stack NAME [--out FILE] [--apply]
 *
 * `move-to-plugin` moves a stack's resources from the TypeScript classes to the plugin face
 * (./move.ts, docs/plugin.md).
 *
 * `orphans` lists the services (and ClickPipes) that carry a stack's ownership mark but are not in
 * its state — what a run killed between a POST and the engine's record leaves, or a service the
 * stack released — and deletes them only with `--delete`. The stack's ownership id comes from its
 * `clickhouse:StackOwnership` record in `pulumi stack export` (run for `--stack`, or read from
 * `--file`); after a `destroy` the record is gone, and `--owner` takes the id that destroy printed.
 * Credentials: the stack's `clickhouse:*` configuration (with `--stack`), else the environment
 * (`CLICKHOUSE_ORG_ID`, `CLICKHOUSE_TOKEN_KEY`, `CLICKHOUSE_TOKEN_SECRET`, `CLICKHOUSE_API_URL`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { serviceStateOf } from "./api/catalog";
import { deleteClickPipe } from "./api/clickpipes";
import { getClient } from "./api/client";
import { currentConfig, setStackConfig } from "./config";
import { OWNER_ID } from "./journal";
import { MoveError, moveToPlugin, type MoveOptions } from "./move";
import { describeLeftover, findMarked, Leftover } from "./ownership";
import { PACKAGE } from "./plugin/tokens";
import { OWNER_KEY } from "./resources/hidden";

const MOVE_USAGE = `Usage: pulumi-clickhouse-cloud move-to-plugin --stack NAME [--out FILE] [--apply] [--cwd DIR]

Moves the stack's ClickHouse resources from the TypeScript classes (the dynamic face) to the
plugin face (clickhouse-cloud:index:*) without changing any cloud object: it takes them out of
the state and imports each by its id. Without --apply it only prints the plan and writes the
import file. Needs the clickhouse-cloud plugin installed (docs/plugin.md).

  --stack NAME   the stack to move
  --out FILE     the "pulumi import --file" document to write (default: NAME.import.json)
  --apply        change the state (a backup of "pulumi stack export" is written first)
  --cwd DIR      the Pulumi project folder (default: the current folder)`;

/**
 * Calls `handle` for each argument of a command; `value()` takes the argument's value (the next
 * one), and throws naming the argument when there is none.
 */
function eachArgument(argv: readonly string[], handle: (arg: string, value: () => string) => void): void {
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        handle(a, () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
            return v;
        });
    }
}

/** Parses the arguments after `move-to-plugin`; throws with a message naming the bad one. */
export function parseMoveArgs(argv: readonly string[]): MoveOptions {
    const o: Partial<MoveOptions> & { apply: boolean; cwd: string } = { apply: false, cwd: process.cwd() };
    eachArgument(argv, (a, value) => {
        if (a === "--stack") o.stack = value();
        else if (a === "--out") o.out = value();
        else if (a === "--cwd") o.cwd = value();
        else if (a === "--apply") o.apply = true;
        else throw new Error(`unknown argument ${JSON.stringify(a)}`);
    });
    if (!o.stack) throw new Error("give --stack NAME");
    return { stack: o.stack, out: o.out ?? `${o.stack}.import.json`, apply: o.apply, cwd: o.cwd };
}

async function move(rest: readonly string[]): Promise<number> {
    if (rest.includes("--help") || rest.includes("-h")) {
        console.log(MOVE_USAGE);
        return 0;
    }
    let o: MoveOptions;
    try {
        o = parseMoveArgs(rest);
    } catch (e) {
        console.error(`pulumi-clickhouse-cloud move-to-plugin: ${(e as Error).message}\n\n${MOVE_USAGE}`);
        return 2;
    }
    try {
        return await moveToPlugin(o);
    } catch (e) {
        const stderr = (e as { stderr?: unknown }).stderr;
        console.error(`pulumi-clickhouse-cloud move-to-plugin: ${(e as Error).message}${stderr ? `\n${String(stderr).trim()}` : ""}`);
        return e instanceof MoveError ? 2 : 1;
    }
}

const USAGE = `Usage: pulumi-clickhouse-cloud orphans [--stack NAME | --file EXPORT.json] [--owner ID]... [--delete] [--cwd DIR]

Lists the ClickHouse Cloud services and ClickPipes that carry a stack's ownership mark but are
not in its state, and deletes them with --delete (services are stopped first, and their
ClickPipes go with them).

  --stack NAME   read the stack with "pulumi stack export" (and its clickhouse:* configuration)
  --file PATH    read a file written by "pulumi stack export" instead
  --owner ID     an ownership id (16 hex digits) to look for, e.g. the one "pulumi destroy" printed
  --delete       delete what is listed
  --cwd DIR      the Pulumi project folder (default: the current folder)

Credentials come from the stack's clickhouse:* configuration (with --stack), else from
CLICKHOUSE_ORG_ID, CLICKHOUSE_TOKEN_KEY, CLICKHOUSE_TOKEN_SECRET and CLICKHOUSE_API_URL.

${MOVE_USAGE}`;

interface Options {
    stack?: string;
    file?: string;
    owners: string[];
    delete: boolean;
    cwd: string;
}

/** Parses the arguments after `orphans`; throws with a message naming the bad one. */
export function parseOrphansArgs(argv: readonly string[]): Options {
    const o: Options = { owners: [], delete: false, cwd: process.cwd() };
    eachArgument(argv, (a, value) => {
        if (a === "--stack") o.stack = value();
        else if (a === "--file") o.file = value();
        else if (a === "--owner") {
            const v = value().replace(/^o-/, "");
            if (!OWNER_ID.test(v))
                throw new Error(
                    `--owner ${JSON.stringify(v)} is not an ownership id (16 hexadecimal digits, as "pulumi destroy" prints it)`,
                );
            o.owners.push(v);
        } else if (a === "--delete") o.delete = true;
        else if (a === "--cwd") o.cwd = value();
        else throw new Error(`unknown argument ${JSON.stringify(a)}`);
    });
    if (o.stack && o.file) throw new Error("give --stack or --file, not both");
    if (!o.stack && !o.file && o.owners.length === 0) throw new Error("give --stack NAME, --file EXPORT.json or --owner ID");
    return o;
}

interface StateView {
    owners: string[];
    known: Set<string>;
}

/** Ownership ids and object ids of a `pulumi stack export` document. */
export function readExport(doc: unknown): StateView {
    const resources: Array<{ type?: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> =
        ((doc as { deployment?: { resources?: unknown[] } })?.deployment?.resources as never) ?? [];
    const owners = new Set<string>();
    const known = new Set<string>();
    for (const r of resources) {
        // The plugin face keeps the ownership id in its provider's inputs (checkProviderConfig).
        if (r.type === `pulumi:providers:${PACKAGE}`) {
            const owner = r.inputs?.[OWNER_KEY] ?? r.outputs?.[OWNER_KEY];
            if (typeof owner === "string" && OWNER_ID.test(owner)) owners.add(owner);
            continue;
        }
        // A resource moved to the plugin face (move-to-plugin) is in the state too: not an orphan.
        if (typeof r.type === "string" && r.type.startsWith("clickhouse-cloud:index:") && typeof r.id === "string" && r.id !== "")
            known.add(r.id);
        if (typeof r.type !== "string" || !r.type.startsWith("pulumi-nodejs:dynamic/clickhouse:")) continue;
        if (r.type.endsWith(":StackOwnership")) {
            const owner = typeof r.outputs?.ownerId === "string" ? r.outputs.ownerId : r.id;
            if (typeof owner === "string" && OWNER_ID.test(owner)) owners.add(owner);
        } else if (typeof r.id === "string" && r.id !== "") {
            known.add(r.id);
        }
    }
    return { owners: [...owners], known };
}

function pulumi(args: string[], cwd: string): string {
    return execFileSync("pulumi", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
}

async function orphans(o: Options): Promise<number> {
    let view: StateView = { owners: [], known: new Set() };
    if (o.file) view = readExport(JSON.parse(fs.readFileSync(o.file, "utf8")));
    if (o.stack) {
        view = readExport(JSON.parse(pulumi(["stack", "export", "--stack", o.stack], o.cwd)));
        // The stack's own credentials, when it has them; the environment otherwise.
        const config = JSON.parse(pulumi(["config", "--show-secrets", "--json", "--stack", o.stack], o.cwd)) as Record<
            string,
            { value?: string }
        >;
        const stack: Record<string, string | undefined> = {};
        // The TypeScript classes' `clickhouse:` settings, or the plugin face's `clickhouse-cloud:` ones.
        for (const [k, v] of Object.entries(config)) {
            const m = /^clickhouse(?:-cloud)?:(.+)$/.exec(k);
            if (!m || typeof v?.value !== "string") continue;
            if (k.startsWith("clickhouse:")) stack[k] = v.value;
            else stack[`clickhouse:${m[1]}`] ??= v.value;
        }
        setStackConfig(stack);
    }
    const owners = [...new Set([...view.owners, ...o.owners])];
    if (owners.length === 0) {
        console.error(
            `pulumi-clickhouse-cloud orphans: the state has no ownership id (no clickhouse:StackOwnership record, no ${PACKAGE} provider ` +
                `with one: the stack was destroyed, or nothing of it was deployed with this version). Pass the ownership id "pulumi destroy" ` +
                `printed (on the plugin face, the name of the attempts file that lists the stack's resources): --owner <16 hex digits>.`,
        );
        return 2;
    }
    const client = getClient(currentConfig());
    const found: Leftover[] = [];
    for (const owner of owners) found.push(...(await findMarked(client, owner, view.known)));
    if (found.length === 0) {
        console.log(`No orphans: nothing carries the ownership mark of ${owners.map((x) => `o-${x}`).join(", ")} outside the state.`);
        return 0;
    }
    console.log(
        `${found.length} object(s) carry the ownership mark of ${owners.map((x) => `o-${x}`).join(", ")} and are not in the state:`,
    );
    for (const l of found) {
        const why = l.interrupted
            ? `left by an interrupted create of ${l.resource}`
            : "released (retainOnDelete, pulumi state delete) or left by a run on another machine";
        console.log(`  ${describeLeftover(l)}${l.createdAt ? `, created ${l.createdAt}` : ""}: ${why}`);
    }
    if (!o.delete) {
        console.log(`Nothing was changed. To delete them: pulumi-clickhouse-cloud orphans ${process.argv.slice(3).join(" ")} --delete`);
        return 0;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { deleteService } = require("./resources/service") as typeof import("./resources/service");
    const pipes = found.filter((l) => l.kind === "ClickPipe");
    for (const l of pipes) {
        console.log(`deleting ${describeLeftover(l)}`);
        await deleteClickPipe(client, l.serviceId ?? "", l.id);
    }
    await Promise.all(
        found
            .filter((l) => l.kind === "Service")
            .map(async (l) => {
                console.log(`deleting ${describeLeftover(l)} (stopping it first when running)`);
                await deleteService(l.id, { state: serviceStateOf(l.state), name: l.name });
                console.log(`deleted service ${l.id}`);
            }),
    );
    return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (!command || command === "--help" || command === "-h" || command === "help") {
        console.log(USAGE);
        return command ? 0 : 2;
    }
    if (command === "move-to-plugin") return move(rest);
    if (command !== "orphans") {
        console.error(`pulumi-clickhouse-cloud: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    let o: Options;
    try {
        o = parseOrphansArgs(rest);
    } catch (e) {
        console.error(`pulumi-clickhouse-cloud orphans: ${(e as Error).message}\n\n${USAGE}`);
        return 2;
    }
    try {
        return await orphans(o);
    } catch (e) {
        console.error(`pulumi-clickhouse-cloud orphans: ${(e as Error).message}`);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
