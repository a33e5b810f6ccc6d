/**
 * Priorities and the observation reserve of the shared limiter, and the poller's use of them:
 * observations never delay a mutation, the reserved slot lets a waiter see a transition while
 * mutations fill the window, and concurrent one-shot reads share one request.
 */
import { RateLimiter } from "../../../provider/api/limiter";
import { RequestPriority, withPriority } from "../../../provider/api/priority";
import { Service } from "../../../provider/api/types";
import { ServicePoller } from "../../../provider/wait";

const tick = () => jest.advanceTimersByTimeAsync(0);

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

describe("RateLimiter priorities", () => {
    it("serves start before normal before observe, whatever the order of arrival", async () => {
        const l = new RateLimiter({ requests: 1, windowMs: 1000 });
        const first = await l.acquire();
        const order: string[] = [];
        const take = (name: string, p: RequestPriority) => void l.acquire(p).then((rel) => (order.push(name), rel()));
        take("observe", "observe");
        take("normal-1", "normal");
        take("start", "start");
        take("normal-2", "normal");
        first();
        for (let i = 0; i < 5; i++) await jest.advanceTimersByTimeAsync(1001);
        expect(order).toEqual(["start", "normal-1", "normal-2", "observe"]);
    });

    it("keeps the reserved slot for observations only, until the reserve is released", async () => {
        const l = new RateLimiter({ requests: 3, windowMs: 1000 });
        const release = l.holdReserve(1);
        const got: string[] = [];
        for (const [name, p] of [
            ["n1", "normal"],
            ["n2", "normal"],
            ["n3", "normal"],
            ["n4", "normal"],
        ] as const) {
            void l.acquire(p).then((rel) => (got.push(name), rel()));
        }
        await tick();
        expect(got).toEqual(["n1", "n2"]);
        void l.acquire("observe").then((rel) => (got.push("o"), rel()));
        await tick();
        expect(got).toEqual(["n1", "n2", "o"]);
        release();
        await jest.advanceTimersByTimeAsync(1001);
        expect(got).toEqual(["n1", "n2", "o", "n3", "n4"]);
    });

    it("lets `start` requests (service creates) go first and use the reserved slot", async () => {
        const l = new RateLimiter({ requests: 3, windowMs: 1000 }, 1);
        const holds = [await l.acquire("start"), await l.acquire("start"), await l.acquire("start")];
        const got: string[] = [];
        const take = (name: string, p: RequestPriority) => void l.acquire(p).then((rel) => (got.push(name), rel()));
        take("n1", "normal");
        take("o1", "observe");
        take("s1", "start");
        take("s2", "start");
        take("s3", "start");
        holds.forEach((release) => release());
        await jest.advanceTimersByTimeAsync(1001);
        // A fresh window of 3: the starts first, and the reserve of 1 does not hold back the third.
        expect(got).toEqual(["s1", "s2", "s3"]);
        await jest.advanceTimersByTimeAsync(1001);
        expect(got).toEqual(["s1", "s2", "s3", "n1", "o1"]);
        // Normal requests alone still leave the reserved slot free.
        const l2 = new RateLimiter({ requests: 3, windowMs: 1000 }, 1);
        const got2: string[] = [];
        for (const name of ["n1", "n2", "n3"]) void l2.acquire("normal").then((rel) => (got2.push(name), rel()));
        await tick();
        expect(got2).toEqual(["n1", "n2"]);
    });

    it("keeps no reserve while more than a window's worth of mutations waits, and keeps it again below that", async () => {
        // Window of 4, reserve 1: with 9 normal requests waiting, all 4 slots go to them.
        const l = new RateLimiter({ requests: 4, windowMs: 1000 }, 1);
        const got: string[] = [];
        const take = (name: string, p: RequestPriority) => void l.acquire(p).then((rel) => (got.push(name), rel()));
        const holds = [await l.acquire("start"), await l.acquire("start"), await l.acquire("start"), await l.acquire("start")];
        for (let i = 1; i <= 9; i++) take(`n${i}`, "normal");
        take("o", "observe");
        holds.forEach((release) => release());
        await jest.advanceTimersByTimeAsync(1001);
        expect(got).toEqual(["n1", "n2", "n3", "n4"]);
        // Five waiting: one goes as before; then four, no more than a window, so the reserve is
        // kept again and the observation has the last slot.
        await jest.advanceTimersByTimeAsync(1001);
        expect(got).toEqual(["n1", "n2", "n3", "n4", "n5", "n6", "n7", "o"]);
        await jest.advanceTimersByTimeAsync(1001);
        expect(got.slice(8)).toEqual(["n8", "n9"]);
    });

    it("gives the reserve back to an observation kept waiting a minute by a backlog", async () => {
        const l = new RateLimiter({ requests: 2, windowMs: 10_000 }, 1);
        const got: { name: string; at: number }[] = [];
        const take = (name: string, p: RequestPriority) => void l.acquire(p).then((rel) => (got.push({ name, at: Date.now() }), rel()));
        for (let i = 1; i <= 40; i++) take(`n${i}`, "normal");
        take("o", "observe");
        for (let i = 0; i < 80; i++) await jest.advanceTimersByTimeAsync(1000);
        const o = got.find((g) => g.name === "o");
        // Starved while the backlog lasted, then served in the first window after OBSERVE_STARVE_MS (60 s).
        expect(o?.at).toBeGreaterThanOrEqual(60_000);
        expect(o?.at).toBeLessThan(72_000);
        expect(got.filter((g) => g.name !== "o" && g.at < 60_000)).toHaveLength(12);
    });

    it("withPriority sets the priority of every acquire made inside it", async () => {
        const l = new RateLimiter({ requests: 1, windowMs: 1000 });
        l.holdReserve(1); // capped at half the window: 0 slots of 1
        const order: string[] = [];
        const hold = await l.acquire();
        void withPriority("observe", async () => (await l.acquire())()).then(() => order.push("observe"));
        void l.acquire().then((rel) => (order.push("normal"), rel()));
        hold();
        for (let i = 0; i < 3; i++) await jest.advanceTimersByTimeAsync(1001);
        expect(order).toEqual(["normal", "observe"]);
    });
});

describe("ServicePoller with a limiter", () => {
    class Client {
        readonly orgId = "org";
        readonly calls: string[] = [];
        constructor(
            readonly limiter: RateLimiter,
            private readonly states: Record<string, string>,
        ) {}
        async get<T>(path: string): Promise<T> {
            const release = await this.limiter.acquire();
            this.calls.push(path);
            release();
            if (path === "/services") return Object.entries(this.states).map(([id, state]) => ({ id, state })) as T;
            const id = path.split("/")[2];
            return { id, state: this.states[id] } as T;
        }
    }

    it("concurrent one-shot observations share one list call; a missing service reads as undefined", async () => {
        const c = new Client(new RateLimiter(false), { a: "running", b: "stopped" });
        const p = new ServicePoller(c, { minMs: 1000, maxMs: 10_000, progressEveryMs: 10_000 });
        const seen = Promise.all(["a", "b", "gone"].map((id) => p.observe(id, { timeoutMs: 60_000, label: id })));
        await jest.advanceTimersByTimeAsync(100);
        const [a, b, gone] = (await seen) as (Service | undefined)[];
        expect([a?.state, b?.state, gone]).toEqual(["running", "stopped", undefined]);
        expect(c.calls).toEqual(["/services"]);
    });

    it("holds a reserved slot while it waits, so its poll passes mutations that fill the window", async () => {
        const limiter = new RateLimiter({ requests: 3, windowMs: 10_000 });
        const c = new Client(limiter, { a: "stopped" });
        const p = new ServicePoller(c, { minMs: 1000, maxMs: 10_000, progressEveryMs: 10_000 });
        const waited = p.wait("a", { until: ["stopped"], timeoutMs: 60_000, label: "a" });
        // Mutations arriving now may take only 2 of the 3 slots.
        const granted: number[] = [];
        for (let i = 0; i < 3; i++) void limiter.acquire().then((rel) => (granted.push(i), rel()));
        await tick();
        expect(granted).toEqual([0, 1]);
        await jest.advanceTimersByTimeAsync(1000);
        await expect(waited).resolves.toEqual({ id: "a", state: "stopped" });
        expect(c.calls).toEqual(["/services/a"]);
    });
});

describe("ServicePoller list snapshots", () => {
    it("a snapshot registered with a new wait is served by the wait's first poll: one list call for both", async () => {
        const calls: string[] = [];
        const states: Record<string, string> = { mine: "provisioning", earlier: "running" };
        const c = {
            orgId: "org",
            async get<T>(path: string): Promise<T> {
                calls.push(path);
                if (path === "/services") return Object.entries(states).map(([id, state]) => ({ id, state })) as T;
                return { id: path.split("/")[2], state: states[path.split("/")[2]] } as T;
            },
        };
        const p = new ServicePoller(c, { minMs: 1000, maxMs: 10_000, progressEveryMs: 10_000 });
        const snapshot = p.observeList({ timeoutMs: 60_000, label: "mine" });
        const waited = p.wait("mine", { until: ["running"], timeoutMs: 60_000, label: "mine" });
        await jest.advanceTimersByTimeAsync(999);
        expect(calls).toEqual([]); // not before a newcomer's first poll
        await jest.advanceTimersByTimeAsync(1);
        expect(((await snapshot) as Service[]).map((s) => s.id)).toEqual(["mine", "earlier"]);
        expect(calls).toEqual(["/services"]);
        states.mine = "running";
        await jest.advanceTimersByTimeAsync(2000);
        await expect(waited).resolves.toEqual({ id: "mine", state: "running" });
        // The wait alone polls its one service.
        expect(calls).toEqual(["/services", "/services/mine"]);
    });

    it("a snapshot fails like a wait when the list cannot be read", async () => {
        const c = {
            orgId: "org",
            async get<T>(): Promise<T> {
                throw Object.assign(new Error("forbidden"), { status: 403, isApiError: true });
            },
        };
        const p = new ServicePoller(c, { minMs: 10, maxMs: 100, progressEveryMs: 10_000 });
        const snapshot = p.observeList({ timeoutMs: 60_000, label: "mine" });
        const settled = snapshot.then(
            () => "resolved",
            (e: Error) => e.message,
        );
        await jest.advanceTimersByTimeAsync(5000);
        expect(await settled).toMatch(/could not check|forbidden/);
    });

    it("a snapshot that outlasts its timeout names the service it was the first poll for", async () => {
        const c = {
            orgId: "org",
            async get<T>(): Promise<T> {
                throw new Error("connect ECONNREFUSED");
            },
        };
        const p = new ServicePoller(c, { minMs: 10, maxMs: 10, progressEveryMs: 10_000 });
        const snapshot = p.observeList({
            timeoutMs: 25,
            label: "bounded",
            subject: 'service "bounded" (id-1)',
            targetDescription: "running",
        });
        const settled = snapshot.then(
            () => "resolved",
            (e: Error) => e.message,
        );
        await jest.advanceTimersByTimeAsync(100);
        expect(await settled).toMatch(/^timed out after 0s waiting for service "bounded" \(id-1\) to be running/);
    });
});
