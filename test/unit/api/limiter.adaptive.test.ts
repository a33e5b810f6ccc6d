/**
 * What the limiter learns from 429 answers (others use the key from elsewhere): it halves its
 * budget, waits for the server's reset time, grows back, and starts bursts into an idle window
 * slowly. The last test runs a simulated server with the emulator's rule (10 requests per 10 s,
 * sliding, refused requests not counted, `X-RateLimit-Reset` in whole seconds) against two
 * processes sharing a budget and a third that does not (another machine).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RateLimiter } from "../../../provider/api/limiter";

type Opts = { shared?: { dir: string; apiUrl: string; keyId: string }; slowStart?: boolean | number };
type Limit = { requests: number; windowMs: number } | false;
/** Today's constructor takes (limit, baseReserve); the options are the new third argument. */
const make = (limit: Limit, reserve = 0, opts: Opts = {}) =>
    new (RateLimiter as unknown as new (l: Limit, r: number, o: Opts) => RateLimiter)(limit, reserve, opts);
const release = (r: unknown, status?: number) => (r as (s?: number) => void)(status);
const budgetOf = (l: RateLimiter) => (l.stats() as { budget?: number }).budget;
const LIMIT = { requests: 10, windowMs: 10_000 };

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "budget-adaptive-"));
    jest.useFakeTimers({ now: 5_000_000 });
});
afterEach(() => {
    jest.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends `n` requests at once and answers each after `rttMs`; returns the grant times. */
async function burst(l: RateLimiter, n: number, rttMs = 20, status = 200): Promise<number[]> {
    const times: number[] = [];
    const all = Array.from({ length: n }, () =>
        l.acquire().then((r) => {
            times.push(Date.now());
            setTimeout(() => release(r, status), rttMs);
        }),
    );
    while (times.length < n) await jest.advanceTimersByTimeAsync(10);
    await Promise.all(all);
    return times;
}

describe("learning from 429 answers", () => {
    it("halves the budget (once per window), honours the reset time, then grows back by one per three windows", async () => {
        const l = make(LIMIT, 0);
        release(await l.acquire(), 429);
        const t0 = Date.now();
        l.noteThrottled(4000);
        // A second 429 of the same burst does not halve again.
        l.noteThrottled(4000);
        expect(budgetOf(l)).toBe(5);
        let first = 0;
        void l.acquire().then((r) => ((first = Date.now()), release(r, 200)));
        await jest.advanceTimersByTimeAsync(10_000);
        expect(first - t0).toBeGreaterThanOrEqual(4000);
        // Once the refused request has left the window: five per window (four more besides the one above).
        const times = await burst(l, 6);
        expect(times.filter((t) => t - times[0] < 1000)).toHaveLength(4);
        expect(Math.max(...times) - times[0]).toBeGreaterThanOrEqual(3900);
        // Three windows after the cut without a 429: one more; fifteen windows: back to the limit.
        await jest.advanceTimersByTimeAsync(Math.max(0, t0 + 30_000 - Date.now()));
        release(await l.acquire(), 200);
        expect(budgetOf(l)).toBe(6);
        await jest.advanceTimersByTimeAsync(150_000);
        release(await l.acquire(), 200);
        expect(budgetOf(l)).toBe(10);
        expect(l.stats()).toMatchObject({ throttled: 2, lowestBudget: 5 });
    });

    it("a 429 in a later window halves again, down to one request per window", async () => {
        const l = make(LIMIT, 0);
        const seen: number[] = [];
        for (let i = 0; i < 5; i++) {
            release(await l.acquire(), 429);
            l.noteThrottled(1000);
            await jest.advanceTimersByTimeAsync(10_000);
            seen.push(budgetOf(l)!);
        }
        expect(seen).toEqual([5, 2, 1, 1, 1]);
    });

    it("does not hand out a slot between a 429 answer and its report", async () => {
        // Slow start with two in flight: the third waits for an answer.
        const l = make(LIMIT, 0, { slowStart: 2 });
        const r = await l.acquire();
        await l.acquire();
        let next = false;
        void l.acquire().then(() => (next = true));
        // An answer arrives, but it is a 429, which the client reports right after.
        release(r, 429);
        l.noteThrottled(3000);
        await jest.advanceTimersByTimeAsync(2900);
        expect(next).toBe(false);
        await jest.advanceTimersByTimeAsync(200);
        expect(next).toBe(true);
    });
});

describe("slow start", () => {
    it("a burst into an idle window has one request in flight until ten answers came back", async () => {
        const l = make(LIMIT, 0, { slowStart: true });
        const times = await burst(l, 10, 50);
        // One every 50 ms: 0, 50, ... 450.
        expect(times.map((t) => t - times[0])).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
    });

    it("CLICKHOUSE_RATE_LIMIT_SLOW_START=2 has two in flight", async () => {
        const l = make(LIMIT, 0, { slowStart: 2 });
        const times = await burst(l, 10, 50);
        expect(times.map((t) => t - times[0])).toEqual([0, 0, 50, 50, 100, 100, 150, 150, 200, 200]);
    });

    it("ends at the first 429: from then on the learned budget paces the key", async () => {
        const l = make(LIMIT, 0, { slowStart: true });
        release(await l.acquire(), 429);
        l.noteThrottled(1000);
        await jest.advanceTimersByTimeAsync(1000);
        // Budget 5, one of it used by the refused request (the server may have counted it): four at once.
        const times = await burst(l, 4, 50);
        expect(new Set(times).size).toBe(1);
    });

    it("is off for a limiter made without it (as the unit tables above assume)", async () => {
        const times = await burst(make(LIMIT, 0), 10, 50);
        expect(new Set(times).size).toBe(1);
    });
});

/** The emulator's rule: a sliding window on arrival; refused requests are not counted. */
class SimServer {
    private hits: number[] = [];
    accepted = 0;
    refused = 0;
    take(now: number): number | undefined {
        this.hits = this.hits.filter((t) => t > now - LIMIT.windowMs);
        if (this.hits.length >= LIMIT.requests) {
            this.refused++;
            return Math.max(1, Math.ceil((this.hits[this.hits.length - LIMIT.requests] + LIMIT.windowMs - now) / 1000)) * 1000;
        }
        this.hits.push(now);
        this.accepted++;
        return undefined;
    }
}

/** One call the way the client makes it: a slot, the request, and on a 429 the reset time plus jitter. */
async function call(l: RateLimiter, server: SimServer, rnd: () => number, rttMs = 30): Promise<void> {
    for (;;) {
        const r = await l.acquire();
        await new Promise((res) => setTimeout(res, rttMs / 2));
        const reset = server.take(Date.now());
        await new Promise((res) => setTimeout(res, rttMs / 2));
        if (reset === undefined) return release(r, 200);
        release(r, 429);
        l.noteThrottled(reset);
        await new Promise((res) => setTimeout(res, reset + 100 + rnd() * 400));
    }
}

describe("two processes sharing a budget and a third on another machine, against the real limit", () => {
    it("every call succeeds, at most 5 % of the requests are refused, and the budget recovers once the other is done", async () => {
        let seed = 42;
        const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const server = new SimServer();
        const opts = (): Opts => ({ slowStart: true, shared: { dir, apiUrl: "https://api.clickhouse.cloud", keyId: "k" } });
        const a = make(LIMIT, 1, opts());
        const b = make(LIMIT, 1, opts());
        const foreign = make(LIMIT, 1, { slowStart: true });
        let done = 0;
        const calls = [a, b, foreign].flatMap((l) => Array.from({ length: 40 }, () => call(l, server, rnd).then(() => done++)));
        for (let i = 0; i < 600 && done < calls.length; i++) await jest.advanceTimersByTimeAsync(1000);
        await Promise.all(calls);
        expect(server.accepted).toBe(120);
        // At most 5 % of everything sent is refused.
        expect(server.refused).toBeLessThanOrEqual(Math.floor(0.05 * (server.accepted + server.refused)));
        // Done: with nobody else on the key, the shared budget grows back to the limit.
        await jest.advanceTimersByTimeAsync(200_000);
        release(await a.acquire(), 200);
        expect(budgetOf(a)).toBe(10);
    });
});

describe("CLICKHOUSE_RATE_LIMIT_SLOW_START", () => {
    it.each([
        [undefined, 1],
        ["", 1],
        ["2", 2],
        ["3", 3],
        ["off", 0],
        ["0", 0],
    ])("%p -> %p requests in flight", async (v, n) => {
        const { parseSlowStart } = await import("../../../provider/api/rateLimit");
        expect(parseSlowStart(v)).toBe(n);
    });

    it("rejects anything else, naming the variable", async () => {
        const { parseSlowStart } = await import("../../../provider/api/rateLimit");
        expect(() => parseSlowStart("fast")).toThrow(/CLICKHOUSE_RATE_LIMIT_SLOW_START="fast" is not valid/);
    });
});
