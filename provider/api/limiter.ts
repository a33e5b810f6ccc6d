/**
 * Client-side rate limiter, one per API key, shared by every request of that key in the process
 * (the engine runs all dynamic resources of a program in one provider process, so module state
 * here is shared by all of them).
 *
 * The API allows 10 requests per 10-second window per key. The limiter keeps a sliding window of
 * N requests per S seconds and counts a request from the moment it is sent until S seconds
 * after its response arrived (or it failed). The server counted the request at some instant
 * between those two, so whatever window the server uses (fixed or sliding, from arrival or from
 * completion), at most N of our requests fall into any S-second stretch of its clock. This costs
 * up to one round trip of throughput per slot and buys never seeing a 429 from our own traffic.
 *
 * Waiters are served by priority class, first come first served within a class (see
 * {@link RequestPriority}), and a 429 (someone else using the same key) pauses the whole key
 * until the server's reset time.
 *
 * While someone waits for a state change, the poller asks for a reserve (usually one slot):
 * unless an observation is already in the window, normal requests leave that many slots free,
 * so the observation that lets waiters move on is never stuck behind a full window of
 * mutations. The cost is at most one slot per window while waits are in progress; without it a
 * burst of ten stops would hide the moment they finish for a whole window. Service creates
 * (`start` priority) are exempt: their own transition lasts minutes, and keeping one back
 * would delay it by a whole window to save an observation a few seconds.
 *
 * When the engine cancels the run (Ctrl-C, see ../cancel), requests waiting for a slot are
 * refused at once with a cancellation error; a slot that is free is still handed out.
 */
import { AsyncLocalStorage } from "async_hooks";
import { cancellationError, onCancel } from "../cancel";

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
}

/** Call once when the response (or the failure) of the request has arrived. */
export type Release = () => void;

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

interface Waiter {
  enqueuedAt: number;
  priority: RequestPriority;
  grant: (release: Release) => void;
  refuse: (e: Error) => void;
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
    throw new Error(
      `CLICKHOUSE_RATE_LIMIT="${value}" is not valid: use "N/S" (N requests per S seconds, e.g. "10/10") or "off"`,
    );
  }
  return { requests: Number(m[1]), windowMs: Math.round(Number(m[2]) * 1000) };
}

export class RateLimiter {
  private limit: RateLimit | false;
  private inFlight = 0;
  /** Times (ms) at which completed requests stop counting; kept sorted ascending. */
  private busyUntil: number[] = [];
  /** Observations among the in-flight requests and among `busyUntil` (their end times, sorted). */
  private observesInFlight = 0;
  private observeBusyUntil: number[] = [];
  private queue: Waiter[] = [];
  private pausedUntil = 0;
  /** Reserves asked for by pollers with waiters (see {@link holdReserve}); the largest applies. */
  private readonly reserves = new Map<symbol, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly counters = { sent: 0, maxQueued: 0, throttled: 0, waitedMs: 0 };

  /**
   * @param baseReserve slots kept for observations at all times, not only while a poller holds
   * a reserve: the mutations that start a wait (ten stops of a destroy) are sent before anyone
   * waits, and must already leave room for the observation that follows them.
   */
  constructor(limit: RateLimit | false = DEFAULT_RATE_LIMIT, private readonly baseReserve = 0) {
    this.limit = limit;
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

  /** Stops handing out slots until `untilMs` (epoch ms): the server said the key is exhausted. */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pausedUntil) this.pausedUntil = untilMs;
    this.pump();
  }

  /** Records a 429 answer; `retryAfterMs` pauses the key for that long. */
  noteThrottled(retryAfterMs?: number): void {
    this.counters.throttled++;
    if (retryAfterMs !== undefined && retryAfterMs > 0) this.pauseUntil(Date.now() + retryAfterMs);
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

  /** Slots normal requests currently leave free for observations. */
  get reserved(): number {
    return this.limit === false ? 0 : Math.min(Math.max(this.baseReserve, ...this.reserves.values()), Math.floor(this.limit.requests / 2));
  }

  /** Changes the limit (tests, or a new CLICKHOUSE_RATE_LIMIT). */
  setLimit(limit: RateLimit | false): void {
    this.limit = limit;
    this.pump();
  }

  stats(): LimiterStats {
    return { ...this.counters, queued: this.queue.length, limit: this.limit };
  }

  private pump(): void {
    for (;;) {
      if (this.queue.length === 0) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        return;
      }
      const now = Date.now();
      if (this.pausedUntil > now) return this.wakeAt(this.pausedUntil);
      let index: number;
      if (this.limit === false) {
        index = this.pick(["start", "normal", "observe"]);
      } else {
        while (this.busyUntil.length > 0 && this.busyUntil[0] <= now) this.busyUntil.shift();
        while (this.observeBusyUntil.length > 0 && this.observeBusyUntil[0] <= now) this.observeBusyUntil.shift();
        const used = this.inFlight + this.busyUntil.length;
        // The reserve is per window: an observation already in the window has used it.
        const keepFree = Math.max(0, this.reserved - this.observesInFlight - this.observeBusyUntil.length);
        index = -1;
        if (used < this.limit.requests - keepFree) index = this.pick(["start", "normal", "observe"]);
        else if (used < this.limit.requests) index = this.pick(["start", "observe"]);
        if (index < 0) {
          // Either the earliest completed request leaves the window, or an in-flight one completes
          // (its release calls pump again).
          if (this.busyUntil.length > 0) this.wakeAt(this.busyUntil[0]);
          return;
        }
      }
      const [w] = this.queue.splice(index, 1);
      this.counters.sent++;
      this.counters.waitedMs += now - w.enqueuedAt;
      this.inFlight++;
      const observe = w.priority === "observe";
      if (observe) this.observesInFlight++;
      w.grant(this.makeRelease(observe));
    }
  }

  /** Index of the oldest waiter of the first class in `order` that has one, or -1. */
  private pick(order: RequestPriority[]): number {
    for (const p of order) {
      const i = this.queue.findIndex((w) => w.priority === p);
      if (i >= 0) return i;
    }
    return -1;
  }

  private makeRelease(observe: boolean): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (observe) this.observesInFlight--;
      if (this.limit !== false) {
        const until = Date.now() + this.limit.windowMs;
        // Completion times only grow, but a limit change could break the order: insert sorted.
        insertSorted(this.busyUntil, until);
        if (observe) insertSorted(this.observeBusyUntil, until);
      }
      this.pump();
    };
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    // Not unref'd: it only exists while someone waits for a slot, and that someone must finish.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, at - Date.now()) + 1);
  }
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1] > value) i--;
  list.splice(i, 0, value);
}

const limiters = new Map<string, RateLimiter>();

/**
 * The limiter of an API key, created on first use with the limit from `CLICKHOUSE_RATE_LIMIT`
 * (or `limit` when given) and one slot per window kept for observations. Every client of the
 * same key in this process gets the same one.
 */
export function limiterFor(keyId: string, limit?: RateLimit | false): RateLimiter {
  let l = limiters.get(keyId);
  if (!l) {
    l = new RateLimiter(limit !== undefined ? limit : parseRateLimit(process.env.CLICKHOUSE_RATE_LIMIT), 1);
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
