import { ApiError } from "../../provider/api/errors";
import { Service, ServiceState } from "../../provider/api/types";
import { isCancellation, resetCancellation, signalCancellation } from "../../provider/cancel";
import { captureLogs } from "../../provider/log";
import { PollTiming, ServicePoller, WaitError, formatDuration, pollerFor, waitFor, waitForService } from "../../provider/wait";

/** A fake client whose services follow scripted state sequences (the last state repeats). */
class FakeClient {
    readonly orgId = "org";
    readonly calls: { time: number; path: string }[] = [];
    private scripts = new Map<string, (ServiceState | "404")[]>();
    failWith?: () => Error;

    script(id: string, states: (ServiceState | "404")[]): this {
        this.scripts.set(id, [...states]);
        return this;
    }

    private next(id: string): ServiceState | "404" {
        const s = this.scripts.get(id);
        if (!s) return "404";
        return s.length > 1 ? s.shift()! : s[0];
    }

    async get<T>(path: string): Promise<T> {
        this.calls.push({ time: Date.now(), path });
        if (this.failWith) throw this.failWith();
        if (path === "/services") {
            const out: Service[] = [];
            for (const id of this.scripts.keys()) {
                const st = this.next(id);
                if (st !== "404") out.push({ id, state: st } as Service);
            }
            return out as T;
        }
        const id = path.split("/")[2];
        const st = this.next(id);
        if (st === "404") throw new ApiError({ status: 404, code: "NOT_FOUND", method: "GET", path });
        return { id, state: st } as T;
    }
}

// Growth ×1.5 (the default is 1.1) keeps the schedules below short and easy to read.
const FAST: PollTiming = { minMs: 1000, maxMs: 10_000, growth: 1.5, progressEveryMs: 10_000 };

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

/** Runs fake time forward until the promise settles. */
async function settle<T>(p: Promise<T>, maxMs = 3_600_000): Promise<T> {
    let done = false;
    const tracked = p.finally(() => (done = true));
    tracked.catch(() => undefined);
    for (let t = 0; t < maxMs && !done; t += 250) await jest.advanceTimersByTimeAsync(250);
    return tracked;
}

describe("waitForService", () => {
    it("waits on the single service with GET /services/{id}, first poll about 1 s after registering", async () => {
        const c = new FakeClient().script("a", ["provisioning", "provisioning", "running"]);
        const p = new ServicePoller(c, FAST);
        const svc = await settle(p.wait("a", { until: ["running"], timeoutMs: 60_000, label: "dev" }));
        expect(svc).toEqual({ id: "a", state: "running" });
        expect(c.calls.map((x) => x.path)).toEqual(["/services/a", "/services/a", "/services/a"]);
        expect(c.calls[0].time).toBe(1000);
    });

    it("spends one list call per tick while several services are waited on, then goes back to single gets", async () => {
        const c = new FakeClient()
            .script("a", ["provisioning", "running"])
            .script("b", ["provisioning", "provisioning", "provisioning", "provisioning", "running"])
            .script("c", ["running"]);
        const p = new ServicePoller(c, FAST);
        const both = Promise.all([
            p.wait("a", { until: ["running"], timeoutMs: 60_000, label: "a" }),
            p.wait("b", { until: ["running"], timeoutMs: 60_000, label: "b" }),
        ]);
        const [a, b] = await settle(both);
        expect([a?.state, b?.state]).toEqual(["running", "running"]);
        const paths = c.calls.map((x) => x.path);
        expect(paths.slice(0, 2)).toEqual(["/services", "/services"]);
        expect(paths.slice(2).every((x) => x === "/services/b")).toBe(true);
        expect(paths.length).toBeGreaterThan(2);
        // One request per tick, never one per waiter.
        expect(p.stats.ticks).toBe(c.calls.length);
    });

    it("grows the interval ×1.5 up to the cap while nothing changes, and resets it when a state changes", async () => {
        const states: ServiceState[] = [...Array(9).fill("provisioning"), "starting", "starting", "running"];
        const c = new FakeClient().script("a", states);
        const p = new ServicePoller(c, FAST);
        await settle(p.wait("a", { until: ["running"], timeoutMs: 600_000, label: "dev" }));
        const gaps = c.calls.slice(1).map((x, i) => x.time - c.calls[i].time);
        expect(gaps.slice(0, 8)).toEqual([1500, 2250, 3375, 5063, 7595, 10_000, 10_000, 10_000]);
        // provisioning -> starting: back to the minimum, then growing again.
        // (call 9 is the first to see "starting")
        expect(gaps[8]).toBe(10_000);
        expect(gaps[9]).toBe(1000);
        expect(gaps[10]).toBe(1500);
    });

    it("a newcomer is polled about 1 s after registering even when the backoff has grown", async () => {
        const c = new FakeClient().script("a", ["provisioning"]).script("b", ["running"]);
        const p = new ServicePoller(c, FAST);
        const a = p.wait("a", { until: ["running"], timeoutMs: 120_000, label: "a" });
        a.catch(() => undefined);
        await jest.advanceTimersByTimeAsync(40_000);
        const before = c.calls.length;
        const registeredAt = Date.now();
        const b = p.wait("b", { until: ["running"], timeoutMs: 60_000, label: "b" });
        await jest.advanceTimersByTimeAsync(1000);
        await expect(b).resolves.toEqual({ id: "b", state: "running" });
        expect(c.calls[before].time - registeredAt).toBeLessThanOrEqual(1000);
        expect(c.calls[before].path).toBe("/services");
        await settle(a).catch(() => undefined);
    });

    it.each(["failed", "degraded"] as ServiceState[])(
        "ends with a WaitError on %s, naming the service, id, state and time waited",
        async (bad) => {
            const c = new FakeClient().script("id-1", ["provisioning", "provisioning", bad]);
            const p = new ServicePoller(c, FAST);
            const e = await settle(p.wait("id-1", { until: ["running"], timeoutMs: 60_000, label: "dev" })).catch((x) => x);
            expect(e).toBeInstanceOf(WaitError);
            expect(e.message).toBe(`service "dev" (id-1) is ${bad} after 5s while waiting for it to be running`);
            expect(e.reason).toBe("failed");
            expect(e.state).toBe(bad);
            expect(e.lastSeen).toEqual({ id: "id-1", state: bad });
        },
    );

    it("subject and progressLabel name the object for waits on behalf of another resource", async () => {
        const cap = captureLogs();
        try {
            const c = new FakeClient().script("id-9", ["provisioning", "failed"]);
            const p = new ServicePoller(c, FAST);
            const opts = {
                until: ["running"] as ServiceState[],
                timeoutMs: 60_000,
                label: "x",
                subject: 'service "dev" (id-9)',
                progressLabel: "clickhouse:ServiceScaling dev-scaling",
            };
            const e = await settle(p.wait("id-9", opts)).catch((x) => x);
            expect(e.message).toBe('service "dev" (id-9) is failed after 3s while waiting for it to be running');
            expect(cap.entries[0].message).toBe("clickhouse:ServiceScaling dev-scaling: provisioning (1s elapsed)");
        } finally {
            cap.stop();
        }
    });

    it("a failure state that is also awaited counts as reached (e.g. deletable states)", async () => {
        const c = new FakeClient().script("a", ["failed"]);
        const p = new ServicePoller(c, FAST);
        await expect(settle(p.wait("a", { until: ["stopped", "failed"], timeoutMs: 60_000, label: "x" }))).resolves.toEqual({
            id: "a",
            state: "failed",
        });
    });

    it("accepts a predicate", async () => {
        const c = new FakeClient().script("a", ["provisioning", "idle"]);
        const p = new ServicePoller(c, FAST);
        const svc = await settle(p.wait("a", { until: (s) => s.state !== "provisioning", timeoutMs: 60_000, label: "x" }));
        expect(svc?.state).toBe("idle");
    });

    it("times out with the label, id, target and last state", async () => {
        const c = new FakeClient().script("id-2", ["provisioning"]);
        const p = new ServicePoller(c, FAST);
        const e = await settle(p.wait("id-2", { until: ["running"], timeoutMs: 20 * 60_000, label: "x" })).catch((x) => x);
        expect(e).toBeInstanceOf(WaitError);
        expect(e.message).toBe('timed out after 20m waiting for service "x" (id-2) to be running; last state: provisioning');
        expect(e.reason).toBe("timeout");
        // The deadline is honoured even though the interval is at its 10 s cap.
        expect(Date.now()).toBeLessThanOrEqual(20 * 60_000 + 1000);
    });

    it("gone: a 404 on the single get resolves undefined", async () => {
        const c = new FakeClient().script("a", ["stopped", "terminating", "404"]);
        const p = new ServicePoller(c, FAST);
        await expect(settle(p.wait("a", { until: [], gone: true, timeoutMs: 60_000, label: "x" }))).resolves.toBeUndefined();
        expect(c.calls).toHaveLength(3);
    });

    it("gone: absence from the list resolves gone waiters and fails waiters expecting a state", async () => {
        const c = new FakeClient().script("a", ["terminating", "404"]).script("b", ["provisioning"]);
        const p = new ServicePoller(c, FAST);
        const gone = p.wait("a", { until: [], gone: true, timeoutMs: 60_000, label: "a" });
        const vanished = p.wait("a", { until: ["running"], timeoutMs: 60_000, label: "a2" }).catch((x) => x);
        const other = p.wait("b", { until: ["running"], timeoutMs: 5_000, label: "b" });
        other.catch(() => undefined);
        await expect(settle(gone)).resolves.toBeUndefined();
        const e = await vanished;
        expect(e).toBeInstanceOf(WaitError);
        expect(e.reason).toBe("gone");
        expect(e.message).toContain('service "a2" (a) no longer exists (404)');
        expect(c.calls[0].path).toBe("/services");
        await settle(other).catch(() => undefined);
    });

    it("fails at once on a non-retryable API error, and after repeated transient ones", async () => {
        const c = new FakeClient().script("a", ["provisioning"]);
        c.failWith = () => new ApiError({ status: 403, code: "FORBIDDEN", detail: "no permission", method: "GET", path: "/v1/x" });
        const e1 = await settle(new ServicePoller(c, FAST).wait("a", { until: ["running"], timeoutMs: 60_000, label: "x" })).catch(
            (x) => x,
        );
        expect(e1).toBeInstanceOf(WaitError);
        expect(e1.message).toContain("403 FORBIDDEN");
        expect(c.calls).toHaveLength(1);

        c.calls.length = 0;
        c.failWith = () => new ApiError({ status: 0, code: "ECONNRESET", method: "GET", path: "/v1/x" });
        const e2 = await settle(new ServicePoller(c, FAST).wait("a", { until: ["running"], timeoutMs: 600_000, label: "x" })).catch(
            (x) => x,
        );
        expect(e2.reason).toBe("error");
        expect(c.calls).toHaveLength(5);
    });

    it("reports progress at most every 10 s per waiter, as `<state> (<elapsed> elapsed)`", async () => {
        const cap = captureLogs();
        try {
            const c = new FakeClient().script("a", [...Array(30).fill("provisioning"), "running"]);
            const p = new ServicePoller(c, { ...FAST, maxMs: 2000 });
            await settle(p.wait("a", { until: ["running"], timeoutMs: 600_000, label: "dev" }));
            const msgs = cap.entries.filter((e) => e.message.startsWith("clickhouse:Service dev:"));
            expect(msgs.length).toBeGreaterThanOrEqual(3);
            expect(msgs[0].message).toBe("clickhouse:Service dev: provisioning (1s elapsed)");
            expect(msgs.every((m) => m.ephemeral && /: provisioning \(\d+(m\d+)?s elapsed\)$/.test(m.message))).toBe(true);
            for (let i = 1; i < msgs.length; i++) expect(msgs[i].time - msgs[i - 1].time).toBeGreaterThanOrEqual(10_000);
        } finally {
            cap.stop();
        }
    });

    it("shares one poller per client", () => {
        const c = new FakeClient();
        expect(pollerFor(c)).toBe(pollerFor(c));
        expect(pollerFor(new FakeClient())).not.toBe(pollerFor(c));
    });

    it("waitForService goes through the client's shared poller", async () => {
        const c = new FakeClient().script("a", ["running"]);
        await expect(settle(waitForService(c, "a", { until: ["running"], timeoutMs: 60_000, label: "x" }))).resolves.toEqual({
            id: "a",
            state: "running",
        });
        expect(pollerFor(c).stats.getCalls).toBe(1);
    });
});

describe("waitFor (one object)", () => {
    function sequence<T>(items: T[]): () => Promise<T> {
        return async () => (items.length > 1 ? items.shift()! : items[0]);
    }

    it("polls immediately, then adaptively, until done", async () => {
        const times: number[] = [];
        const poll = sequence([{ state: "Provisioning" }, { state: "Provisioning" }, { state: "Provisioning" }, { state: "Running" }]);
        const r = await settle(
            waitFor({
                label: 'ClickPipe "events"',
                timeoutMs: 60_000,
                poll: () => (times.push(Date.now()), poll()),
                done: (t) => t.state === "Running",
                timing: FAST,
            }),
        );
        expect(r).toEqual({ state: "Running" });
        expect(times).toEqual([0, 1500, 3750, 7125]);
    });

    it("fails with the reason, label, id and time", async () => {
        const e = (await settle(
            waitFor<{ state: string }>({
                label: 'ClickPipe "events"',
                id: "cp-1",
                timeoutMs: 60_000,
                poll: sequence([{ state: "Provisioning" }, { state: "Failed" }]),
                done: (t) => t.state === "Running",
                fail: (t) => (t.state === "Failed" ? "state Failed" : undefined),
                targetDescription: "Running",
                timing: FAST,
            }),
        ).catch((x) => x as WaitError)) as WaitError;
        expect(e).toBeInstanceOf(WaitError);
        expect(e.message).toBe('ClickPipe "events" (cp-1) failed after 2s while waiting for it to be Running: state Failed');
        expect(e.lastSeen).toEqual({ state: "Failed" });
    });

    it("times out naming the last state", async () => {
        const e = await settle(
            waitFor({
                label: 'ClickPipe "events"',
                id: "cp-1",
                timeoutMs: 30_000,
                poll: sequence([{ state: "Provisioning" }]),
                done: () => false,
                targetDescription: "Running",
                timing: FAST,
            }),
        ).catch((x) => x);
        expect(e.message).toBe('timed out after 30s waiting for ClickPipe "events" (cp-1) to be Running; last state: Provisioning');
        expect(e.reason).toBe("timeout");
    });
});

describe("cancellation by the engine (Ctrl-C)", () => {
    // Waits earlier tests left behind must not hear these cancellations.
    beforeEach(() => resetCancellation());
    afterEach(() => resetCancellation());

    it("ends every service wait at once, naming the service, what it waited for, the time and the last state", async () => {
        const c = new FakeClient().script("a", ["provisioning"]).script("b", ["stopping"]);
        const p = new ServicePoller(c, FAST);
        const a = p.wait("a", { until: ["running"], timeoutMs: 3_600_000, label: "dev" }).then(
            () => undefined,
            (x: WaitError) => x,
        );
        const b = p.wait("b", { until: ["stopped"], timeoutMs: 3_600_000, label: "other" }).then(
            () => undefined,
            (x: WaitError) => x,
        );
        await jest.advanceTimersByTimeAsync(20_000);
        const callsBefore = c.calls.length;
        signalCancellation();
        const [ea, eb] = (await Promise.all([a, b])) as [WaitError, WaitError];
        expect(ea).toBeInstanceOf(WaitError);
        expect([ea.reason, isCancellation(ea), ea.lastSeen]).toEqual(["cancelled", true, { id: "a", state: "provisioning" }]);
        expect(ea.message).toBe(
            'cancelled by the engine (Ctrl-C) while waiting for service "dev" (a) to be running (20s elapsed; last state: provisioning)',
        );
        expect(eb.message).toMatch(/^cancelled by the engine \(Ctrl-C\) while waiting for service "other" \(b\) to be stopped/);
        // The poller stops: no timer left, no further request.
        expect([p.waiting, jest.getTimerCount()]).toEqual([0, 0]);
        await jest.advanceTimersByTimeAsync(60_000);
        expect(c.calls.length).toBe(callsBefore);
    });

    it("refuses waits, reads and list snapshots registered after the cancellation without a request", async () => {
        const c = new FakeClient().script("a", ["running"]);
        const p = new ServicePoller(c, FAST);
        signalCancellation();
        const wait = await p.wait("a", { until: ["running"], timeoutMs: 60_000, label: "dev" }).catch((x) => x);
        const read = await p.observe("a", { timeoutMs: 60_000, label: "dev" }).catch((x) => x);
        const list = await p.observeList({ timeoutMs: 60_000, label: "dev", subject: 'service "dev" (a)' }).catch((x) => x);
        expect([wait.reason, read.reason, list.reason]).toEqual(["cancelled", "cancelled", "cancelled"]);
        expect(read.message).toMatch(/while reading service "dev" \(a\)/);
        expect(list.message).toMatch(/while listing services for service "dev" \(a\)/);
        expect(c.calls).toEqual([]);
    });

    it("a wait in a tick whose request is still on the wire ends without waiting for the answer", async () => {
        let answer: ((s: Service) => void) | undefined;
        const client = { orgId: "org", get: <T>() => new Promise<T>((r) => (answer = r as (s: Service) => void)) };
        const p = new ServicePoller(client, FAST);
        const w = p.wait("a", { until: ["running"], timeoutMs: 60_000, label: "dev" }).catch((x) => x);
        await jest.advanceTimersByTimeAsync(1000);
        expect(answer).toBeDefined();
        signalCancellation();
        expect((await w).reason).toBe("cancelled");
        answer!({ id: "a", state: "running" } as Service);
        await jest.advanceTimersByTimeAsync(1000);
        expect(p.waiting).toBe(0);
    });

    it("waitFor ends its sleep and an unanswered poll at once, keeping the last object seen", async () => {
        let polls = 0;
        const sleeping = waitFor({
            label: 'ClickPipe "events"',
            id: "cp-1",
            timeoutMs: 600_000,
            poll: async () => (polls++, { state: "Provisioning" }),
            done: () => false,
            timing: FAST,
        }).catch((x) => x);
        await jest.advanceTimersByTimeAsync(5000);
        signalCancellation();
        const e = await sleeping;
        expect([e.reason, e.lastSeen, isCancellation(e)]).toEqual(["cancelled", { state: "Provisioning" }, true]);
        expect(e.message).toBe(
            'cancelled by the engine (Ctrl-C) while waiting for ClickPipe "events" (cp-1) to be ready (5s elapsed; last state: Provisioning)',
        );
        const before = polls;
        await jest.advanceTimersByTimeAsync(60_000);
        expect(polls).toBe(before);

        resetCancellation();
        const hanging = waitFor({
            label: 'ClickPipe "events"',
            timeoutMs: 600_000,
            poll: () => new Promise<{ state: string }>(() => undefined),
            done: () => false,
            timing: FAST,
        }).catch((x) => x);
        await jest.advanceTimersByTimeAsync(100);
        signalCancellation();
        expect((await hanging).reason).toBe("cancelled");
        resetCancellation();
        signalCancellation();
        const late = await waitFor({ label: "x", timeoutMs: 1000, poll: async () => ({ state: "Running" }), done: () => true }).catch(
            (x) => x,
        );
        expect(late.reason).toBe("cancelled");
    });
});

describe("formatDuration", () => {
    it.each([
        [0, "0s"],
        [45_000, "45s"],
        [80_000, "1m20s"],
        [20 * 60_000, "20m"],
        [3_720_000, "1h2m"],
    ])("%i ms -> %s", (ms, s) => expect(formatDuration(ms)).toBe(s));
});
