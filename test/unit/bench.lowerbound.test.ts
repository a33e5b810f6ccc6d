/**
 * The benchmark's lower bound (bench/lowerbound.js): the figures BENCHMARKS.md quotes, and the
 * window arithmetic they come from.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { slot, lowerBound, parallelLowerBound, envLowerBound, ENV_REQUESTS } = require("../../bench/lowerbound.js");

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

    it("gives converge.n100 its bound: the last POST at 90 s, the 302nd request of destroy at 300 s", () => {
        expect(bound(100)).toMatchObject({ up: 110, destroy: 301, total: 411, minRequests: 403 });
    });

    it("counts three stacks of ten through one key as thirty services (parallel.k3n10)", () => {
        const p = parallelLowerBound({
            stacks: 3,
            servicesPerStack: 10,
            provisioningSeconds: 20,
            stoppingSeconds: 1,
            terminatingSeconds: 1,
            rate: RATE,
        });
        expect(p).toEqual(bound(30));
        expect(p).toMatchObject({ up: 40, destroy: 91, total: 131 });
    });
});

describe("the root program's environment (converge.env)", () => {
    const env = (over: Record<string, number> = {}) =>
        envLowerBound({
            provisioningSeconds: 20,
            pipeProvisioningSeconds: 1,
            pipeDeletingSeconds: 1,
            stoppingSeconds: 1,
            terminatingSeconds: 1,
            rate: RATE,
            ...over,
        });

    it("counts the requests each kind must make: 7 for up, 9 for destroy", () => {
        const kinds = (phase: "up" | "destroy") => ENV_REQUESTS[phase].map((r: { kind: string }) => r.kind);
        expect(kinds("up")).toEqual([
            "Service",
            "Service",
            "ServiceScaling",
            "BackupConfiguration",
            "ServiceQueryEndpoint",
            "ClickPipe",
            "ClickPipe",
        ]);
        expect(kinds("destroy")).toEqual([
            "ClickPipe",
            "ClickPipe",
            "ServiceQueryEndpoint",
            "BackupConfiguration",
            "Service",
            "Service",
            "Service",
            "Service",
            "StackOwnership",
        ]);
        expect(env()).toMatchObject({ upRequests: 7, destroyRequests: 9, minRequests: 16 });
    });

    it("puts the transitions of one chain in series: up T + P, destroy Pd + S + D (T = 20 s: 21 + 3 = 24 s)", () => {
        expect(env()).toMatchObject({ up: 21, destroy: 3, total: 24 });
        expect(env({ provisioningSeconds: 5, pipeProvisioningSeconds: 2 })).toMatchObject({ up: 7 });
        expect(env({ pipeDeletingSeconds: 4, stoppingSeconds: 2, terminatingSeconds: 3 })).toMatchObject({ destroy: 9 });
    });

    it("is bounded by the budget when a phase has more requests than a window allows", () => {
        // 7 and 9 requests at 4 per 10 s, instant transitions: the 7th at 10 s, the 9th at 20 s.
        const instant = {
            provisioningSeconds: 0,
            pipeProvisioningSeconds: 0,
            pipeDeletingSeconds: 0,
            stoppingSeconds: 0,
            terminatingSeconds: 0,
        };
        expect(envLowerBound({ ...instant, rate: { requests: 4, windowSeconds: 10 } })).toMatchObject({ up: 10, destroy: 20 });
    });
});
