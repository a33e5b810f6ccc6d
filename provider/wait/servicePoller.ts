/**
 * Waiting for services: one poller per client (a client serves one organization). Every waiter registers the
 * service and the condition it waits for; each tick the poller spends ONE request: the list
 * `GET /services` when several services are waited on, else `GET /services/{id}`. The interval
 * starts short after a waiter registers, grows slowly (×1.1) up to a cap while nothing changes,
 * so a transition is seen after about a tenth of the time it took, and drops back when any
 * state changes. Its requests have the limiter's `observe` priority: they never delay a mutation,
 * and while waiters exist the poller holds one reserved slot of the window, so the observation
 * that lets them move on is not stuck behind a window full of mutations. One-shot reads of a
 * service ({@link observeService}) join the next tick, so concurrent reads share one list call.
 *
 * When the engine cancels the run (Ctrl-C, see ../cancel), every wait ends at once with a
 * {@link WaitError} of reason `cancelled` that keeps the last object seen.
 */
import { getService, listServices } from "../api/services";
import { PENDING_POLL_MS, PENDING_WAIT_MS, SharedList, StateBoard } from "../api/sharedStates";
import { isApiError } from "../api/errors";
import { withPriority } from "../api/priority";
import { Service, ServiceState } from "../api/types";
import { isCancelled, onCancel } from "../cancel";
import { progress } from "../log";
import { WaitError } from "./errors";
import { cancelledError, matches, pollError, stateOf, subject, target, timeoutError } from "./messages";
import { DEFAULT_GROWTH, PollTiming, formatDuration, pollTiming } from "./timing";
import { Observation, PollingClient, ServiceWaiter, WaitForServiceOptions } from "./types";

export { PollingClient, WaitForServiceOptions } from "./types";

export const DEFAULT_FAIL_ON: ServiceState[] = ["failed", "degraded"];
/** How long a one-shot observation waits for others to join the same request. */
const GATHER_MS = 50;
/**
 * How long the reserved slot outlives the last waiter: a read is usually followed by a mutation
 * and a new wait (read, stop, wait for stopped), and the reserve must already be there when the
 * mutation takes its slot, or a burst of mutations fills the window the observation needs.
 */
const RESERVE_LINGER_MS = 10_000;
/** Newcomers registering within this long of each other count as one burst (see `add`). */
const BURST_MS = 200;
/** Consecutive failed polls (after the client's own retries) before waiters are failed. */
const MAX_POLL_FAILURES = 5;
/** A list another process sent this recently answers a tick due now without a request (see {@link ServicePoller.boardFor}). */
const SHARED_FRESH_MS = 250;

/**
 * Another process's list call sent at or after `since`: its answer when it is on the board, or,
 * when one is in flight, its answer once it arrives (waiting at most PENDING_WAIT_MS).
 */
async function sharedAnswer(board: StateBoard, since: number): Promise<SharedList | undefined> {
    const until = Date.now() + PENDING_WAIT_MS;
    for (;;) {
        const answer = board.sentSince(since);
        if (answer) return answer;
        if (board.pendingSince(since) === undefined || Date.now() >= until) return undefined;
        await new Promise((r) => setTimeout(r, PENDING_POLL_MS));
    }
}

/** What one tick learned: an observation per polled service, the list when one was made. */
interface Fetched {
    observations: Map<string, Observation>;
    list?: Service[];
    /** From another process's list call (states only): not remembered for {@link ServicePoller.recent}. */
    borrowed?: boolean;
}

/** One per client (so per organization and key): polls on behalf of every service waiter. */
export class ServicePoller {
    private readonly waiters = new Set<ServiceWaiter>();
    private timer: NodeJS.Timeout | undefined;
    private timerAt = 0;
    private ticking = false;
    private pollFailures = 0;
    private releaseReserve: (() => void) | undefined;
    private reserveTimer: NodeJS.Timeout | undefined;
    /**
     * Learned transition times, by "<target>|<first state seen>": `low`, the longest time after
     * which a finished wait of that kind was still observed not done; `high`, the shortest time
     * after which one was observed done. Waits of the same kind registered later are not polled
     * (beyond their first poll) before max(low, high − minMs): services created together provision
     * for about as long as each other, and when polls were sparse (a full window) `low` alone is
     * far too early.
     */
    private readonly learnedMs = new Map<string, { low: number; high: number }>();
    /** The last observation of each service (from any tick, list or single get) and when it was answered. */
    private readonly seen = new Map<string, { svc: Service; at: number }>();
    /** The last list call's answer and when it was sent (see {@link recentList}). */
    private lastList: { list: Service[]; sentAt: number } | undefined;
    /** Requests spent by this poller, by kind (tests and benchmarks). */
    readonly stats = { listCalls: 0, getCalls: 0, ticks: 0, borrowed: 0 };

    constructor(
        private readonly client: PollingClient,
        private readonly timing: PollTiming = pollTiming(),
    ) {}

    get waiting(): number {
        return this.waiters.size;
    }

    wait(serviceId: string, opts: WaitForServiceOptions): Promise<Service | undefined> {
        return this.add(serviceId, opts, false);
    }

    /**
     * The service as a tick answered within the last `maxAgeMs` (default: the shortest polling
     * interval, as fresh as a wait ever keeps it), else undefined. The satellites the engine
     * creates the moment a Service's create returns read that service: the poll that ended the
     * wait has just seen it, and asking again would spend three or four requests of the window
     * their own mutations need.
     */
    recent(serviceId: string, maxAgeMs: number = this.timing.minMs): Service | undefined {
        const r = this.seen.get(serviceId);
        return r && Date.now() - r.at <= maxAgeMs ? r.svc : undefined;
    }

    /**
     * Every service of the organization as the poller's last list call answered it, when that call
     * was sent within `maxAgeMs` and after every write of this process was answered (the client
     * says so; without that knowledge, undefined). The destroy's last step, which looks for
     * what carries the stack's mark, reads it instead of spending a request of a window the
     * deletes just filled: the list that saw the last service gone is exactly what it needs.
     */
    recentList(maxAgeMs: number = this.timing.maxMs): Service[] | undefined {
        const l = this.lastList;
        if (!l || Date.now() - l.sentAt > maxAgeMs || !this.client.writesSettledBy?.(l.sentAt)) return undefined;
        return l.list;
    }

    /** The service as the next tick sees it (undefined when it no longer exists). */
    observe(serviceId: string, opts: { timeoutMs: number; label: string; subject?: string }): Promise<Service | undefined> {
        return this.add(serviceId, { ...opts, until: () => true, failOn: [] }, true);
    }

    /**
     * Every service of the organization, as a list call made when a newcomer's first poll would
     * be (`minMs` from now, with the rest of its burst): registered right after a mutation, it
     * costs no request of its own, because it is the tick that polls the mutation's waiters.
     */
    observeList(opts: { timeoutMs: number; label: string; subject?: string; targetDescription?: string }): Promise<Service[]> {
        return new Promise((resolve, reject) => {
            void this.add("", { ...opts, until: () => true, failOn: [] }, true, resolve).catch(reject);
        });
    }

    private add(
        serviceId: string,
        opts: WaitForServiceOptions,
        once: boolean,
        resolveList?: (list: Service[]) => void,
    ): Promise<Service | undefined> {
        return new Promise((resolve, reject) => {
            const now = Date.now();
            const wantsList = resolveList !== undefined;
            if (isCancelled()) {
                reject(cancelledError({ serviceId, opts, once, wantsList, start: now }, now));
                return;
            }
            // A newcomer wants an answer soon, whatever the backoff reached for the others; reads
            // arriving together (a refresh, a destroy) share one request.
            const dueAt = now + (once && !wantsList ? GATHER_MS : this.timing.minMs);
            if (!once || wantsList) {
                // Waiters of one burst of mutations (ten stops sent together) register within
                // milliseconds: their first poll comes minMs after the LAST of them, not a moment too
                // early for the last ones.
                for (const w of this.waiters) if (w.fresh && (!w.once || w.wantsList) && dueAt - w.dueAt <= BURST_MS) w.dueAt = dueAt;
            }
            const w: ServiceWaiter = {
                serviceId,
                opts,
                failOn: opts.failOn ?? (opts.gone ? [] : DEFAULT_FAIL_ON),
                start: now,
                deadline: now + opts.timeoutMs,
                lastProgressAt: -Infinity,
                once,
                wantsList,
                resolveList,
                intervalMs: this.timing.minMs,
                dueAt,
                fresh: true,
                resolve,
                reject,
            };
            this.waiters.add(w);
            w.offCancel = onCancel(() => this.finish(w, () => w.reject(cancelledError(w, Date.now()))));
            if (this.reserveTimer) clearTimeout(this.reserveTimer);
            this.reserveTimer = undefined;
            if (!this.releaseReserve && this.client.limiter) this.releaseReserve = this.client.limiter.holdReserve(1);
            this.reschedule();
        });
    }

    /** Sets the timer to the earliest time a waiter wants an observation (or gives up). */
    private reschedule(): void {
        if (this.ticking) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        if (this.waiters.size === 0) return;
        let at = Infinity;
        for (const w of this.waiters) at = Math.min(at, w.dueAt, w.deadline);
        const delayMs = Math.max(0, at - Date.now());
        this.timerAt = at;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.tick();
        }, delayMs);
    }

    private async tick(): Promise<void> {
        this.ticking = true;
        this.stats.ticks++;
        try {
            const polled = new Set(this.waiters);
            const ids = [...new Set([...polled].filter((w) => !w.wantsList).map((w) => w.serviceId))];
            const needList = [...polled].some((w) => w.wantsList);
            const board = this.boardFor(polled, ids, needList);
            // A shared list must have been sent after every polled wait began (so after the write
            // each wait follows was answered), and lately: just before this tick, or while it
            // waited for a slot.
            const since = Math.max(Math.max(...[...polled].map((w) => w.start)) + 1, Date.now() - SHARED_FRESH_MS);
            let fetched: Fetched | undefined;
            try {
                const lately = board?.sentSince(since);
                fetched = lately ? this.borrow(ids, lately) : await withPriority("observe", () => this.fetch(ids, needList, board, since));
                this.pollFailures = 0;
            } catch (e) {
                this.pollFailures++;
                const fatal = isApiError(e) && e.status >= 400 && e.status < 500 && e.status !== 429;
                if (fatal || this.pollFailures >= MAX_POLL_FAILURES) {
                    for (const w of [...this.waiters]) {
                        if (polled.has(w)) this.finish(w, () => w.reject(pollError(w, e)));
                    }
                }
            }
            const now = Date.now();
            if (fetched && !fetched.borrowed) this.remember(fetched, now);
            for (const w of [...this.waiters]) {
                if (w.wantsList) {
                    if (fetched?.list && polled.has(w)) this.finish(w, () => w.resolveList?.(fetched!.list!));
                    else if (polled.has(w)) w.dueAt = now + w.intervalMs;
                    if (this.waiters.has(w) && now >= w.deadline) this.finish(w, () => w.reject(timeoutError(w, now)));
                    continue;
                }
                const o = fetched?.observations.get(w.serviceId);
                if (o) this.evaluate(w, o, now);
                else if (ids.includes(w.serviceId)) w.dueAt = now + w.intervalMs; // the poll failed: try again later
                if (this.waiters.has(w) && now >= w.deadline) this.finish(w, () => w.reject(timeoutError(w, now)));
            }
            this.pullInBurst(polled, now);
        } finally {
            this.ticking = false;
        }
        this.reschedule();
    }

    private kindOf(w: ServiceWaiter): string | undefined {
        return w.firstState === undefined ? undefined : `${target(w.opts)}|${w.firstState}`;
    }

    /** After an observation that left `w` waiting: when to look again. */
    private planNext(w: ServiceWaiter, changed: boolean, now: number): void {
        const growth = this.timing.growth ?? DEFAULT_GROWTH;
        w.intervalMs = changed ? this.timing.minMs : Math.min(this.timing.maxMs, Math.round(w.intervalMs * growth));
        const kind = this.kindOf(w);
        const learned = kind === undefined ? undefined : this.learnedMs.get(kind);
        const expectedAt = learned === undefined ? undefined : w.start + Math.max(learned.low, learned.high - this.timing.minMs);
        if (expectedAt !== undefined && expectedAt > now + w.intervalMs) {
            // Nothing to see before then; look right after, never later than the longest interval.
            w.dueAt = Math.min(expectedAt, now + this.timing.maxMs);
            w.intervalMs = this.timing.minMs;
        } else {
            w.dueAt = now + w.intervalMs;
        }
    }

    /**
     * Once a wait of some kind is seen done, the others of that kind (the rest of its burst: ten
     * creates answered over a few hundred milliseconds) are looked at when the same transition
     * would be over for them, `start + high`, when that comes before their next poll. Without it
     * the poll that saw the first ones done, made a few milliseconds too early for the last ones,
     * left those a grown interval (about 2 s at 20 s) to wait. One request looks at all of them:
     * the latest such time among the waiters it concerns.
     */
    private pullInBurst(polled: Set<ServiceWaiter>, now: number): void {
        const soon: { w: ServiceWaiter; at: number }[] = [];
        for (const w of this.waiters) {
            if (!polled.has(w) || w.once || w.wantsList) continue;
            const kind = this.kindOf(w);
            const learned = kind === undefined ? undefined : this.learnedMs.get(kind);
            if (learned === undefined) continue;
            const doneBy = w.start + learned.high;
            if (doneBy > now && doneBy < w.dueAt) soon.push({ w, at: doneBy });
        }
        if (soon.length === 0) return;
        const at = Math.max(...soon.map((s) => s.at));
        for (const s of soon) s.w.dueAt = Math.min(s.w.dueAt, at);
    }

    /** Keeps what a tick saw for {@link recent}; forgets what no tick has seen for a while. */
    private remember(fetched: { observations: Map<string, Observation>; list?: Service[] }, now: number): void {
        for (const [id, o] of fetched.observations) {
            if (o.kind === "seen") this.seen.set(id, { svc: o.svc, at: now });
            else this.seen.delete(id);
        }
        for (const svc of fetched.list ?? []) if (svc.id) this.seen.set(svc.id, { svc, at: now });
        for (const [id, r] of this.seen) if (now - r.at > this.timing.maxMs) this.seen.delete(id);
    }

    private learn(w: ServiceWaiter, now: number): void {
        const kind = this.kindOf(w);
        if (kind === undefined || w.lastNotDoneAt === undefined) return;
        const seen = this.learnedMs.get(kind);
        const low = w.lastNotDoneAt - w.start;
        const high = now - w.start;
        this.learnedMs.set(kind, { low: Math.max(seen?.low ?? 0, low), high: Math.min(seen?.high ?? Infinity, high) });
    }

    /**
     * The board other processes publish their list calls on, when every polled waiter can be
     * answered from it: waits (not one-shot reads, not snapshots) whose caller needs only the state.
     */
    private boardFor(polled: Set<ServiceWaiter>, ids: string[], needList: boolean): StateBoard | undefined {
        const board = this.client.stateBoard;
        if (!board || needList || ids.length === 0) return undefined;
        for (const w of polled) if (w.once || w.wantsList || !w.opts.stateOnly) return undefined;
        return board;
    }

    /** Observations from another process's list call: the states it saw, over what this poller last saw of each service. */
    private borrow(ids: string[], shared: SharedList): Fetched {
        this.stats.borrowed++;
        const out = new Map<string, Observation>();
        for (const id of ids) {
            const state = shared.states.get(id);
            if (state === undefined) out.set(id, { kind: "gone" });
            else out.set(id, { kind: "seen", svc: { ...(this.seen.get(id)?.svc ?? {}), id, state } as Service });
        }
        return { observations: out, borrowed: true };
    }

    /**
     * One request: the single service, or the list when several are waited on or it is asked for.
     * With a `board`, the slot the limiter grants is given back when another process's list call
     * sent at or after `since` is there by then: three stacks destroyed at once otherwise each
     * spend a request of the shared window on the same moment.
     */
    private async fetch(ids: string[], needList: boolean, board?: StateBoard, since = 0): Promise<Fetched> {
        const out = new Map<string, Observation>();
        let shared: SharedList | undefined;
        if (ids.length === 1 && !needList) {
            let svc: Service | undefined;
            const instead = board
                ? async () => {
                      shared = await sharedAnswer(board, since);
                      return shared ? ({} as Service) : undefined;
                  }
                : undefined;
            try {
                svc = await getService(this.client, ids[0], instead);
            } catch (e) {
                this.stats.getCalls++;
                if (!isApiError(e, 404)) throw e;
                out.set(ids[0], { kind: "gone" });
                return { observations: out };
            }
            if (shared) return this.borrow(ids, shared);
            this.stats.getCalls++;
            out.set(ids[0], { kind: "seen", svc });
            return { observations: out };
        }
        // Until a slot is granted, the time this call was asked for; then the time it is sent.
        let sentAt = Date.now();
        const publishTo = this.client.stateBoard;
        let announced: number | undefined;
        const instead = publishTo
            ? async () => {
                  if (board) shared = await sharedAnswer(board, since);
                  if (shared) return [] as Service[];
                  sentAt = Date.now();
                  publishTo.announce(sentAt);
                  announced = sentAt;
                  return undefined;
              }
            : undefined;
        let list: Service[];
        try {
            list = await listServices(this.client, undefined, instead);
        } catch (e) {
            if (announced !== undefined) publishTo?.withdraw(announced);
            throw e;
        }
        if (shared) return this.borrow(ids, shared);
        this.stats.listCalls++;
        publishTo?.publish(sentAt, list ?? []);
        this.lastList = { list: list ?? [], sentAt };
        const byId = new Map((list ?? []).map((s) => [s.id, s] as const));
        for (const id of ids) {
            const svc = byId.get(id);
            out.set(id, svc ? { kind: "seen", svc } : { kind: "gone" });
        }
        return { observations: out, list: list ?? [] };
    }

    /** Applies one observation to a waiter; returns true when the waiter's state changed. */
    private evaluate(w: ServiceWaiter, o: Observation, now: number): boolean {
        const state = o.kind === "gone" ? "(deleted)" : String(o.svc.state);
        const changed = w.lastState !== undefined && w.lastState !== state;
        w.lastState = state;
        w.fresh = false;
        if (w.firstState === undefined) w.firstState = state;
        if (o.kind === "seen") w.lastSeen = o.svc;
        const elapsed = now - w.start;
        if (w.once) {
            this.finish(w, () => w.resolve(o.kind === "seen" ? o.svc : undefined));
            return false;
        }
        if (w.opts.gone) {
            if (o.kind === "gone") {
                this.learn(w, now);
                this.finish(w, () => w.resolve(undefined));
                return changed;
            }
        } else if (o.kind === "gone") {
            this.finish(w, () =>
                w.reject(
                    new WaitError(
                        `${subject(w)} no longer exists (404) after ${formatDuration(elapsed)} ` +
                            `while waiting for it to be ${target(w.opts)}; last state: ${stateOf(w.lastSeen)}`,
                        { lastSeen: w.lastSeen, state: "(deleted)", elapsedMs: elapsed, reason: "gone" },
                    ),
                ),
            );
            return changed;
        } else if (matches(w.opts.until, o.svc)) {
            this.learn(w, now);
            this.finish(w, () => w.resolve(o.svc));
            return changed;
        }
        if (o.kind === "seen" && o.svc.state && w.failOn.includes(o.svc.state)) {
            this.finish(w, () =>
                w.reject(
                    new WaitError(
                        `${subject(w)} is ${o.svc.state} after ${formatDuration(elapsed)} ` +
                            `while waiting for it to be ${target(w.opts)}`,
                        { lastSeen: o.svc, state: o.svc.state, elapsedMs: elapsed, reason: "failed" },
                    ),
                ),
            );
            return changed;
        }
        if (now - w.lastProgressAt >= this.timing.progressEveryMs) {
            w.lastProgressAt = now;
            progress(w.opts.progressLabel ?? `clickhouse:Service ${w.opts.label}`, `${state} (${formatDuration(elapsed)} elapsed)`);
        }
        w.lastNotDoneAt = now;
        this.planNext(w, changed, now);
        return changed;
    }

    private finish(w: ServiceWaiter, settle: () => void): void {
        if (!this.waiters.delete(w)) return;
        w.offCancel?.();
        settle();
        if (this.waiters.size === 0) {
            if (this.releaseReserve && !this.reserveTimer) {
                this.reserveTimer = setTimeout(() => {
                    this.reserveTimer = undefined;
                    if (this.waiters.size > 0) return;
                    this.releaseReserve?.();
                    this.releaseReserve = undefined;
                }, RESERVE_LINGER_MS);
                // Never what keeps a process alive.
                this.reserveTimer.unref?.();
            }
            if (this.timer) {
                clearTimeout(this.timer);
                this.timer = undefined;
            }
        }
    }
}
