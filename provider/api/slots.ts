/**
 * One look at the budget, and who gets a slot: the decision the limiter (./limiter.ts) takes
 * under the lock of the shared state each time something changes.
 *
 * The API allows 10 requests per 10-second window per key. The limiter keeps a sliding window of
 * N requests per S seconds and counts a request from the moment it is sent until S seconds
 * after its response arrived (or it failed). The server counted the request at some instant
 * between those two, so whatever window the server uses (fixed or sliding, from arrival or from
 * completion), at most N of our requests fall into any S-second stretch of its clock. This costs
 * up to one round trip of throughput per slot and buys never seeing a 429 from our own traffic.
 * With the shared budget, "our" requests are those of every process sharing the file.
 *
 * Waiters go by priority class (./priority.ts). While someone waits for a state change, the
 * poller asks for a reserve (usually one slot): unless an observation of that process is already
 * in the window, normal requests leave that many slots free, so the observation that lets
 * waiters move on is never stuck behind a full window of mutations. The cost is at most one slot
 * per window while waits are in progress; without it a burst of ten stops would hide the moment
 * they finish for a whole window. Service creates (`start` priority) are exempt: their own
 * transition lasts minutes, and keeping one back would delay it by a whole window to save an
 * observation a few seconds. While more than a window's worth of mutations waits, no reserve is
 * kept (see {@link decideGrants}): the window is full either way, and the observations of a long
 * destroy would otherwise take a tenth of it.
 */
import { advanceSlowStart, learnedBudget } from "./budgetAdaptation";
import type { RateLimit } from "./rateLimit";
import { BudgetState, ClassIndex, GrantRecord, HOST, pidAlive } from "./sharedBudget";

/** How often a process blocked by another process's waiters or requests looks again. */
export const POLL_MS = 25;
/** A process that waits for a slot writes its record at least this often. */
export const HEARTBEAT_MS = 1000;
/** Records of processes not heard from for this long (and whose pid cannot be checked) are dropped. */
const MEMBER_TTL_MS = 5000;
/**
 * An observation kept waiting this long by a backlog of mutations (see {@link decideGrants})
 * gets the reserve back: the longest a wait can go unobserved while the key is saturated.
 */
export const OBSERVE_STARVE_MS = 60_000;
/** An in-flight request older than this no longer counts as in flight (its process hung or died). */
const MAX_IN_FLIGHT_MS = 120_000;
/** Times further ahead than this come from another clock (or an old file of a test): ignored. */
const MAX_AHEAD_MS = 10 * 60_000;

/** A grant of this process that still counts. */
export interface OwnGrant {
    at: number;
    /** 0 while in flight. */
    end: number;
    cls: ClassIndex;
    throttled: boolean;
}

/** What one look at the budget needs from this process. */
export interface Self<Q extends { cls: ClassIndex }> {
    /** This process's id in the shared state. */
    id: string;
    /** Its grants that still count, by sequence number: completed ones are dropped here once they stop counting. */
    own: Map<number, OwnGrant>;
    /** Its waiters, in the order they came. */
    queue: readonly Q[];
    /** Changes waiting for this update of the state. */
    pending: { pauseUntil: number; throttled: boolean; answers: number };
    /** Requests in flight at most during slow start; 0 when off. */
    slowStart: number;
    /** Slots kept for observations at all times. */
    baseReserve: number;
    /** The reserve its pollers hold now (the largest applies). */
    reserve: number;
    /** True when the state is shared with other processes. */
    shared: boolean;
    /** The sequence number of its next grant. */
    nextSeq(): number;
}

/** What one look decided: the grants to hand out (committed by the caller once the state is written) and when to look again. */
export interface Decision<Q> {
    granted: Array<[Q, number, OwnGrant]>;
    wakeAt: number;
    /** The pause in force. */
    pausedUntil: number;
    /** Requests per window currently allowed. */
    budget: number;
}

/**
 * One look at the budget (under the lock when shared): drops what no longer counts, publishes
 * this process's answers and 429s, and hands out the slots this process may take now.
 */
export function decideGrants<Q extends { cls: ClassIndex; enqueuedAt?: number }>(
    s: BudgetState,
    now: number,
    limit: RateLimit,
    self: Self<Q>,
): Decision<Q> {
    const W = limit.windowMs;
    prune(s, now, W, self.id);
    // This process's grants: answers arrived since the last look; grants the file lost (reset).
    const present = new Set<number>();
    for (const g of s.g) {
        if (g.m !== self.id) continue;
        const o = self.own.get(g.s);
        if (o) {
            if (o.end !== 0 && o.end > g.end) g.end = o.end;
            if (o.throttled) g.x = 1;
            present.add(g.s);
        } else if (g.end === 0) {
            g.end = now + W;
        }
    }
    for (const [seq, o] of self.own) {
        if (o.end !== 0 && o.end <= now) self.own.delete(seq);
        else if (!present.has(seq)) s.g.push(record(self.id, seq, o));
    }
    s.g = s.g.filter((g) => g.end === 0 || g.end > now);

    // The pause after a 429, and the budget learned from 429s (./budgetAdaptation.ts).
    if (self.pending.pauseUntil > now) s.p = Math.max(s.p, self.pending.pauseUntil);
    const pausedUntil = s.p;
    const budget = learnedBudget(s, now, limit, self.pending.throttled);

    // Slow start into an idle window: SLOW_START in flight until a budget's worth of answers came back.
    if (self.slowStart > 0) advanceSlowStart(s, now, budget, self.queue.length > 0, self.pending.answers);

    const others = Object.entries(s.m).filter(([id]) => id !== self.id);
    // Committed to `own` by the limiter once the state is written.
    const granted: Array<[Q, number, OwnGrant]> = [];
    const byClass: Q[][] = [[], [], []];
    for (const w of self.queue) byClass[w.cls].push(w);
    const next = [0, 0, 0];
    const cap = Math.floor(budget / 2);
    // More than a window's worth of mutations waiting (this process's and the others'): the next
    // window is full whatever happens, and an observation now would only push one of them back a
    // slot, so the reserve is not kept until the backlog is down to a window (or an observation
    // has waited OBSERVE_STARVE_MS). A long destroy then looks at its services a few times
    // instead of once a window; the observation still comes before the mutations run out.
    let othersNormal = 0;
    for (const [, m] of others) othersNormal += m.w[1] ?? 0;
    let oldestObserve = Infinity;
    for (const w of byClass[2]) oldestObserve = Math.min(oldestObserve, w.enqueuedAt ?? now);
    const observeStarved = now - oldestObserve >= OBSERVE_STARVE_MS;
    const backlogged = () => !observeStarved && byClass[1].length - next[1] + othersNormal > budget;
    let wakeAt = Infinity;
    for (;;) {
        if (next[0] >= byClass[0].length && next[1] >= byClass[1].length && next[2] >= byClass[2].length) break;
        if (s.p > now) {
            wakeAt = s.p;
            break;
        }
        const used = s.g.length;
        if (self.slowStart > 0 && s.ss !== undefined) {
            let inFlight = 0;
            let othersInFlight = 0;
            for (const g of s.g) {
                if (g.end !== 0) continue;
                inFlight++;
                if (g.m !== self.id) othersInFlight++;
            }
            if (inFlight >= self.slowStart) {
                // Our own answers call the limiter's pump; another process's are seen by looking again.
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
        const ownReserveOff = backlogged();
        let keepFree = ownReserveOff ? 0 : Math.max(0, Math.min(self.baseReserve, cap) - observations);
        const mine = ownReserveOff ? 0 : self.reserve;
        if (mine > 0) keepFree = Math.max(keepFree, Math.min(mine, cap) - (observationsBy.get(self.id) ?? 0));
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
        const seq = self.nextSeq();
        const o: OwnGrant = { at: now, end: 0, cls, throttled: false };
        s.g.push(record(self.id, seq, o));
        granted.push([w, seq, o]);
    }

    // This process's record: what it waits for and the reserve it holds.
    const waiting: [number, number, number] = [byClass[0].length - next[0], byClass[1].length - next[1], byClass[2].length - next[2]];
    // Published as it applies now: the others keep free what this process would keep free itself.
    const reserve = backlogged() ? 0 : self.reserve;
    const inFlight = granted.length > 0 || [...self.own.values()].some((o) => o.end === 0);
    if (waiting[0] + waiting[1] + waiting[2] === 0 && reserve === 0 && !inFlight) delete s.m[self.id];
    else s.m[self.id] = { pid: process.pid, host: HOST, seen: now, w: waiting, r: reserve };
    if (self.shared && waiting[0] + waiting[1] + waiting[2] > 0) wakeAt = Math.min(wakeAt, now + HEARTBEAT_MS);
    return { granted, wakeAt, pausedUntil, budget };
}

/** Drops records of processes that are gone, grants that no longer count, times from another clock. */
function prune(s: BudgetState, now: number, W: number, selfId: string): void {
    for (const [id, m] of Object.entries(s.m)) {
        if (id === selfId) continue;
        const gone = (m.host === HOST && !pidAlive(m.pid)) || now - m.seen > MEMBER_TTL_MS || m.seen > now + MAX_AHEAD_MS;
        if (gone) delete s.m[id];
    }
    s.g = s.g.filter((g) => g.at <= now + MAX_AHEAD_MS && g.end <= now + MAX_AHEAD_MS);
    for (const g of s.g) {
        // A request of a process that is gone counts for one more window from now, at most.
        if (g.end === 0 && g.m !== selfId && (!s.m[g.m] || now - g.at > MAX_IN_FLIGHT_MS)) g.end = now + W;
    }
    if (s.p > now + MAX_AHEAD_MS) s.p = 0;
    if (s.b && (s.b.at > now + MAX_AHEAD_MS || s.b.cut > now + MAX_AHEAD_MS)) delete s.b;
}

/** The record of a grant of this process, as the shared state stores it. */
export function record(m: string, s: number, o: OwnGrant): GrantRecord {
    return { m, s, at: o.at, end: o.end, c: o.cls, ...(o.throttled ? { x: 1 as const } : {}) };
}

/** The earliest time a completed grant stops counting, or `fallback` when all are in flight. */
function earliestEnd(grants: GrantRecord[], fallback: number): number {
    let at = fallback;
    for (const g of grants) if (g.end !== 0 && g.end < at) at = g.end;
    return at;
}
