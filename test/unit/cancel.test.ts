/**
 * provider/cancel.ts: the engine's cancellation (Ctrl-C) as the provider's waits see it, and the
 * partial-failure message of an object a cancelled operation leaves recorded.
 */
import {
    cancellableSleep,
    cancellationError,
    isCancellation,
    isCancelled,
    onCancel,
    raceCancellation,
    resetCancellation,
    signalCancellation,
    throwIfCancelled,
} from "../../provider/cancel";
import { partialFailure, ResourceInitError } from "../../provider/resources/partialFailure";
import { WaitError } from "../../provider/wait";

beforeEach(() => resetCancellation());
afterEach(() => {
    resetCancellation();
    jest.useRealTimers();
});

describe("cancellation", () => {
    it("is signalled once; listeners hear it once, late listeners at once, removed ones never", () => {
        const heard: string[] = [];
        onCancel(() => heard.push("a"));
        const off = onCancel(() => heard.push("removed"));
        onCancel(() => {
            throw new Error("a failing listener does not stop the others");
        });
        onCancel(() => heard.push("b"));
        off();
        expect(isCancelled()).toBe(false);
        signalCancellation();
        signalCancellation();
        onCancel(() => heard.push("late"));
        expect(heard).toEqual(["a", "b", "late"]);
        expect(isCancelled()).toBe(true);
        expect(() => throwIfCancelled("doing x")).toThrow("cancelled by the engine (Ctrl-C) while doing x");
    });

    it("ends a sleep and a race at once, and leaves them alone otherwise", async () => {
        jest.useFakeTimers({ now: 0 });
        const sleeping = cancellableSleep(60_000, "sleeping").catch((e: Error) => e);
        const racing = raceCancellation(new Promise(() => undefined), "racing").catch((e: Error) => e);
        await jest.advanceTimersByTimeAsync(1000);
        signalCancellation();
        const [s, r] = (await Promise.all([sleeping, racing])) as [Error, Error];
        expect([isCancellation(s), s.message]).toEqual([true, "cancelled by the engine (Ctrl-C) while sleeping"]);
        expect(r.message).toBe("cancelled by the engine (Ctrl-C) while racing");
        expect(jest.getTimerCount()).toBe(0);
        resetCancellation();
        const done = cancellableSleep(10, "x");
        await jest.advanceTimersByTimeAsync(10);
        await expect(done).resolves.toBeUndefined();
        await expect(raceCancellation(Promise.resolve(7), "x")).resolves.toBe(7);
        await expect(raceCancellation(Promise.reject(new Error("own")), "x")).rejects.toThrow("own");
    });

    it("isCancellation knows cancellation errors and cancelled waits, nothing else", () => {
        expect(isCancellation(cancellationError("x"))).toBe(true);
        expect(isCancellation(new WaitError("m", { elapsedMs: 0, reason: "cancelled" }))).toBe(true);
        expect(isCancellation(new WaitError("m", { elapsedMs: 0, reason: "timeout" }))).toBe(false);
        expect([undefined, null, "cancelled", new Error("cancelled")].map(isCancellation)).toEqual([false, false, false, false]);
    });
});

describe("partialFailure of a cancelled operation", () => {
    it("keeps id, outputs and the serialized provider, and says the object is recorded and what to run", () => {
        const wait = new WaitError(
            'cancelled by the engine (Ctrl-C) while waiting for service "dev" (svc-1) to be running (3s elapsed; last state: provisioning)',
            {
                elapsedMs: 3000,
                reason: "cancelled",
            },
        );
        const e = partialFailure("svc-1", { state: "provisioning" }, { __provider: "shim" }, wait);
        expect(e).toBeInstanceOf(ResourceInitError);
        expect([e.id, e.properties]).toEqual(["svc-1", { state: "provisioning", __provider: "shim" }]);
        expect(e.reasons).toEqual([
            'cancelled by the engine (Ctrl-C) while waiting for service "dev" (svc-1) to be running (3s elapsed; last state: provisioning); ' +
                "svc-1 is recorded in the state: run `pulumi up` again to finish",
        ]);
        expect(partialFailure("svc-1", {}, {}, new Error("boom")).reasons).toEqual(["boom"]);
    });
});
