import { RateLimiter } from "../../../provider/api/limiter";
import { limiterFor, limiterStats, resetLimiters } from "../../../provider/api/limiterRegistry";
import { parseRateLimit } from "../../../provider/api/rateLimit";
import { isCancellation, resetCancellation, signalCancellation } from "../../../provider/cancel";

const tick = () => jest.advanceTimersByTimeAsync(0);

describe("parseRateLimit", () => {
    it.each([
        [undefined, { requests: 10, windowMs: 10_000 }],
        ["", { requests: 10, windowMs: 10_000 }],
        ["10/10", { requests: 10, windowMs: 10_000 }],
        ["5 / 2.5", { requests: 5, windowMs: 2_500 }],
        ["off", false],
        ["OFF", false],
    ])("%p -> %p", (v, out) => {
        expect(parseRateLimit(v)).toEqual(out);
    });

    it.each(["10", "ten/10", "0/10", "10/0", "-1/5"])("rejects %p naming the variable and the format", (v) => {
        expect(() => parseRateLimit(v)).toThrow(/CLICKHOUSE_RATE_LIMIT=.*"N\/S".*"off"/);
    });
});

describe("RateLimiter", () => {
    afterEach(() => jest.useRealTimers());

    it("hands out N slots, then one more per slot that leaves the window, first come first served", async () => {
        jest.useFakeTimers({ now: 0 });
        const l = new RateLimiter({ requests: 2, windowMs: 1000 });
        const order: number[] = [];
        const releases: (() => void)[] = [];
        for (let i = 0; i < 5; i++) {
            void l.acquire().then((rel) => {
                order.push(i);
                releases.push(rel);
            });
        }
        await tick();
        expect(order).toEqual([0, 1]);
        expect(l.stats()).toMatchObject({ sent: 2, queued: 3 });
        // Responses arrive at t=100: the slots count until t=1100.
        jest.setSystemTime(100);
        releases[0]();
        releases[1]();
        await jest.advanceTimersByTimeAsync(999);
        expect(order).toEqual([0, 1]);
        await jest.advanceTimersByTimeAsync(2);
        expect(order).toEqual([0, 1, 2, 3]);
        releases[2]();
        await jest.advanceTimersByTimeAsync(1001);
        expect(order).toEqual([0, 1, 2, 3, 4]);
        expect(l.stats()).toMatchObject({ sent: 5, queued: 0, maxQueued: 3 });
    });

    it("counts a request in flight: no new slot until it completes, however long it takes", async () => {
        jest.useFakeTimers({ now: 0 });
        const l = new RateLimiter({ requests: 1, windowMs: 100 });
        const rel = await l.acquire();
        let second = false;
        void l.acquire().then(() => (second = true));
        await jest.advanceTimersByTimeAsync(10_000);
        expect(second).toBe(false);
        rel();
        await jest.advanceTimersByTimeAsync(101);
        expect(second).toBe(true);
    });

    it('a slot released "unused" (nothing was sent) is free at once; an answered one counts for a window', async () => {
        jest.useFakeTimers({ now: 1_000_000 });
        const l = new RateLimiter({ requests: 1, windowMs: 10_000 });
        (await l.acquire())("unused");
        let second: ((s?: number | "unused") => void) | undefined;
        void l.acquire().then((r) => (second = r));
        await tick();
        expect(second).toBeDefined();
        second!(200);
        let third = false;
        void l.acquire().then(() => (third = true));
        await jest.advanceTimersByTimeAsync(9_999);
        expect(third).toBe(false);
        await jest.advanceTimersByTimeAsync(2);
        expect(third).toBe(true);
        expect(l.stats()).toMatchObject({ sent: 3, unused: 1 });
    });

    it("a 429 pauses everyone until the reset time", async () => {
        jest.useFakeTimers({ now: 0 });
        const l = new RateLimiter({ requests: 100, windowMs: 1000 });
        l.noteThrottled(3000);
        let got = false;
        void l.acquire().then(() => (got = true));
        await jest.advanceTimersByTimeAsync(2990);
        expect(got).toBe(false);
        await jest.advanceTimersByTimeAsync(20);
        expect(got).toBe(true);
        expect(l.stats().throttled).toBe(1);
    });

    it("off means no waiting at all, but still counts", async () => {
        const l = new RateLimiter(false);
        const rels = await Promise.all(Array.from({ length: 50 }, () => l.acquire()));
        expect(l.stats()).toMatchObject({ sent: 50, queued: 0, limit: false });
        rels.forEach((r) => r());
    });

    it("releasing twice frees one slot only", async () => {
        jest.useFakeTimers({ now: 0 });
        const l = new RateLimiter({ requests: 1, windowMs: 1000 });
        const rel = await l.acquire();
        rel();
        rel();
        let got = 0;
        void l.acquire().then(() => got++);
        void l.acquire().then(() => got++);
        await jest.advanceTimersByTimeAsync(1001);
        expect(got).toBe(1);
    });
});

describe("limiterFor", () => {
    const saved = process.env.CLICKHOUSE_RATE_LIMIT;
    afterEach(() => {
        if (saved === undefined) delete process.env.CLICKHOUSE_RATE_LIMIT;
        else process.env.CLICKHOUSE_RATE_LIMIT = saved;
        resetLimiters();
    });

    it("is one limiter per key, configured from CLICKHOUSE_RATE_LIMIT", () => {
        process.env.CLICKHOUSE_RATE_LIMIT = "3/2";
        const a = limiterFor("k1");
        expect(limiterFor("k1")).toBe(a);
        expect(limiterFor("k2")).not.toBe(a);
        expect(limiterStats("k1")!.limit).toEqual({ requests: 3, windowMs: 2000 });
        expect(limiterStats("never-used")).toBeUndefined();
    });
});

describe("RateLimiter and the engine's cancellation (Ctrl-C)", () => {
    // Earlier tests leave requests queued for ever: their listeners must not hear this cancellation.
    beforeEach(() => resetCancellation());
    afterEach(() => {
        resetCancellation();
        jest.useRealTimers();
    });

    it("refuses the requests waiting for a slot at once; a free slot is still handed out", async () => {
        jest.useFakeTimers({ now: 0 });
        const l = new RateLimiter({ requests: 1, windowMs: 10_000 });
        const first = await l.acquire();
        const queued = [l.acquire().catch((e) => e), l.acquire("observe").catch((e) => e)];
        await tick();
        expect(l.stats().queued).toBe(2);
        signalCancellation();
        const errors = await Promise.all(queued);
        expect(errors.map((e) => [isCancellation(e), e.message])).toEqual([
            [true, "cancelled by the engine (Ctrl-C) while waiting for a slot of the API key's rate limit"],
            [true, "cancelled by the engine (Ctrl-C) while waiting for a slot of the API key's rate limit"],
        ]);
        expect(l.stats().queued).toBe(0);
        // After the cancellation: a request that would have to wait is refused, one with a free slot goes.
        const late = await l.acquire().catch((e) => e);
        expect(isCancellation(late)).toBe(true);
        first();
        await jest.advanceTimersByTimeAsync(10_001);
        const free = await l.acquire();
        expect(typeof free).toBe("function");
        expect(l.stats()).toMatchObject({ sent: 2, queued: 0 });
    });

    it("a paused key (after a 429) does not hold a request past the cancellation", async () => {
        jest.useFakeTimers({ now: 0 });
        const l = new RateLimiter({ requests: 10, windowMs: 10_000 });
        l.noteThrottled(60_000);
        const waiting = l.acquire().catch((e) => e);
        await jest.advanceTimersByTimeAsync(1000);
        signalCancellation();
        expect(isCancellation(await waiting)).toBe(true);
    });
});
