/**
 * Client-side rate limiter, one per API key, shared by every request of that key in the process
 * (the engine runs all dynamic resources of a program in one provider process, so module state
 * here is shared by all of them) and, through a small file, by every process of this machine
 * that uses the same key (see ./sharedBudget: several `pulumi` runs of one pipeline).
 *
 * The API allows 10 requests per 10-second window per key. The limiter keeps a sliding window of
 * N requests per S seconds and counts a request from the moment it is sent until S seconds
 * after its response arrived (or it failed). The server counted the request at some instant
 * between those two, so whatever window the server uses (fixed or sliding, from arrival or from
 * completion), at most N of our requests fall into any S-second stretch of its clock. This costs
 * up to one round trip of throughput per slot and buys never seeing a 429 from our own traffic.
 * With the shared budget, "our" requests are those of every process sharing the file.
 *
 * Waiters are served by priority class (see {@link RequestPriority}), first come first served
 * within a class in a process; across processes a class waits while another process has waiters
 * of a higher class (creates before polls), and within a class whoever asks first gets the slot.
 *
 * While someone waits for a state change, the poller asks for a reserve (usually one slot):
 * unless an observation of that process is already in the window, normal requests leave that
 * many slots free, so the observation that lets waiters move on is never stuck behind a full
 * window of mutations. The cost is at most one slot per window while waits are in progress; without it a
 * burst of ten stops would hide the moment they finish for a whole window. Service creates
 * (`start` priority) are exempt: their own transition lasts minutes, and keeping one back
 * would delay it by a whole window to save an observation a few seconds.
 *
 * Others using the key from elsewhere (another machine, the console, a script) show up only as
 * 429 answers. After one, every process sharing the budget pauses until the server's reset time
 * (`X-RateLimit-Reset`), and the budget is halved (at most once per window); it grows back by one
 * request per {@link RECOVER_WINDOWS} windows without a 429, up to the configured limit. A burst
 * into an idle window starts slowly: at most {@link SLOW_START} requests in flight until a
 * budget's worth of answers has come back without a 429. What is refused when an unknown user of
 * the key has filled the window is what was in flight when it filled, so the first contact costs
 * a couple of refusals rather than a whole window of them. The ten creates of a burst take five
 * round trips instead of one: milliseconds on the emulator, a few seconds on the real API,
 * against minutes of provisioning.
 *
 * When the engine cancels the run (Ctrl-C, see ../cancel), requests waiting for a slot are
 * refused at once with a cancellation error; a slot that is free is still handed out.
 */
import { AsyncLocalStorage } from "async_hooks";
import * as crypto from "crypto";
import { cancellationError, onCancel } from "../cancel";
import { debug } from "../log";
import {
    BudgetLockBusy,
    BudgetState,
    BudgetStore,
    ClassIndex,
    GrantRecord,
    HOST,
    LocalBudgetStore,
    SharedBudgetStore,
    budgetFileKey,
    emptyState,
    pidAlive,
    sharingFromEnv,
} from "./sharedBudget";

/** Requests allowed per window. */
export interface RateLimit {
    requests: number;
    windowMs: number;
}

/** Counters for tests and benchmarks. */
export interface LimiterStats {
    /** Slots handed out (requests sent, retries included). */
    sent: number;
    /** Requests waiting for a slot right now. */
    queued: number;
    /** Highest number of requests that waited at once. */
    maxQueued: number;
    /** 429 answers reported to this limiter. */
    throttled: number;
    /** Sum over all requests of the time spent waiting for a slot, in ms. */
    waitedMs: number;
    /** The limit in force, or false when limiting is off. */
    limit: RateLimit | false;
    /** True while the budget is shared with the other processes of this machine using the key. */
    shared: boolean;
    /** Requests per window currently allowed: the limit, or less after 429s. */
    budget: number | undefined;
    /** The smallest budget this limiter has worked with. */
    lowestBudget: number | undefined;
}

/**
 * Call once when the response (or the failure) of the request has arrived, with the HTTP status
 * when there is one: a 429 tells the limiter that the request did not count as an answer.
 */
export type Release = (status?: number) => void;

/**
 * Who goes first when slots are scarce:
 * - `start`: a mutation that starts a long server-side transition (a service create: minutes of
 *   provisioning). It goes first and may use the reserved slots: holding it back for an
 *   observation would delay its whole transition by up to a window, while the observation it
 *   displaces is delayed at most until the window frees;
 * - `normal` (default): mutations and reads a resource needs now;
 * - `observe`: the poller's state observations; they go when no normal request can, and may use
 *   the reserved slots.
 */
export type RequestPriority = "start" | "normal" | "observe";

const CLASS: Record<RequestPriority, ClassIndex> = { start: 0, normal: 1, observe: 2 };

/** Slow start: requests in flight at most, in an idle window, until a budget's worth of answers came back. */
export const SLOW_START = 2;
/** After a 429 the budget is multiplied by this (at most once per window), down to 1. */
export const DECREASE = 0.5;
/** The learned budget grows back by one request per this many windows without a 429. */
export const RECOVER_WINDOWS = 2;
/** How often a process blocked by another process's waiters or requests looks again. */
export const POLL_MS = 25;
/** A process that waits for a slot writes its record at least this often. */
const HEARTBEAT_MS = 1000;
/** Records of processes not heard from for this long (and whose pid cannot be checked) are dropped. */
const MEMBER_TTL_MS = 5000;
/** An in-flight request older than this no longer counts as in flight (its process hung or died). */
const MAX_IN_FLIGHT_MS = 120_000;
/** Times further ahead than this come from another clock (or an old file of a test): ignored. */
const MAX_AHEAD_MS = 10 * 60_000;

interface Waiter {
    enqueuedAt: number;
    priority: RequestPriority;
    cls: ClassIndex;
    grant: (release: Release) => void;
    refuse: (e: Error) => void;
}

/** A grant of this process that still counts. */
interface OwnGrant {
    at: number;
    /** 0 while in flight. */
    end: number;
    cls: ClassIndex;
    throttled: boolean;
}

/** Options of a {@link RateLimiter}. */
export interface LimiterOptions {
    /** Share the budget with the other processes of this machine using the same API URL and key. */
    shared?: { dir: string; apiUrl: string; keyId: string };
    /**
     * Send bursts into an idle window a few at a time: true for {@link SLOW_START} in flight, or
     * that number. @default false
     */
    slowStart?: boolean | number;
}

const priorityContext = new AsyncLocalStorage<RequestPriority>();

/** Runs `fn` so that every request it makes (retries included) asks for slots with `priority`. */
export function withPriority<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    return priorityContext.run(priority, fn);
}

/** The priority of requests made from the current async context. */
export function currentPriority(): RequestPriority {
    return priorityContext.getStore() ?? "normal";
}

export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 10, windowMs: 10_000 };

/**
 * Parses `CLICKHOUSE_RATE_LIMIT`: `"N/S"` (N requests per S seconds, S may be fractional) or
 * `"off"`. Empty means the default 10/10.
 */
export function parseRateLimit(value: string | undefined): RateLimit | false {
    if (value === undefined || value.trim() === "") return { ...DEFAULT_RATE_LIMIT };
    const v = value.trim().toLowerCase();
    if (v === "off" || v === "false" || v === "0" || v === "none") return false;
    const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(v);
    if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
        throw new Error(`CLICKHOUSE_RATE_LIMIT="${value}" is not valid: use "N/S" (N requests per S seconds, e.g. "10/10") or "off"`);
    }
    return { requests: Number(m[1]), windowMs: Math.round(Number(m[2]) * 1000) };
}

export class RateLimiter {
    private limit: RateLimit | false;
    private store: BudgetStore;
    /** This process's id in the shared state (random: pids are reused). */
    private readonly id = crypto.randomBytes(4).toString("hex");
    private seq = 0;
    private readonly own = new Map<number, OwnGrant>();
    private queue: Waiter[] = [];
    /** Reserves asked for by pollers with waiters (see {@link holdReserve}); the largest applies. */
    private readonly reserves = new Map<symbol, number>();
    /** Changes waiting for the next update of the state. */
    private pending = { pauseUntil: 0, throttled: false, answers: 0 };
    /** Requests in flight at most during slow start; 0 when off. */
    private readonly slowStart: number;
    private timer: NodeJS.Timeout | undefined;
    private timerAt = 0;
    private heartbeat: NodeJS.Timeout | undefined;
    /** The pause in force as last seen (also honoured with the limit off). */
    private pausedUntil = 0;
    private budget: number | undefined;
    private readonly counters = { sent: 0, maxQueued: 0, throttled: 0, waitedMs: 0, lowestBudget: undefined as number | undefined };

    /**
     * @param baseReserve slots kept for observations at all times, not only while a poller holds
     * a reserve: the mutations that start a wait (ten stops of a destroy) are sent before anyone
     * waits, and must already leave room for the observation that follows them.
     */
    constructor(
        limit: RateLimit | false = DEFAULT_RATE_LIMIT,
        private readonly baseReserve = 0,
        options: LimiterOptions = {},
    ) {
        this.limit = limit;
        const ss = options.slowStart ?? false;
        this.slowStart = ss === true ? SLOW_START : ss === false ? 0 : Math.max(0, Math.floor(ss));
        this.store = new LocalBudgetStore();
        if (options.shared && limit !== false) {
            const { dir, apiUrl, keyId } = options.shared;
            try {
                this.store = new SharedBudgetStore(dir, budgetFileKey(apiUrl, keyId));
            } catch (e) {
                debug(
                    `clickhouse: rate-limit budget not shared with other processes (${describeError(e)} in ${dir}); this process keeps its own`,
                );
            }
        }
    }

    /**
     * Waits for a slot; resolves with the function to call when the response has arrived.
     * `priority` defaults to the one set by {@link withPriority} around the caller, else normal.
     */
    acquire(priority: RequestPriority = currentPriority()): Promise<Release> {
        return new Promise<Release>((resolve, reject) => {
            let off: (() => void) | undefined;
            const waiter: Waiter = {
                enqueuedAt: Date.now(),
                priority,
                cls: CLASS[priority] ?? 1,
                grant: (release) => {
                    off?.();
                    resolve(release);
                },
                refuse: reject,
            };
            this.queue.push(waiter);
            this.counters.maxQueued = Math.max(this.counters.maxQueued, this.queue.length);
            this.pump();
            // Still queued: a cancellation of the run ends the wait for a slot.
            if (this.queue.includes(waiter)) off = onCancel(() => this.refuseQueued(waiter));
        });
    }

    private refuseQueued(waiter: Waiter): void {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        this.counters.waitedMs += Date.now() - waiter.enqueuedAt;
        waiter.refuse(cancellationError("waiting for a slot of the API key's rate limit"));
        this.pump();
    }

    /** Runs `fn` inside a slot. */
    async run<T>(fn: () => Promise<T>): Promise<T> {
        const release = await this.acquire();
        try {
            return await fn();
        } finally {
            release();
        }
    }

    /** Stops handing out slots until `untilMs` (epoch ms), in every process sharing the budget. */
    pauseUntil(untilMs: number): void {
        if (untilMs > this.pending.pauseUntil) this.pending.pauseUntil = untilMs;
        this.pump();
    }

    /**
     * Records a 429 answer: someone else uses the key. `retryAfterMs` (the server's reset time)
     * pauses the key for that long; the budget is halved, at most once per window.
     */
    noteThrottled(retryAfterMs?: number): void {
        this.counters.throttled++;
        this.pending.throttled = true;
        if (retryAfterMs !== undefined && retryAfterMs > 0) this.pauseUntil(Date.now() + retryAfterMs);
        else this.pump();
    }

    /**
     * Keeps `slots` of every window for `observe` requests until the returned function is called.
     * A poller holds one while it has waiters. Capped at half the window.
     */
    holdReserve(slots = 1): Release {
        const key = Symbol("reserve");
        this.reserves.set(key, Math.max(0, Math.floor(slots)));
        this.pump();
        return () => {
            if (this.reserves.delete(key)) this.pump();
        };
    }

    /** Slots normal requests currently leave free for observations (this process's reserve). */
    get reserved(): number {
        if (this.limit === false) return 0;
        return Math.min(Math.max(this.baseReserve, this.activeReserve()), Math.floor((this.budget ?? this.limit.requests) / 2));
    }

    /** True while the budget is shared with other processes through the file. */
    get shared(): boolean {
        return this.store.shared;
    }

    /** Changes the limit (tests, or a new CLICKHOUSE_RATE_LIMIT). */
    setLimit(limit: RateLimit | false): void {
        this.limit = limit;
        this.pump();
    }

    stats(): LimiterStats {
        const { lowestBudget, ...rest } = this.counters;
        return {
            ...rest,
            queued: this.queue.length,
            limit: this.limit,
            shared: this.store.shared,
            budget: this.limit === false ? undefined : (this.budget ?? this.limit.requests),
            lowestBudget,
        };
    }

    private activeReserve(): number {
        let r = 0;
        for (const v of this.reserves.values()) r = Math.max(r, v);
        return r;
    }

    private pump(): void {
        if (this.limit === false) {
            // No limit: everything goes, highest class first, unless the server paused the key.
            const at = Math.max(this.pausedUntil, this.pending.pauseUntil);
            this.pausedUntil = at;
            this.pending = { pauseUntil: 0, throttled: false, answers: 0 };
            if (at > Date.now()) return this.setTimer(this.queue.length > 0 ? at : undefined);
            const order = [...this.queue].sort((a, b) => a.cls - b.cls);
            this.queue = [];
            for (const w of order) this.hand(w, undefined, Date.now());
            this.setTimer(undefined);
            return;
        }
        const now = Date.now();
        let decision: Decision;
        try {
            decision = this.store.update((s) => this.decide(s, now, this.limit as RateLimit));
        } catch (e) {
            if (e instanceof BudgetLockBusy) {
                this.setTimer(now + POLL_MS);
                return;
            }
            this.fallBack(e);
            decision = this.store.update((s) => this.decide(s, now, this.limit as RateLimit));
        }
        this.pending.answers = 0;
        this.pending.throttled = false;
        this.pending.pauseUntil = 0;
        for (const [w, seq, o] of decision.granted) {
            this.own.set(seq, o);
            const i = this.queue.indexOf(w);
            if (i >= 0) this.queue.splice(i, 1);
            this.hand(w, seq, now);
        }
        this.setTimer(this.queue.length > 0 ? decision.wakeAt : undefined);
        this.setHeartbeat();
    }

    private hand(w: Waiter, seq: number | undefined, now: number): void {
        this.counters.sent++;
        this.counters.waitedMs += now - w.enqueuedAt;
        w.grant(this.makeRelease(seq));
    }

    /**
     * One look at the budget (under the lock when shared): drops what no longer counts, publishes
     * this process's answers and 429s, and hands out the slots this process may take now.
     */
    private decide(s: BudgetState, now: number, limit: RateLimit): Decision {
        const W = limit.windowMs;
        this.prune(s, now, W);
        // This process's grants: answers arrived since the last look; grants the file lost (reset).
        const present = new Set<number>();
        for (const g of s.g) {
            if (g.m !== this.id) continue;
            const o = this.own.get(g.s);
            if (o) {
                if (o.end !== 0 && o.end > g.end) g.end = o.end;
                if (o.throttled) g.x = 1;
                present.add(g.s);
            } else if (g.end === 0) {
                g.end = now + W;
            }
        }
        for (const [seq, o] of this.own) {
            if (o.end !== 0 && o.end <= now) this.own.delete(seq);
            else if (!present.has(seq)) s.g.push(record(this.id, seq, o));
        }
        s.g = s.g.filter((g) => g.end === 0 || g.end > now);

        // The learned budget: halved after a 429 (once per window), one more per RECOVER_WINDOWS windows.
        const N = limit.requests;
        if (this.pending.pauseUntil > now) s.p = Math.max(s.p, this.pending.pauseUntil);
        this.pausedUntil = s.p;
        if (this.pending.throttled) {
            if (!s.b || now - s.b.cut >= W) {
                const current = Math.min(N, s.b?.n ?? N);
                s.b = { n: Math.max(1, Math.floor(current * DECREASE)), at: now, cut: now };
            }
            delete s.ss;
        }
        if (s.b) {
            const step = RECOVER_WINDOWS * W;
            while (s.b.n < N && now - s.b.at >= step) {
                s.b.n++;
                s.b.at += step;
            }
            if (s.b.n >= N) delete s.b;
        }
        const budget = Math.min(N, s.b?.n ?? N);
        this.budget = budget;
        if (this.counters.lowestBudget === undefined || budget < this.counters.lowestBudget) this.counters.lowestBudget = budget;

        // Slow start into an idle window: SLOW_START in flight until a budget's worth of answers came back.
        if (this.slowStart > 0) {
            if (s.ss === undefined && s.g.length === 0 && this.queue.length > 0 && s.p <= now) s.ss = budget;
            if (s.ss !== undefined) s.ss -= this.pending.answers;
            if (s.ss !== undefined && s.ss <= 0) delete s.ss;
        }

        const others = Object.entries(s.m).filter(([id]) => id !== this.id);
        // Committed to `own` by pump once the state is written.
        const granted: Array<[Waiter, number, OwnGrant]> = [];
        const byClass: Waiter[][] = [[], [], []];
        for (const w of this.queue) byClass[w.cls].push(w);
        const next = [0, 0, 0];
        const cap = Math.floor(budget / 2);
        let wakeAt = Infinity;
        for (;;) {
            if (next[0] >= byClass[0].length && next[1] >= byClass[1].length && next[2] >= byClass[2].length) break;
            if (s.p > now) {
                wakeAt = s.p;
                break;
            }
            const used = s.g.length;
            if (this.slowStart > 0 && s.ss !== undefined) {
                let inFlight = 0;
                let othersInFlight = 0;
                for (const g of s.g) {
                    if (g.end !== 0) continue;
                    inFlight++;
                    if (g.m !== this.id) othersInFlight++;
                }
                if (inFlight >= this.slowStart) {
                    // Our own answers call pump; another process's are seen by looking again.
                    wakeAt = othersInFlight > 0 ? now + POLL_MS : now + W;
                    break;
                }
            }
            // The reserve: per process, used up by that process's own observations in the window.
            let observations = 0;
            const observationsBy = new Map<string, number>();
            for (const g of s.g) {
                if (g.c !== 2) continue;
                observations++;
                observationsBy.set(g.m, (observationsBy.get(g.m) ?? 0) + 1);
            }
            let keepFree = Math.max(0, Math.min(this.baseReserve, cap) - observations);
            const mine = this.activeReserve();
            if (mine > 0) keepFree = Math.max(keepFree, Math.min(mine, cap) - (observationsBy.get(this.id) ?? 0));
            for (const [id, m] of others) if (m.r > 0) keepFree = Math.max(keepFree, Math.min(m.r, cap) - (observationsBy.get(id) ?? 0));
            keepFree = Math.min(keepFree, cap);
            let allowed: ClassIndex[];
            if (used < budget - keepFree) allowed = [0, 1, 2];
            else if (used < budget) allowed = [0, 2];
            else {
                wakeAt = earliestEnd(s.g, now + W);
                break;
            }
            const cls = allowed.find((c) => next[c] < byClass[c].length);
            if (cls === undefined) {
                // Only normal requests wait, in the reserved part: a slot frees, or another process's observation uses the reserve.
                wakeAt = Math.min(earliestEnd(s.g, now + W), others.length > 0 ? now + POLL_MS : Infinity);
                break;
            }
            // Creates before polls across processes: a higher class waiting elsewhere goes first.
            if (others.some(([, m]) => allowed.some((c) => c < cls && m.w[c] > 0))) {
                wakeAt = now + POLL_MS;
                break;
            }
            const w = byClass[cls][next[cls]++];
            const seq = ++this.seq;
            const o: OwnGrant = { at: now, end: 0, cls, throttled: false };
            s.g.push(record(this.id, seq, o));
            granted.push([w, seq, o]);
        }

        // This process's record: what it waits for and the reserve it holds.
        const waiting: [number, number, number] = [byClass[0].length - next[0], byClass[1].length - next[1], byClass[2].length - next[2]];
        const reserve = this.activeReserve();
        const inFlight = granted.length > 0 || [...this.own.values()].some((o) => o.end === 0);
        if (waiting[0] + waiting[1] + waiting[2] === 0 && reserve === 0 && !inFlight) delete s.m[this.id];
        else s.m[this.id] = { pid: process.pid, host: HOST, seen: now, w: waiting, r: reserve };
        if (this.store.shared && waiting[0] + waiting[1] + waiting[2] > 0) wakeAt = Math.min(wakeAt, now + HEARTBEAT_MS);
        return { granted, wakeAt };
    }

    /** Drops records of processes that are gone, grants that no longer count, times from another clock. */
    private prune(s: BudgetState, now: number, W: number): void {
        for (const [id, m] of Object.entries(s.m)) {
            if (id === this.id) continue;
            const gone = (m.host === HOST && !pidAlive(m.pid)) || now - m.seen > MEMBER_TTL_MS || m.seen > now + MAX_AHEAD_MS;
            if (gone) delete s.m[id];
        }
        s.g = s.g.filter((g) => g.at <= now + MAX_AHEAD_MS && g.end <= now + MAX_AHEAD_MS);
        for (const g of s.g) {
            // A request of a process that is gone counts for one more window from now, at most.
            if (g.end === 0 && g.m !== this.id && (!s.m[g.m] || now - g.at > MAX_IN_FLIGHT_MS)) g.end = now + W;
        }
        if (s.p > now + MAX_AHEAD_MS) s.p = 0;
        if (s.b && (s.b.at > now + MAX_AHEAD_MS || s.b.cut > now + MAX_AHEAD_MS)) delete s.b;
    }

    private makeRelease(seq: number | undefined): Release {
        let released = false;
        return (status?: number) => {
            if (released) return;
            released = true;
            const o = seq === undefined ? undefined : this.own.get(seq);
            if (!o || this.limit === false) return;
            o.end = Date.now() + this.limit.windowMs;
            if (status === 429) {
                o.throttled = true;
                // The client reports the 429 (noteThrottled) right after: look again once it has, so no
                // slot is handed out in between.
                setTimeout(() => this.pump(), 0);
                return;
            }
            this.pending.answers++;
            this.pump();
        };
    }

    private setTimer(at: number | undefined): void {
        if (at === undefined || !Number.isFinite(at)) {
            if (this.timer) clearTimeout(this.timer);
            this.timer = undefined;
            return;
        }
        if (this.timer && this.timerAt <= at) return;
        if (this.timer) clearTimeout(this.timer);
        this.timerAt = at;
        // Not unref'd: it only exists while someone waits for a slot, and that someone must finish.
        this.timer = setTimeout(
            () => {
                this.timer = undefined;
                this.pump();
            },
            Math.max(0, at - Date.now()) + 1,
        );
    }

    /**
     * Keeps this process's record fresh while it holds a reserve or has requests in flight but
     * nothing queued (a queue has its own timer). Never keeps the process alive.
     */
    private setHeartbeat(): void {
        const needed =
            this.store.shared && this.queue.length === 0 && (this.activeReserve() > 0 || [...this.own.values()].some((o) => o.end === 0));
        if (!needed) {
            if (this.heartbeat) clearTimeout(this.heartbeat);
            this.heartbeat = undefined;
            return;
        }
        if (this.heartbeat) return;
        this.heartbeat = setTimeout(() => {
            this.heartbeat = undefined;
            this.pump();
        }, HEARTBEAT_MS);
        this.heartbeat.unref?.();
    }

    /** The shared file failed (disk full, permissions changed): keep the budget in this process from now on. */
    private fallBack(e: unknown): void {
        const dir = this.store instanceof SharedBudgetStore ? this.store.dir : "";
        debug(
            `clickhouse: rate-limit budget no longer shared with other processes (${describeError(e)} in ${dir}); this process keeps its own`,
        );
        const s = emptyState();
        for (const [seq, o] of this.own) s.g.push(record(this.id, seq, o));
        if (this.budget !== undefined && this.limit !== false && this.budget < this.limit.requests)
            s.b = { n: this.budget, at: Date.now(), cut: Date.now() };
        this.store = new LocalBudgetStore(s);
    }
}

interface Decision {
    granted: Array<[Waiter, number, OwnGrant]>;
    wakeAt: number;
}

function record(m: string, s: number, o: OwnGrant): GrantRecord {
    return { m, s, at: o.at, end: o.end, c: o.cls, ...(o.throttled ? { x: 1 as const } : {}) };
}

/** The earliest time a completed grant stops counting, or `fallback` when all are in flight. */
function earliestEnd(grants: GrantRecord[], fallback: number): number {
    let at = fallback;
    for (const g of grants) if (g.end !== 0 && g.end < at) at = g.end;
    return at;
}

function describeError(e: unknown): string {
    const code = (e as NodeJS.ErrnoException)?.code;
    return code ?? String((e as Error)?.message ?? e);
}

/**
 * Parses `CLICKHOUSE_RATE_LIMIT_SLOW_START`: the requests in flight at most while a burst starts
 * into an idle window (default {@link SLOW_START}), or `off` (a key no other machine uses).
 */
export function parseSlowStart(value: string | undefined): number {
    if (value === undefined || value.trim() === "") return SLOW_START;
    const v = value.trim().toLowerCase();
    if (["off", "false", "0", "no", "none"].includes(v)) return 0;
    if (!/^\d+$/.test(v))
        throw new Error(`CLICKHOUSE_RATE_LIMIT_SLOW_START="${value}" is not valid: use a number of requests (e.g. "2") or "off"`);
    return Number(v);
}

const limiters = new Map<string, RateLimiter>();

/**
 * The limiter of an API key, created on first use with the limit from `CLICKHOUSE_RATE_LIMIT`
 * (or `limit` when given), one slot per window kept for observations and slow start
 * (`CLICKHOUSE_RATE_LIMIT_SLOW_START`). Every
 * client of the same key in this process gets the same one; with `apiUrl`, it shares its budget
 * with the other processes of this machine using the same URL and key unless
 * `CLICKHOUSE_RATE_LIMIT_SHARED=off` (see ./sharedBudget).
 */
export function limiterFor(keyId: string, limit?: RateLimit | false, apiUrl?: string): RateLimiter {
    let l = limiters.get(keyId);
    if (!l) {
        const effective = limit !== undefined ? limit : parseRateLimit(process.env.CLICKHOUSE_RATE_LIMIT);
        const sharing = apiUrl !== undefined && effective !== false ? sharingFromEnv() : false;
        l = new RateLimiter(effective, 1, {
            slowStart: parseSlowStart(process.env.CLICKHOUSE_RATE_LIMIT_SLOW_START),
            shared: sharing ? { dir: sharing.dir, apiUrl: apiUrl!, keyId } : undefined,
        });
        limiters.set(keyId, l);
    } else if (limit !== undefined) {
        l.setLimit(limit);
    }
    return l;
}

/** Stats of the limiter of `keyId`, or undefined when that key has not been used. */
export function limiterStats(keyId: string): LimiterStats | undefined {
    return limiters.get(keyId)?.stats();
}

/** Forgets every limiter (tests only). */
export function resetLimiters(): void {
    limiters.clear();
}
