/**
 * When the waits spend their requests: the first poll after a mutation, the rest of a burst once
 * one of it is seen done, and reads answered from an observation the poller has just made. Each
 * case counts requests against a fake API whose objects change state at given times.
 */
import { PollTiming, waitFor } from "../../provider/wait";

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
