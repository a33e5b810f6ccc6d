/**
 * When the waits spend their requests: the first poll after a mutation, the rest of a burst once
 * one of it is seen done, and reads answered from an observation the poller has just made. Each
 * case counts requests against a fake API whose objects change state at given times.
 */
import type { ApiClient } from "../../provider/api/client";
import { ApiError } from "../../provider/api/errors";
import { Service } from "../../provider/api/types";
import { requireService } from "../../provider/resources/owningService";
import { PollTiming, ServicePoller, pollerFor, waitFor } from "../../provider/wait";

/** Services that are `provisioning` until their `runningAt` time, then `running`. */
class TimedClient {
    readonly orgId = "org";
    readonly calls: { time: number; path: string }[] = [];
    readonly runningAt = new Map<string, number>();

    private view(id: string): Service {
        return { id, state: Date.now() >= this.runningAt.get(id)! ? "running" : "provisioning" } as Service;
    }

    async get<T>(path: string): Promise<T> {
        this.calls.push({ time: Date.now(), path });
        if (path === "/services") return [...this.runningAt.keys()].map((id) => this.view(id)) as T;
        const id = path.split("/")[2];
        if (!this.runningAt.has(id)) throw new ApiError({ status: 404, code: "NOT_FOUND", method: "GET", path });
        return this.view(id) as T;
    }
}

const TIMING: PollTiming = { minMs: 1000, maxMs: 10_000, growth: 1.1, progressEveryMs: 60_000 };

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

/** Runs fake time forward in small steps until the promise settles. */
async function settle<T>(p: Promise<T>, maxMs = 600_000): Promise<T> {
    let done = false;
    const tracked = p.finally(() => (done = true));
    tracked.catch(() => undefined);
    for (let t = 0; t < maxMs && !done; t += 10) await jest.advanceTimersByTimeAsync(10);
    return tracked;
}

describe("waitFor after the call that started the transition", () => {
    it("afterMutation: the first poll is minMs after the call, not at once (it would only see the state the call left)", async () => {
        const times: number[] = [];
        const r = await settle(
            waitFor({
                label: 'ClickPipe "events"',
                timeoutMs: 60_000,
                afterMutation: true,
                poll: async () => (times.push(Date.now()), { state: Date.now() >= 1000 ? "Running" : "Provisioning" }),
                done: (t) => t.state === "Running",
                timing: TIMING,
            }),
        );
        expect(r).toEqual({ state: "Running" });
        // Polling at once (the default) costs a request that shows Provisioning: [0, 1100].
        expect(times).toEqual([1000]);
    });
});

describe("the rest of a burst, once one of it is seen done", () => {
    /** Three creates answered 150 ms apart (one burst); returns the times of the list calls. */
    async function burst(runningAt: (i: number) => number, untilMs: number): Promise<{ client: TimedClient; done: Promise<unknown> }> {
        const client = new TimedClient();
        const p = new ServicePoller(client, TIMING);
        const waits: Promise<unknown>[] = [];
        for (const i of [0, 1, 2]) {
            await jest.advanceTimersByTimeAsync(i * 150 - Date.now());
            client.runningAt.set(`s${i}`, runningAt(i));
            waits.push(p.wait(`s${i}`, { until: ["running"], timeoutMs: 600_000, label: `s${i}` }));
        }
        const done = Promise.all(waits);
        done.catch(() => undefined);
        await jest.advanceTimersByTimeAsync(untilMs - Date.now());
        return { client, done };
    }

    it("is looked at when the same transition would be over for it, not a grown interval later", async () => {
        // The schedule of a burst that never finishes: its first list call after 20 s.
        const dry = await burst(() => Infinity, 25_000);
        const poll = dry.client.calls.map((x) => x.time).find((t) => t >= 20_000)!;
        jest.useFakeTimers({ now: 0 });
        // The same burst, the first service done just before that poll, the two others (which
        // started 150 and 300 ms later) as long after it.
        const run = await burst((i) => (i === 0 ? poll - 5 : poll + i * 150), poll + 10);
        await settle(run.done);
        const seen = run.client.calls.filter((x) => x.time >= poll).map((x) => x.time - poll);
        // One more request, when the others are done (≤ 300 ms later). It used to come a grown
        // interval (about 2 s here) later.
        expect(seen.length).toBe(2);
        expect(seen[1]).toBeGreaterThanOrEqual(300);
        expect(seen[1]).toBeLessThanOrEqual(400);
    });
});

describe("a read of the service a satellite belongs to", () => {
    it("requireService with `recent` answers from the poller's observation of the last second, without a request", async () => {
        const c = new TimedClient();
        c.runningAt.set("s1", 1500);
        const client = c as unknown as ApiClient;
        const running = await settle(pollerFor(client).wait("s1", { until: ["running"], timeoutMs: 60_000, label: "s1" }));
        expect(running).toMatchObject({ state: "running" });
        const requests = c.calls.length;
        await jest.advanceTimersByTimeAsync(100);
        // Three satellites created at once when the engine gets the service: no request.
        const reads = await Promise.all([1, 2, 3].map(() => requireService(client, "clickhouse:X", "s1", { recent: true })));
        expect(reads.map((s) => s.state)).toEqual(["running", "running", "running"]);
        expect(c.calls.length).toBe(requests);
        // Without `recent` (a read whose answer decides a PATCH), or once the observation is older
        // than the poller's shortest interval, the read asks the API.
        await requireService(client, "clickhouse:X", "s1");
        expect(c.calls.length).toBe(requests + 1);
        await jest.advanceTimersByTimeAsync(1000);
        await requireService(client, "clickhouse:X", "s1", { recent: true });
        expect(c.calls.length).toBe(requests + 2);
    });
});

describe("the poller's last list, for the destroy's ownership look", () => {
    /** A TimedClient that also says whether its writes have settled by a time. */
    class WritingClient extends TimedClient {
        inFlight = 0;
        settledAt = 0;
        writesSettledBy(at: number): boolean {
            return this.inFlight === 0 && this.settledAt <= at;
        }
    }

    async function listed(): Promise<{ client: WritingClient; poller: ServicePoller; sentAt: number }> {
        const client = new WritingClient();
        client.runningAt.set("a", 0);
        client.runningAt.set("b", 0);
        const poller = new ServicePoller(client, TIMING);
        await settle(Promise.all(["a", "b"].map((id) => poller.wait(id, { until: ["running"], timeoutMs: 60_000, label: id }))));
        const list = client.calls.filter((c) => c.path === "/services");
        expect(list).toHaveLength(1);
        return { client, poller, sentAt: list[0].time };
    }

    it("is the list a tick sent after every write was answered, while it is young", async () => {
        const { poller } = await listed();
        expect(poller.recentList(5_000)?.map((s) => s.id)).toEqual(["a", "b"]);
        await jest.advanceTimersByTimeAsync(5_001);
        expect(poller.recentList(5_000)).toBeUndefined();
    });

    it("is not given when a write was answered after the list was sent, or one is in flight", async () => {
        const { client, poller, sentAt } = await listed();
        client.settledAt = sentAt + 1;
        expect(poller.recentList(5_000)).toBeUndefined();
        client.settledAt = sentAt;
        client.inFlight = 1;
        expect(poller.recentList(5_000)).toBeUndefined();
        client.inFlight = 0;
        expect(poller.recentList(5_000)).toBeDefined();
    });

    it("is not given by a client that cannot say when its writes settled", async () => {
        const client = new TimedClient();
        client.runningAt.set("a", 0);
        client.runningAt.set("b", 0);
        const poller = new ServicePoller(client, TIMING);
        await settle(Promise.all(["a", "b"].map((id) => poller.wait(id, { until: ["running"], timeoutMs: 60_000, label: id }))));
        expect(poller.recentList(5_000)).toBeUndefined();
    });
});
