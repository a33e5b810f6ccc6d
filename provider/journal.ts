/**
 * The local record of creates in flight: what makes "this stack's interrupted create" provable.
 *
 * Before a Service or ClickPipe POST, the provider writes an *attempt* (a random id, also put in
 * the object's creation mark) into a small file named after the stack's ownership id; once the
 * engine has been handed the object (create returned, or failed with its id), the attempt is
 * removed. An attempt still in the file on the next run is a create that was interrupted between
 * the POST and the engine's record, of this stack instance (the ownership id lives in its state)
 * and this resource: the only objects the provider ever takes without being told to. Anything
 * else that carries the stack's mark — a service released with `retainOnDelete` or
 * `pulumi state delete`, one of another backend's same-named stack, one of another resource —
 * has no attempt here and is never taken (see docs/ownership.md).
 *
 * The file holds no secret and no key id: attempt ids, resource names, service ids and times.
 * It lives under the user's cache directory (`$XDG_CACHE_HOME` or `~/.cache`,
 * `pulumi-clickhouse-cloud/attempts/`, or `CLICKHOUSE_ATTEMPTS_DIR`). When it cannot be written
 * the provider goes on without it (a debug line says so): interrupted creates are then not
 * resumed automatically, and `pulumi-clickhouse-cloud orphans` finds what they left.
 *
 * Writes are synchronous (write a temporary file, then rename), so the file is complete at every
 * moment a kill can happen, and an attempt is removed before `create` hands its answer back.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { debug } from "./log";

/** One create in flight. */
export interface Attempt {
    /** Random id, also in the object's creation mark. */
    attempt: string;
    /** Resource kind. */
    kind: "Service" | "ClickPipe";
    /** The resource: `<project>/<stack>/<name>`. */
    resource: string;
    /** When the attempt began (ISO-8601). */
    startedAt: string;
    /** ClickPipe: its service. */
    serviceId?: string;
    /** ClickPipe: its name at the attempt (pipes carry no tags). */
    name?: string;
}

interface JournalFile {
    version: 1;
    owner: string;
    attempts: Attempt[];
}

/** Attempts this process began: never "interrupted" from its own point of view. */
const ownAttempts = new Set<string>();
let unavailableReported = false;

/** Where attempt files live. */
export function attemptsDir(env: NodeJS.ProcessEnv = process.env): string {
    if (env.CLICKHOUSE_ATTEMPTS_DIR) return env.CLICKHOUSE_ATTEMPTS_DIR;
    const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(cache, "pulumi-clickhouse-cloud", "attempts");
}

/** An ownership id is 16 lowercase hex digits; anything else never names a file. */
export const OWNER_ID = /^[0-9a-f]{16}$/;

function fileOf(owner: string): string {
    if (!OWNER_ID.test(owner)) throw new Error(`not an ownership id: ${JSON.stringify(owner)}`);
    return path.join(attemptsDir(), `${owner}.json`);
}

function load(owner: string): JournalFile {
    try {
        const parsed = JSON.parse(fs.readFileSync(fileOf(owner), "utf8")) as Partial<JournalFile>;
        if (parsed && parsed.version === 1 && Array.isArray(parsed.attempts)) {
            return {
                version: 1,
                owner,
                attempts: parsed.attempts.filter((a) => a && typeof a.attempt === "string" && typeof a.resource === "string"),
            };
        }
    } catch {
        // Missing or unreadable: no attempts.
    }
    return { version: 1, owner, attempts: [] };
}

function save(owner: string, file: JournalFile): boolean {
    const target = fileOf(owner);
    try {
        if (file.attempts.length === 0) {
            fs.rmSync(target, { force: true });
            return true;
        }
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        const tmp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(file, null, 1) + "\n", { mode: 0o600 });
        fs.renameSync(tmp, target);
        return true;
    } catch (e) {
        if (!unavailableReported) {
            unavailableReported = true;
            debug(
                `pulumi-clickhouse-cloud: cannot write the attempts file in ${path.dirname(target)} (${(e as Error).message}); ` +
                    `interrupted creates will not be resumed automatically (pulumi-clickhouse-cloud orphans finds them).`,
            );
        }
        return false;
    }
}

/** A new random attempt id (12 hex digits). */
export function newAttemptId(): string {
    return crypto.randomBytes(6).toString("hex");
}

/** Records an attempt before its POST. */
export function beginAttempt(owner: string, a: Omit<Attempt, "startedAt"> & { startedAt?: string }): Attempt {
    const attempt: Attempt = { ...a, startedAt: a.startedAt ?? new Date().toISOString() };
    ownAttempts.add(attempt.attempt);
    const file = load(owner);
    file.attempts.push(attempt);
    save(owner, file);
    return attempt;
}

/** Removes attempts once the engine has been handed their object (or they created nothing). */
export function finishAttempts(owner: string, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const file = load(owner);
    const before = file.attempts.length;
    file.attempts = file.attempts.filter((a) => !ids.includes(a.attempt));
    if (file.attempts.length !== before) save(owner, file);
}

/** Removes the stack's attempts file (its ownership record is being deleted). */
export function clearAttempts(owner: string): void {
    save(owner, { version: 1, owner, attempts: [] });
}

/** Attempts of earlier runs (not this process) for one resource of this stack. */
export function interruptedAttempts(owner: string, kind: Attempt["kind"], resource: string): Attempt[] {
    return load(owner).attempts.filter((a) => a.kind === kind && a.resource === resource && !ownAttempts.has(a.attempt));
}

/** Every attempt of earlier runs recorded for this stack. */
export function allInterruptedAttempts(owner: string): Attempt[] {
    return load(owner).attempts.filter((a) => !ownAttempts.has(a.attempt));
}

/** Forgets this process's own attempts (tests play several runs in one process). */
export function resetOwnAttempts(): void {
    ownAttempts.clear();
}
