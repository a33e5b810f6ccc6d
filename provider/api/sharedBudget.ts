/**
 * Where a rate-limit budget lives: in this process only, or in a small file shared by every
 * process of this machine that uses the same API key (each `pulumi` run has its own provider
 * process, and GitOps pipelines run several stacks at once with one organization key).
 *
 * The shared file is `<cache dir>/pulumi-clickhouse-cloud/rate-limit/<hash>.json`, where the
 * hash is a SHA-256 of the API URL and the key id: neither the key id nor the secret is in the
 * file or its name. It holds only what {@link ../limiter} needs to keep the processes together
 * within the limit: the recent grants (time, end, priority class, which process), per process
 * how many requests wait in each class and the observation reserve, the shared pause after a
 * 429, and the budget learned from 429s. A few hundred bytes.
 *
 * Every change is a read-modify-write under a lock, done synchronously: a process holds the lock
 * for the microseconds of one read and one write and never across an `await`, so only a process
 * that dies inside those microseconds can leave it behind. The lock `<hash>.lock` is a hard link
 * to the owner's token file (`<hash>.<pid>.<random>.owner`: pid, host hash, time of locking):
 * `link()` fails when the lock exists, so taking it is atomic, and it creates no inode, which on
 * a loaded ext4 disk costs ~40 µs where creating and removing a file costs ~1 ms. A lock whose
 * owner's pid no longer exists on this host is broken at once, any other after
 * {@link LOCK_STALE_MS}. The state is rewritten in place under the lock, padded with spaces to
 * its old length so that it is valid JSON at every instant.
 *
 * No dependency: `proper-lockfile` (the usual choice) is asynchronous, keeps a timer per lock to
 * refresh its mtime and treats a lock as stale only after seconds; a lock held for microseconds
 * by code that never yields needs none of that, and the pid check breaks a dead owner's lock at
 * once instead of after its stale time.
 */
import { pidAlive } from "../processes";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Priority classes as stored: 0 `start`, 1 `normal`, 2 `observe`. */
export type ClassIndex = 0 | 1 | 2;

/** One slot handed out, by any process: counted from `at` until `end` (0 while in flight). */
export interface GrantRecord {
    /** The process (member id) it was granted to. */
    m: string;
    /** That member's sequence number of the grant. */
    s: number;
    at: number;
    /** When it stops counting (one window after its answer arrived); 0 while the request is in flight. */
    end: number;
    c: ClassIndex;
    /** 1 when the answer was a 429. */
    x?: 1;
}

/** A process using the budget. */
export interface MemberRecord {
    pid: number;
    /** A short hash of the host name: a pid is only checked on the host that owns it. */
    host: string;
    /** Last time this member wrote the state. */
    seen: number;
    /** Requests waiting for a slot, per class. */
    w: [number, number, number];
    /** Slots its poller keeps for observations while it waits (0 when none). */
    r: number;
}

/** The budget learned from 429 answers, when smaller than the configured limit. */
export interface LearnedBudget {
    /** Requests per window. */
    n: number;
    /** Last change (decrease or recovery step). */
    at: number;
    /** Last decrease. */
    cut: number;
}

export interface BudgetState {
    v: 1;
    g: GrantRecord[];
    m: Record<string, MemberRecord>;
    /** Nobody sends before this time (epoch ms): the server said the key is exhausted. */
    p: number;
    b?: LearnedBudget;
    /** Slow start: answers still needed before more than a few requests may be in flight; absent when over. */
    ss?: number;
}

export function emptyState(): BudgetState {
    return { v: 1, g: [], m: {}, p: 0 };
}

/** Where budgets live: updates run `fn` on the current state and keep what it changed. */
export interface BudgetStore {
    readonly shared: boolean;
    update<T>(fn: (s: BudgetState) => T): T;
}

/** The budget of this process alone. */
export class LocalBudgetStore implements BudgetStore {
    readonly shared = false;
    constructor(private state: BudgetState = emptyState()) {}
    update<T>(fn: (s: BudgetState) => T): T {
        return fn(this.state);
    }
}

/** The lock is held by a live process for longer than a few milliseconds: try again shortly. */
export class BudgetLockBusy extends Error {
    constructor() {
        super("the shared rate-limit budget is locked by another process");
        this.name = "BudgetLockBusy";
    }
}

/** A lock older than this whose owner cannot be checked (another host) is taken as abandoned. */
export const LOCK_STALE_MS = 2000;
/** How long one update waits for the lock before giving up for now (it is held for microseconds). */
const LOCK_SPINS = 40;
const SPIN_SLEEP_MS = 0.5;
/** Budget files untouched for this long are removed when a store opens its directory. */
const OLD_FILE_MS = 24 * 3600_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Sleeps synchronously (the lock is held for microseconds, never across an await). */
function sleepSync(ms: number): void {
    Atomics.wait(sleeper, 0, 0, ms);
}

/** A short hash of the host name: pids are only meaningful on their own host (and pid namespace). */
export const HOST = crypto.createHash("sha256").update(os.hostname()).digest("hex").slice(0, 8);

export { pidAlive };

/** The file name (without extension) of a key's budget: a hash of the API URL and the key id. */
export function budgetFileKey(apiUrl: string, keyId: string): string {
    const url = apiUrl.trim().replace(/\/+$/, "").replace(/\/v1$/, "").toLowerCase();
    return crypto.createHash("sha256").update(`pulumi-clickhouse-cloud rate limit\n${url}\n${keyId}`).digest("hex").slice(0, 32);
}

/** The user's cache directory for this package's rate-limit budgets. */
export function defaultBudgetDir(
    env: NodeJS.ProcessEnv = process.env,
    platform: NodeJS.Platform = process.platform,
    home = os.homedir(),
): string {
    let base: string;
    if (platform === "win32") base = env.LOCALAPPDATA || path.join(home, "AppData", "Local");
    else if (platform === "darwin") base = path.join(home, "Library", "Caches");
    else base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, ".cache");
    return path.join(base, "pulumi-clickhouse-cloud", "rate-limit");
}

/**
 * Whether processes share the budget, and where: `CLICKHOUSE_RATE_LIMIT_SHARED` (`off`, `false`,
 * `0` or `no` keeps the budget per process; default on) and `CLICKHOUSE_RATE_LIMIT_DIR` (the
 * directory; default {@link defaultBudgetDir}).
 */
export function sharingFromEnv(env: NodeJS.ProcessEnv = process.env): { dir: string } | false {
    const v = (env.CLICKHOUSE_RATE_LIMIT_SHARED ?? "").trim().toLowerCase();
    if (["off", "false", "0", "no", "none"].includes(v)) return false;
    const dir = (env.CLICKHOUSE_RATE_LIMIT_DIR ?? "").trim();
    return { dir: dir !== "" ? dir : defaultBudgetDir(env) };
}

/** Parses a state file; anything unexpected yields an empty state (a budget is not worth a crash). */
export function parseState(text: string): BudgetState {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch {
        return emptyState();
    }
    const s = emptyState();
    if (!raw || typeof raw !== "object") return s;
    const r = raw as Record<string, unknown>;
    if (r.v !== 1) return s;
    const num = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
    if (Array.isArray(r.g)) {
        for (const g of r.g as Array<Record<string, unknown>>) {
            if (!g || typeof g.m !== "string" || !num(g.s) || !num(g.at) || !num(g.end) || (g.c !== 0 && g.c !== 1 && g.c !== 2)) continue;
            s.g.push({ m: g.m, s: g.s, at: g.at, end: g.end, c: g.c, ...(g.x === 1 ? { x: 1 as const } : {}) });
        }
    }
    if (r.m && typeof r.m === "object") {
        for (const [id, m] of Object.entries(r.m as Record<string, Record<string, unknown>>)) {
            if (!m || !num(m.pid) || typeof m.host !== "string" || !num(m.seen) || !Array.isArray(m.w) || !num(m.r)) continue;
            const w = (m.w as unknown[]).map((x) => (num(x) && x > 0 ? Math.floor(x) : 0));
            s.m[id] = { pid: m.pid, host: m.host, seen: m.seen, w: [w[0] ?? 0, w[1] ?? 0, w[2] ?? 0], r: Math.max(0, Math.floor(m.r)) };
        }
    }
    if (num(r.p)) s.p = r.p;
    const b = r.b as Record<string, unknown> | undefined;
    if (b && num(b.n) && b.n >= 1 && num(b.at) && num(b.cut)) s.b = { n: Math.floor(b.n), at: b.at, cut: b.cut };
    if (num(r.ss) && r.ss >= 1) s.ss = Math.floor(r.ss);
    return s;
}

/** The budget of one key, in a file shared by the processes of this machine. */
export class SharedBudgetStore implements BudgetStore {
    readonly shared = true;
    readonly file: string;
    private readonly lockFile: string;
    /** This process's token file; the lock is a hard link to it, so the lock names its owner. */
    private readonly tokenFile: string;
    private readonly tokenFd: number;
    private readonly tokenIno: number;
    private readonly token = `${process.pid} ${HOST} ${crypto.randomBytes(6).toString("hex")}`;
    /** Lock and file operations done (tests and the micro benchmark). */
    readonly counters = { updates: 0, writes: 0, lockWaits: 0, locksBroken: 0 };

    /**
     * Creates the directory (mode 700) and this process's token file, and checks that the state
     * can be written there; throws when the directory cannot be used (the caller then keeps the
     * budget per process).
     */
    constructor(
        readonly dir: string,
        key: string,
    ) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        this.file = path.join(dir, `${key}.json`);
        this.lockFile = path.join(dir, `${key}.lock`);
        this.tokenFile = path.join(dir, `${key}.${process.pid}.${crypto.randomBytes(3).toString("hex")}.owner`);
        this.tokenFd = fs.openSync(this.tokenFile, "wx+", 0o600);
        this.tokenIno = fs.fstatSync(this.tokenFd).ino;
        removeAtExit(this.tokenFile, this.tokenFd);
        this.update(() => undefined);
        removeOldFiles(dir);
    }

    update<T>(fn: (s: BudgetState) => T): T {
        this.lock();
        try {
            this.counters.updates++;
            let fd: number;
            try {
                fd = fs.openSync(this.file, "r+");
            } catch (e) {
                if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
                fd = fs.openSync(this.file, "w+", 0o600);
            }
            try {
                const before = fs.readFileSync(fd, "utf8");
                const state = parseState(before);
                const result = fn(state);
                const after = JSON.stringify(state);
                if (after !== before.trimEnd()) {
                    // Rewritten in place (every reader holds the lock). Padded with spaces to the old length,
                    // so the file is valid JSON at every instant, even if this process dies before the truncate.
                    const text = after.length < before.length ? after + " ".repeat(before.length - after.length) : after;
                    fs.writeSync(fd, text, 0, "utf8");
                    if (after.length < before.length / 2) fs.ftruncateSync(fd, after.length);
                    this.counters.writes++;
                }
                return result;
            } finally {
                fs.closeSync(fd);
            }
        } finally {
            this.unlock();
        }
    }

    private lock(): void {
        let lastSeen: string | undefined;
        for (let i = 0; i < LOCK_SPINS; i++) {
            // The time goes into the token (same length every time) before it becomes the lock.
            fs.writeSync(this.tokenFd, `${this.token} ${String(Date.now()).padStart(16, "0")}`, 0, "utf8");
            try {
                fs.linkSync(this.tokenFile, this.lockFile);
                return;
            } catch (e) {
                if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            }
            const holder = readOrUndefined(this.lockFile);
            if (holder === undefined) continue; // released meanwhile
            // An empty lock that stays empty through the spins: its owner died before writing its token.
            if (this.abandoned(holder) || (holder === "" && lastSeen === "" && i === LOCK_SPINS - 1)) {
                this.breakLock(holder);
                continue;
            }
            lastSeen = holder;
            this.counters.lockWaits++;
            sleepSync(SPIN_SLEEP_MS);
        }
        throw new BudgetLockBusy();
    }

    /** True when the lock's owner is dead (same host) or the lock is older than {@link LOCK_STALE_MS}. */
    private abandoned(holder: string): boolean {
        const [pid, host, , at] = holder.split(" ");
        if (host === HOST && pid !== undefined && !pidAlive(Number(pid))) return true;
        const t = Number(at);
        return Number.isFinite(t) && Math.abs(Date.now() - t) > LOCK_STALE_MS;
    }

    /**
     * Moves the abandoned lock aside (rename is atomic), then checks that what was moved is the lock
     * judged abandoned: if another process took the lock in between, its lock is put back.
     */
    private breakLock(holder: string): void {
        const aside = `${this.lockFile}.${process.pid}.${crypto.randomBytes(3).toString("hex")}.broken`;
        try {
            fs.renameSync(this.lockFile, aside);
        } catch {
            return; // gone already
        }
        const moved = readOrUndefined(aside);
        if (moved !== holder) {
            try {
                fs.linkSync(aside, this.lockFile);
            } catch {
                // a third process holds the lock now; nothing better to do than let both finish
            }
        } else {
            this.counters.locksBroken++;
        }
        try {
            fs.unlinkSync(aside);
        } catch {
            // already removed
        }
    }

    private unlock(): void {
        // Only our own lock: if ours was broken as abandoned (this process was frozen), leave the new owner's.
        try {
            if (fs.statSync(this.lockFile).ino === this.tokenIno) fs.unlinkSync(this.lockFile);
        } catch {
            // removed meanwhile
        }
    }
}

/** Token files to remove when the process exits: one listener per process, whatever loads this module. */
function removeAtExit(file: string, fd: number): void {
    const key = Symbol.for("pulumi-clickhouse-cloud.rateLimitTokens");
    const registry = process as unknown as Record<symbol, Map<string, number> | undefined>;
    let files = registry[key];
    if (!files) {
        const created = new Map<string, number>();
        files = registry[key] = created;
        process.once("exit", () => {
            for (const [f, d] of created) {
                try {
                    fs.closeSync(d);
                    fs.unlinkSync(f);
                } catch {
                    // gone already
                }
            }
        });
    }
    files.set(file, fd);
}

function readOrUndefined(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/**
 * Removes the token files of processes that are gone (killed before their exit handler ran), and
 * budget and state files (./sharedStates.ts) nobody has touched for a day (one per API URL and
 * key ever used), with the temporary files of state writers that died.
 */
function removeOldFiles(dir: string): void {
    let names: string[];
    try {
        names = fs.readdirSync(dir);
    } catch {
        return;
    }
    const now = Date.now();
    for (const name of names) {
        if (!/^[0-9a-f]{32}(\.json|\.lock|\.states-[0-9a-f]{12}\.json|\..*\.(owner|broken|tmp))$/.test(name)) continue;
        const file = path.join(dir, name);
        try {
            if (name.endsWith(".owner")) {
                const [pid, host] = (readOrUndefined(file) ?? "").split(" ");
                if (host === HOST && !pidAlive(Number(pid))) {
                    fs.unlinkSync(file);
                    continue;
                }
            }
            if (now - fs.statSync(file).mtimeMs > OLD_FILE_MS) fs.unlinkSync(file);
        } catch {
            // in use or gone
        }
    }
}
