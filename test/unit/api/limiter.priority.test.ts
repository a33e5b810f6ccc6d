/**
 * Priorities and the observation reserve of the shared limiter, and the poller's use of them:
 * observations never delay a mutation, the reserved slot lets a waiter see a transition while
 * mutations fill the window, and concurrent one-shot reads share one request.
 */
import { RateLimiter, RequestPriority, withPriority } from "../../../provider/api/limiter";
import { Service } from "../../../provider/api/types";
import { ServicePoller } from "../../../provider/wait";

const tick = () => jest.advanceTimersByTimeAsync(0);

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

describe("RateLimiter priorities", () => {
  it("serves normal before observe before background, whatever the order of arrival", async () => {
    const l = new RateLimiter({ requests: 1, windowMs: 1000 });
    const first = await l.acquire();
    const order: string[] = [];
    const take = (name: string, p: RequestPriority) => void l.acquire(p).then((rel) => (order.push(name), rel()));
    take("background", "background");
    take("observe", "observe");
    take("normal-1", "normal");
    take("normal-2", "normal");
    first();
    for (let i = 0; i < 5; i++) await jest.advanceTimersByTimeAsync(1001);
    expect(order).toEqual(["normal-1", "normal-2", "observe", "background"]);
  });

  it("keeps the reserved slot for observations only, until the reserve is released", async () => {
    const l = new RateLimiter({ requests: 3, windowMs: 1000 });
    const release = l.holdReserve(1);
    const got: string[] = [];
    for (const [name, p] of [["n1", "normal"], ["n2", "normal"], ["n3", "normal"], ["b", "background"]] as const) {
      void l.acquire(p).then((rel) => (got.push(name), rel()));
    }
    await tick();
    expect(got).toEqual(["n1", "n2"]);
    void l.acquire("observe").then((rel) => (got.push("o"), rel()));
    await tick();
    expect(got).toEqual(["n1", "n2", "o"]);
    release();
    await jest.advanceTimersByTimeAsync(1001);
    expect(got).toEqual(["n1", "n2", "o", "n3", "b"]);
  });

  it("withPriority sets the priority of every acquire made inside it", async () => {
    const l = new RateLimiter({ requests: 1, windowMs: 1000 });
    l.holdReserve(1); // capped at half the window: 0 slots of 1
    const order: string[] = [];
    const hold = await l.acquire();
    void withPriority("background", async () => (await l.acquire())()).then(() => order.push("background"));
    void l.acquire().then((rel) => (order.push("normal"), rel()));
    hold();
    for (let i = 0; i < 3; i++) await jest.advanceTimersByTimeAsync(1001);
    expect(order).toEqual(["normal", "background"]);
  });
});

describe("ServicePoller with a limiter", () => {
  class Client {
    readonly orgId = "org";
    readonly calls: string[] = [];
    constructor(readonly limiter: RateLimiter, private readonly states: Record<string, string>) {}
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
