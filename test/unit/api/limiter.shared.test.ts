/**
 * The rate-limit budget shared through a file by the processes of one machine using one key.
 * Two limiters with the same file stand for two provider processes (each has its own member id,
 * as each process would); fake timers drive both.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RateLimiter } from "../../../provider/api/limiter";
import { RequestPriority } from "../../../provider/api/priority";
import { captureLogs } from "../../../provider/log";
import * as shared from "../../../provider/api/sharedBudget";

type Opts = { shared?: { dir: string; apiUrl: string; keyId: string }; slowStart?: boolean };
type Limit = { requests: number; windowMs: number } | false;
/** Today's constructor takes (limit, baseReserve); the options are the new third argument. */
const make = (limit: Limit, reserve = 0, opts: Opts = {}) =>
    new (RateLimiter as unknown as new (l: Limit, r: number, o: Opts) => RateLimiter)(limit, reserve, opts);
const release = (r: unknown, status?: number) => (r as (s?: number) => void)(status);

const API = "https://api.clickhouse.cloud";
const KEY = "key-id-in-clear-ABC123";
let dir: string;
const sharedOpts = (): Opts => ({ shared: { dir, apiUrl: API, keyId: KEY } });

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "budget-unit-"));
    jest.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
    jest.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
});

/** Grants (time, limiter, class) of a set of limiters, each request answered `rttMs` after its grant. */
function driver(rttMs = 100) {
    const grants: Array<{ at: number; who: string; p: RequestPriority }> = [];
    const take = (l: RateLimiter, who: string, p: RequestPriority = "normal") =>
        l.acquire(p).then((r) => {
            grants.push({ at: Date.now(), who, p });
            setTimeout(() => release(r, 200), rttMs);
        });
    return { grants, take };
}

/** Most grants in any stretch of `windowMs`. */
function busiest(times: number[], windowMs: number): number {
    const t = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < t.length; i++) {
        while (t[i] - t[j] >= windowMs) j++;
        most = Math.max(most, i - j + 1);
    }
    return most;
}

describe("a budget shared by two processes", () => {
    it("never hands out more than the limit in any window to both together", async () => {
        const a = make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        const b = make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        const d = driver();
        const all = [...Array.from({ length: 15 }, () => d.take(a, "a")), ...Array.from({ length: 15 }, () => d.take(b, "b"))];
        await jest.advanceTimersByTimeAsync(45_000);
        await Promise.all(all);
        expect(d.grants).toHaveLength(30);
        expect(
            busiest(
                d.grants.map((g) => g.at),
                10_000,
            ),
        ).toBeLessThanOrEqual(10);
        expect(a.stats().shared && b.stats().shared).toBe(true);
    });

    it("a 429 seen by one pauses the other until the server's reset time", async () => {
        const a = make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        const b = make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        a.noteThrottled(7000);
        let got = false;
        void b.acquire().then((r) => ((got = true), release(r, 200)));
        await jest.advanceTimersByTimeAsync(6900);
        expect(got).toBe(false);
        await jest.advanceTimersByTimeAsync(1200);
        expect(got).toBe(true);
    });

    it("creates waiting in one process go before polls waiting in the other", async () => {
        const a = make({ requests: 2, windowMs: 1000 }, 0, sharedOpts());
        const b = make({ requests: 2, windowMs: 1000 }, 0, sharedOpts());
        const d = driver(10);
        const fill = [d.take(a, "fill"), d.take(a, "fill")];
        await jest.advanceTimersByTimeAsync(0);
        // The window is full: polls queue in a first, creates in b a moment later.
        const polls = [d.take(a, "a", "observe"), d.take(a, "a", "observe")];
        await jest.advanceTimersByTimeAsync(100);
        const creates = [d.take(b, "b", "start"), d.take(b, "b", "start")];
        await jest.advanceTimersByTimeAsync(5000);
        await Promise.all([...fill, ...polls, ...creates]);
        expect(d.grants.map((g) => g.who)).toEqual(["fill", "fill", "b", "b", "a", "a"]);
    });

    it("a process's normal requests leave the slot the other process's poller keeps for its observation", async () => {
        const a = make({ requests: 4, windowMs: 10_000 }, 0, sharedOpts());
        const b = make({ requests: 4, windowMs: 10_000 }, 0, sharedOpts());
        b.holdReserve(1);
        const d = driver(10);
        for (let i = 0; i < 4; i++) void d.take(a, "a");
        await jest.advanceTimersByTimeAsync(100);
        expect(d.grants.map((g) => g.who)).toEqual(["a", "a", "a"]);
        void d.take(b, "b-observe", "observe");
        await jest.advanceTimersByTimeAsync(100);
        expect(d.grants.map((g) => g.who)).toEqual(["a", "a", "a", "b-observe"]);
    });

    it("keeps neither the key id nor the secret in the file or its name; the file stays small", async () => {
        const a = make({ requests: 10, windowMs: 10_000 }, 1, sharedOpts());
        a.holdReserve(1);
        const d = driver();
        for (let i = 0; i < 12; i++) void d.take(a, "a", i % 3 === 0 ? "observe" : "normal");
        await jest.advanceTimersByTimeAsync(500);
        // The state, and this process's token file (what its lock links to).
        const hash = shared.budgetFileKey(API, KEY);
        const names = fs.readdirSync(dir).sort();
        expect(names).toEqual([`${hash}.${process.pid}.${names[0].split(".")[2]}.owner`, `${hash}.json`]);
        for (const name of names) {
            const text = fs.readFileSync(path.join(dir, name), "utf8");
            expect(text).not.toContain(KEY);
            expect(text).not.toContain("ABC123");
            expect(fs.statSync(path.join(dir, name)).mode & 0o077).toBe(0);
        }
        expect(fs.readFileSync(path.join(dir, `${hash}.json`), "utf8").trim().length).toBeLessThan(1500);
        expect(fs.statSync(dir).mode & 0o077).toBe(0);
    });
});

describe("a process that died", () => {
    /** A pid that existed and is gone. */
    const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

    function writeState(state: unknown): void {
        fs.writeFileSync(path.join(dir, `${shared.budgetFileKey(API, KEY)}.json`), JSON.stringify(state));
    }

    it("blocks the others for at most one window: its in-flight requests count one window from when it is found gone", async () => {
        const now = Date.now();
        const pid = deadPid();
        // Ten requests in flight and creates waiting, then the process was killed.
        writeState({
            v: 1,
            g: Array.from({ length: 10 }, (_, i) => ({ m: "dead0001", s: i + 1, at: now - 500, end: 0, c: 0 })),
            m: { dead0001: { pid, host: shared.HOST, seen: now - 500, w: [5, 0, 0], r: 1 } },
            p: 0,
        });
        const a = make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        let grantedAt = 0;
        void a.acquire("observe").then((r) => ((grantedAt = Date.now()), release(r, 200)));
        await jest.advanceTimersByTimeAsync(10_100);
        expect(grantedAt - now).toBeGreaterThan(9000);
        expect(grantedAt - now).toBeLessThanOrEqual(10_100);
    });

    it("leaves a lock behind that is broken at once; a live process's old lock after the stale time", async () => {
        const lock = path.join(dir, `${shared.budgetFileKey(API, KEY)}.lock`);
        fs.writeFileSync(lock, `${deadPid()} ${shared.HOST} cafe00 ${Date.now()}`);
        const a = make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        const r = await a.acquire();
        release(r, 200);
        expect(fs.existsSync(lock)).toBe(false);
        // A lock of a process that is alive (this one, another token) but older than the stale time.
        fs.writeFileSync(lock, `${process.pid} ${shared.HOST} beef00 ${Date.now() - shared.LOCK_STALE_MS - 1}`);
        const r2 = await a.acquire();
        release(r2, 200);
        expect(fs.existsSync(lock)).toBe(false);
    });

    it("leaves its token file behind when killed: the next process to open the budget removes it", () => {
        const hash = shared.budgetFileKey(API, KEY);
        const token = path.join(dir, `${hash}.99999.abcdef.owner`);
        fs.writeFileSync(token, `${deadPid()} ${shared.HOST} abcdef ${Date.now()}`);
        make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        expect(fs.existsSync(token)).toBe(false);
    });

    it("a lock of a live process within the stale time is waited for, then the limiter looks again shortly", async () => {
        const lock = path.join(dir, `${shared.budgetFileKey(API, KEY)}.lock`);
        const a = make({ requests: 10, windowMs: 10_000 }, 0, sharedOpts());
        fs.writeFileSync(lock, `${process.pid} ${shared.HOST} beef01 ${Date.now()}`);
        let got = false;
        void a.acquire().then((r) => ((got = true), release(r, 200)));
        await jest.advanceTimersByTimeAsync(100);
        expect(got).toBe(false);
        fs.unlinkSync(lock);
        await jest.advanceTimersByTimeAsync(100);
        expect(got).toBe(true);
    });

    it("a garbled file or times from another clock are not trusted", async () => {
        const file = path.join(dir, `${shared.budgetFileKey(API, KEY)}.json`);
        fs.writeFileSync(file, "{not json");
        const a = make({ requests: 2, windowMs: 10_000 }, 0, sharedOpts());
        release(await a.acquire(), 200);
        const far = Date.now() + 3600_000;
        writeState({
            v: 1,
            g: [
                { m: "other001", s: 1, at: far, end: far + 10_000, c: 1 },
                { m: "other001", s: 2, at: far, end: far + 10_000, c: 1 },
            ],
            m: {},
            p: far,
        });
        const b = make({ requests: 2, windowMs: 10_000 }, 0, sharedOpts());
        let got = false;
        void b.acquire().then((r) => ((got = true), release(r, 200)));
        await jest.advanceTimersByTimeAsync(10);
        expect(got).toBe(true);
    });
});

describe("when the directory cannot be used", () => {
    it("keeps the budget per process and says so in a debug line", async () => {
        const file = path.join(dir, "not-a-directory");
        fs.writeFileSync(file, "");
        const logs = captureLogs();
        const a = make({ requests: 2, windowMs: 1000 }, 0, { shared: { dir: path.join(file, "budgets"), apiUrl: API, keyId: KEY } });
        const entries = logs.stop();
        expect(a.stats().shared).toBe(false);
        expect(entries.filter((e) => e.level === "debug").map((e) => e.message)).toEqual([
            expect.stringMatching(
                /^clickhouse: rate-limit budget not shared with other processes \(ENOTDIR in .*budgets\); this process keeps its own$/,
            ),
        ]);
        const d = driver(10);
        for (let i = 0; i < 3; i++) void d.take(a, "a");
        await jest.advanceTimersByTimeAsync(100);
        expect(d.grants).toHaveLength(2);
    });

    it("falls back when the file becomes unusable during the run, keeping the requests it already counted", async () => {
        const a = make({ requests: 2, windowMs: 10_000 }, 0, sharedOpts());
        const d = driver(10);
        void d.take(a, "a");
        await jest.advanceTimersByTimeAsync(50);
        // The directory disappears (cleaned up, unmounted): the next update fails.
        fs.rmSync(dir, { recursive: true, force: true });
        fs.writeFileSync(dir, "");
        const logs = captureLogs();
        for (let i = 0; i < 2; i++) void d.take(a, "a");
        await jest.advanceTimersByTimeAsync(50);
        expect(logs.stop().some((e) => /no longer shared/.test(e.message))).toBe(true);
        expect(a.stats().shared).toBe(false);
        // The first request still counts: one more fits in this window, not two.
        expect(d.grants).toHaveLength(2);
        fs.rmSync(dir, { force: true });
        fs.mkdirSync(dir);
    });
});

describe("names and settings", () => {
    it("one file per API URL and key; the URL's trailing slash and /v1 do not matter", () => {
        const k = shared.budgetFileKey;
        expect(k(API, KEY)).toMatch(/^[0-9a-f]{32}$/);
        expect(k(API + "/", KEY)).toBe(k(API, KEY));
        expect(k(API + "/v1", KEY)).toBe(k(API, KEY));
        expect(k("http://127.0.0.1:8787", KEY)).not.toBe(k(API, KEY));
        expect(k(API, KEY + "x")).not.toBe(k(API, KEY));
    });

    it("lives in the user's cache directory", () => {
        expect(shared.defaultBudgetDir({}, "linux", "/home/u")).toBe("/home/u/.cache/pulumi-clickhouse-cloud/rate-limit");
        expect(shared.defaultBudgetDir({ XDG_CACHE_HOME: "/var/cache/u" }, "linux", "/home/u")).toBe(
            "/var/cache/u/pulumi-clickhouse-cloud/rate-limit",
        );
        expect(shared.defaultBudgetDir({ XDG_CACHE_HOME: "relative" }, "linux", "/home/u")).toBe(
            "/home/u/.cache/pulumi-clickhouse-cloud/rate-limit",
        );
        expect(shared.defaultBudgetDir({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Caches/pulumi-clickhouse-cloud/rate-limit");
    });

    it.each([
        [{}, { dir: shared.defaultBudgetDir({}) }],
        [{ CLICKHOUSE_RATE_LIMIT_DIR: "/tmp/budgets" }, { dir: "/tmp/budgets" }],
        [{ CLICKHOUSE_RATE_LIMIT_SHARED: "off" }, false],
        [{ CLICKHOUSE_RATE_LIMIT_SHARED: "0" }, false],
        [{ CLICKHOUSE_RATE_LIMIT_SHARED: "on" }, { dir: shared.defaultBudgetDir({}) }],
    ])("CLICKHOUSE_RATE_LIMIT_SHARED / _DIR %p", (env, out) => {
        expect(shared.sharingFromEnv(env)).toEqual(out);
    });
});
