/**
 * The benchmark's lower bound (bench/lowerbound.js): the figures BENCHMARKS.md quotes, and the
 * window arithmetic they come from.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { slot, lowerBound } = require("../../bench/lowerbound.js");

const RATE = { requests: 10, windowSeconds: 10 };
const bound = (n: number, t = 20) => lowerBound({ n, provisioningSeconds: t, stoppingSeconds: 1, terminatingSeconds: 1, rate: RATE });

describe("benchmark lower bound", () => {
    it("sends ten requests per window", () => {
        expect([0, 9, 10, 19, 20, 61].map((k) => slot(k, RATE))).toEqual([0, 0, 10, 10, 20, 60]);
    });

    it("gives the bounds BENCHMARKS.md quotes for T = 20 s", () => {
        // destroy lists each service's ClickPipes before deleting it (the warning about unmanaged pipes)
        expect(bound(1)).toMatchObject({ up: 20, destroy: 2, total: 22, minRequests: 7 });
        expect(bound(10)).toMatchObject({ up: 20, destroy: 31, total: 51, minRequests: 43 });
        expect(bound(30)).toMatchObject({ up: 40, destroy: 91, total: 131, minRequests: 123 });
    });

    it("is bounded by the request count alone when transitions are instant", () => {
        expect(bound(30, 0).up).toBe(30); // 31 requests: the 31st goes at 30 s
    });
});
