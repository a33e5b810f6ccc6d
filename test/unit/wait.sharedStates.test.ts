/**
 * The service states one process's list call saw, used by another process's poller (several
 * stacks destroyed at once with one key): which waits may use them, how fresh they must be, and
 * what the file holds. The two "processes" are two pollers with their own fake clients and one
 * board file, as two provider processes of one machine have.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ApiError } from "../../provider/api/errors";
import { FileStateBoard, parseBoard, stateBoardFile } from "../../provider/api/sharedStates";
import { Service, ServiceState } from "../../provider/api/types";
import { PollTiming, ServicePoller } from "../../provider/wait";

/**
 * A fake client of one process: services with fixed states, every request counted. `grantDelayMs`
 * stands for the wait for a rate-limit slot; `instead` is called when the slot is granted, as
 * the real client does.
 */
class Process {
    readonly orgId = "org";
    readonly calls: string[] = [];
    readonly states = new Map<string, ServiceState>();
    grantDelayMs = 0;
    constructor(readonly stateBoard: FileStateBoard | undefined) {}

    async get<T>(p: string, opts?: { instead?: () => Promise<T | undefined> }): Promise<T> {
        if (this.grantDelayMs > 0) await new Promise((r) => setTimeout(r, this.grantDelayMs));
        const found = await opts?.instead?.();
        if (found !== undefined) return found;
        this.calls.push(p);
        if (p === "/services") return [...this.states].map(([id, state]) => ({ id, name: `n-${id}`, state }) as Service) as T;
        const id = p.split("/")[2];
        const state = this.states.get(id);
        if (!state) throw new ApiError({ status: 404, code: "NOT_FOUND", method: "GET", path: p });
        return { id, name: `n-${id}`, state } as T;
    }
}

const TIMING: PollTiming = { minMs: 1000, maxMs: 10_000, growth: 1.5, progressEveryMs: 60_000 };
let dir: string;
let board: FileStateBoard;

beforeEach(() => {
    jest.useFakeTimers({ now: 100_000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ch-states-"));
    board = new FileStateBoard(stateBoardFile(dir, "0".repeat(32), "org"));
});
afterEach(() => {
    jest.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
});

/** Another process's list call, sent `at` (epoch ms), that showed these services. */
function otherListed(at: number, states: Record<string, ServiceState>): void {
    board.publish(
        at,
        Object.entries(states).map(([id, state]) => ({ id, state }) as Service),
    );
}

const gone = { until: () => false, gone: true, failOn: [], timeoutMs: 60_000, label: "b" };
const stopped = { until: ["stopped" as ServiceState], failOn: [], timeoutMs: 60_000, label: "b" };

describe("a wait that needs only a state", () => {
    it("is answered by another process's list sent just before its poll, without a request", async () => {
        const b = new Process(board);
        b.states.set("b1", "terminating");
        b.states.set("b2", "terminating");
        const poller = new ServicePoller(b, TIMING);
        const w1 = poller.wait("b1", { ...gone, stateOnly: true });
        const w2 = poller.wait("b2", { ...gone, stateOnly: true });
        await jest.advanceTimersByTimeAsync(900);
        otherListed(Date.now(), { b2: "terminating", a1: "running" }); // b1 is gone, b2 not yet
        await jest.advanceTimersByTimeAsync(100);
        await expect(w1).resolves.toBeUndefined();
        expect(b.calls).toEqual([]);
        expect(poller.stats.borrowed).toBe(1);
        // b2 is still terminating in that list: the next poll is b's own (nothing newer was published).
        b.states.delete("b2");
        await jest.advanceTimersByTimeAsync(5000);
        await expect(w2).resolves.toBeUndefined();
        expect(b.calls).toEqual(["/services/b2"]);
    });

    it("keeps what this process saw of the service and takes the state from the other list", async () => {
        const b = new Process(board);
        b.states.set("b1", "stopping");
        b.states.set("b2", "stopping");
        const poller = new ServicePoller(b, TIMING);
        const first = poller.wait("b1", { ...stopped, stateOnly: true });
        void poller.wait("b2", { ...stopped, stateOnly: true }).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(1000); // b's own list: both stopping; the next poll 1.5 s later
        expect(b.calls).toEqual(["/services"]);
        await jest.advanceTimersByTimeAsync(1400);
        otherListed(Date.now(), { b1: "stopped", b2: "stopping" });
        await jest.advanceTimersByTimeAsync(200);
        await expect(first).resolves.toEqual({ id: "b1", name: "n-b1", state: "stopped" });
        expect(b.calls).toEqual(["/services"]);
    });

    it("uses a list another process sent while this one waited for a slot, and gives the slot back", async () => {
        const b = new Process(board);
        b.states.set("b1", "terminating");
        b.grantDelayMs = 3000; // the window is full
        const poller = new ServicePoller(b, TIMING);
        const w = poller.wait("b1", { ...gone, stateOnly: true });
        await jest.advanceTimersByTimeAsync(2000); // the tick (at 1 s) waits for its slot
        otherListed(Date.now(), {});
        await jest.advanceTimersByTimeAsync(2500);
        await expect(w).resolves.toBeUndefined();
        expect(b.calls).toEqual([]);
    });

    it("waits for the answer of a list call another process sent a moment earlier, instead of sending the same", async () => {
        const b = new Process(board);
        b.states.set("b1", "terminating");
        const poller = new ServicePoller(b, TIMING);
        const w = poller.wait("b1", { ...gone, stateOnly: true });
        await jest.advanceTimersByTimeAsync(999);
        const sentAt = Date.now();
        board.announce(sentAt); // another process's list call is on its way
        await jest.advanceTimersByTimeAsync(30); // b's tick (at 1 s) finds it in flight and waits
        expect(b.calls).toEqual([]);
        otherListed(sentAt, {});
        await jest.advanceTimersByTimeAsync(20);
        await expect(w).resolves.toBeUndefined();
        expect(b.calls).toEqual([]);
    });

    it.each([
        ["fails (withdrawn)", (at: number) => board.withdraw(at), 0],
        ["never comes (its process died)", () => undefined, 1980],
    ])("sends its own request when that call %s", async (_what, after, quietMs) => {
        const b = new Process(board);
        b.states.set("b1", "terminating");
        const poller = new ServicePoller(b, TIMING);
        void poller.wait("b1", { ...gone, stateOnly: true }).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(999);
        const at = Date.now();
        board.announce(at);
        await jest.advanceTimersByTimeAsync(5);
        after(at);
        await jest.advanceTimersByTimeAsync(quietMs);
        expect(b.calls).toEqual([]);
        await jest.advanceTimersByTimeAsync(30);
        expect(b.calls).toEqual(["/services/b1"]);
    });

    it("does not use a list sent before the wait began: it cannot show the write the wait follows", async () => {
        const b = new Process(board);
        b.states.set("b1", "stopped");
        otherListed(Date.now() - 1, {}); // sent a millisecond before the DELETE's wait registered
        const poller = new ServicePoller(b, { ...TIMING, minMs: 100 });
        const w = poller.wait("b1", { ...gone, stateOnly: true });
        await jest.advanceTimersByTimeAsync(100);
        expect(b.calls).toEqual(["/services/b1"]);
        b.states.delete("b1");
        await jest.advanceTimersByTimeAsync(1000);
        await expect(w).resolves.toBeUndefined();
    });

    it("does not use a list older than the tick when the slot comes at once", async () => {
        const b = new Process(board);
        b.states.set("b1", "terminating");
        const poller = new ServicePoller(b, TIMING);
        const w = poller.wait("b1", { ...gone, stateOnly: true });
        await jest.advanceTimersByTimeAsync(500);
        otherListed(Date.now(), {}); // half a second before the poll: too old to stand for it
        await jest.advanceTimersByTimeAsync(500);
        expect(b.calls).toEqual(["/services/b1"]);
        b.states.delete("b1");
        await jest.advanceTimersByTimeAsync(3000);
        await expect(w).resolves.toBeUndefined();
    });
});

describe("what the shared states do not answer", () => {
    it("a wait whose caller needs the whole service (a create waiting for running)", async () => {
        const b = new Process(board);
        b.states.set("b1", "running");
        const poller = new ServicePoller(b, TIMING);
        const w = poller.wait("b1", { until: ["running"], timeoutMs: 60_000, label: "b" });
        await jest.advanceTimersByTimeAsync(950);
        otherListed(Date.now(), { b1: "running" });
        await jest.advanceTimersByTimeAsync(50);
        await expect(w).resolves.toEqual({ id: "b1", name: "n-b1", state: "running" });
        expect(b.calls).toEqual(["/services/b1"]);
        expect(poller.stats.borrowed).toBe(0);
    });

    it("a tick that also serves a one-shot read, which returns the whole object", async () => {
        const b = new Process(board);
        b.states.set("b1", "terminating");
        b.states.set("b2", "running");
        const poller = new ServicePoller(b, TIMING);
        const w = poller.wait("b1", { ...gone, stateOnly: true });
        await jest.advanceTimersByTimeAsync(960);
        const read = poller.observe("b2", { timeoutMs: 60_000, label: "b2" });
        otherListed(Date.now(), {});
        b.states.delete("b1");
        await jest.advanceTimersByTimeAsync(100);
        await expect(read).resolves.toEqual({ id: "b2", name: "n-b2", state: "running" });
        expect(b.calls).toEqual(["/services"]);
        await expect(w).resolves.toBeUndefined(); // b's own list, which showed b1 gone too
    });

    it("a process that does not share its budget has no board and polls on its own", async () => {
        const b = new Process(undefined);
        b.states.set("b1", "terminating");
        const poller = new ServicePoller(b, TIMING);
        void poller.wait("b1", { ...gone, stateOnly: true }).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(950);
        otherListed(Date.now(), {});
        await jest.advanceTimersByTimeAsync(50);
        expect(b.calls).toEqual(["/services/b1"]);
    });
});

describe("the board file", () => {
    it("a poller's own list call publishes ids and states only, mode 600, named by hashes", async () => {
        const a = new Process(board);
        a.states.set("a1", "stopping");
        a.states.set("a2", "running");
        const poller = new ServicePoller(a, TIMING);
        void poller.wait("a1", { ...stopped, stateOnly: true }).catch(() => undefined);
        void poller.wait("a2", { ...stopped, stateOnly: true }).catch(() => undefined);
        const sentAt = Date.now() + 1000;
        await jest.advanceTimersByTimeAsync(1000);
        expect(a.calls).toEqual(["/services"]);
        const raw = JSON.parse(fs.readFileSync(board.file, "utf8"));
        expect(raw).toEqual({ v: 1, at: sentAt, s: { a1: "stopping", a2: "running" } }); // announced, then answered
        expect(board.pendingSince(0)).toBeUndefined();
        expect(fs.statSync(board.file).mode & 0o777).toBe(0o600);
        expect(path.basename(board.file)).toMatch(/^0{32}\.states-[0-9a-f]{12}\.json$/);
        expect(board.file).not.toContain("org");
    });

    it("keeps the newest list: an older answer arriving late does not replace it", () => {
        otherListed(2000, { x: "running" });
        otherListed(1000, { x: "stopped" });
        expect(board.sentSince(0)?.states.get("x")).toBe("running");
        expect(board.sentSince(2001)).toBeUndefined();
    });

    it.each([
        ["not JSON", "{"],
        ["another version", JSON.stringify({ v: 2, at: 1, s: {} })],
        ["no time", JSON.stringify({ v: 1, s: {} })],
        ["a state that is not a string", JSON.stringify({ v: 1, at: 1, s: { a: 1 } })],
    ])("reads %s as no answer", (_what, text) => {
        expect(parseBoard(text)).toBeUndefined();
    });

    it("a board that cannot be written costs nothing but the sharing", () => {
        const unwritable = new FileStateBoard(path.join(dir, "missing-dir", "x.json"));
        unwritable.publish(1, [{ id: "a", state: "running" } as Service]);
        expect(unwritable.counters.failures).toBe(1);
        expect(unwritable.sentSince(0)).toBeUndefined();
    });
});
