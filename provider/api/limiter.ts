/**
 * Client-side rate limiter, one per API key, shared by every request of that key in the process
 * (the engine runs all dynamic resources of a program in one provider process, so the module
 * state of ./limiterRegistry.ts is shared by all of them) and, through a small file, by every
 * process of this machine that uses the same key (see ./sharedBudget: several `pulumi` runs of
 * one pipeline).
 *
 * This file holds the {@link RateLimiter} itself: this process's queue of waiters, the releases
 * that report an answer, the reserves pollers hold, its timers, and the fall-back to a budget of
 * its own when the shared file fails. What it enforces is in the files beside it: the limit and
 * its environment variables (./rateLimit.ts), request priorities (./priority.ts), the window
 * accounting, the reserve and who gets a slot (./slots.ts), and the adaptation to 429s and slow
 * start (./budgetAdaptation.ts). The limiter of each key is handed out by ./limiterRegistry.ts.
 *
 * When the engine cancels the run (Ctrl-C, see ../cancel), requests waiting for a slot are
 * refused at once with a cancellation error; a slot that is free is still handed out.
 */
import * as crypto from "crypto";
import { cancellationError, onCancel } from "../cancel";
import { debug } from "../log";
import { CLASS, currentPriority, RequestPriority } from "./priority";
import { DEFAULT_RATE_LIMIT, RateLimit, SLOW_START } from "./rateLimit";
import {
    BudgetLockBusy,
    BudgetState,
    BudgetStore,
    ClassIndex,
    LocalBudgetStore,
    SharedBudgetStore,
    budgetFileKey,
    emptyState,
} from "./sharedBudget";
import { Decision, decideGrants, HEARTBEAT_MS, OwnGrant, POLL_MS, record } from "./slots";

/** Counters for tests and benchmarks. */
export interface LimiterStats {
    /** Slots handed out (requests sent, retries included, and `unused` ones). */
    sent: number;
    /** Slots given back unused: the answer came from another process's request. */
    unused: number;
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
 * `"unused"`: the request was not sent after all (its answer came from elsewhere), and the slot
 * stops counting at once.
 */
export type Release = (status?: number | "unused") => void;

interface Waiter {
    enqueuedAt: number;
    priority: RequestPriority;
    cls: ClassIndex;
    grant: (release: Release) => void;
    refuse: (e: Error) => void;
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
    private readonly counters = {
        sent: 0,
        unused: 0,
        maxQueued: 0,
        throttled: 0,
        waitedMs: 0,
        lowestBudget: undefined as number | undefined,
    };

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

    /** The directory of the shared budget file, while the budget is shared; else undefined. */
    get sharedDir(): string | undefined {
        return this.store instanceof SharedBudgetStore ? this.store.dir : undefined;
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
        let decision: Decision<Waiter>;
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

    /** One look at the budget (./slots.ts); what it found is kept for {@link stats} and {@link fallBack}. */
    private decide(s: BudgetState, now: number, limit: RateLimit): Decision<Waiter> {
        const decision = decideGrants(s, now, limit, {
            id: this.id,
            own: this.own,
            queue: this.queue,
            pending: this.pending,
            slowStart: this.slowStart,
            baseReserve: this.baseReserve,
            reserve: this.activeReserve(),
            shared: this.store.shared,
            nextSeq: () => ++this.seq,
        });
        this.pausedUntil = decision.pausedUntil;
        this.budget = decision.budget;
        if (this.counters.lowestBudget === undefined || decision.budget < this.counters.lowestBudget)
            this.counters.lowestBudget = decision.budget;
        return decision;
    }

    private makeRelease(seq: number | undefined): Release {
        let released = false;
        return (status?: number | "unused") => {
            if (released) return;
            released = true;
            const o = seq === undefined ? undefined : this.own.get(seq);
            if (!o || this.limit === false) return;
            if (status === "unused") {
                // Nothing reached the server: the slot is free again now, and it is no answer for slow start.
                this.counters.unused++;
                o.end = Date.now();
                this.pump();
                return;
            }
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

function describeError(e: unknown): string {
    const code = (e as NodeJS.ErrnoException)?.code;
    return code ?? String((e as Error)?.message ?? e);
}
