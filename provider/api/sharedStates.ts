/**
 * The service states the last list call of any process of this machine saw, for one API URL, key
 * and organization: a file beside the shared rate-limit budget (./sharedBudget.ts),
 * `<budget hash>.states-<organization hash>.json`.
 *
 * Several stacks destroyed at once with one key each wait for their own services to stop and to
 * go, and each process's poller would spend a list call of the shared window on what the list
 * call another process has just made already shows: `GET /services` answers with every service
 * of the organization. A poller whose waits need only a state (see `stateOnly` in
 * ../wait/types.ts) reads this file before it spends a request, and again once the limiter
 * grants it a slot; a list sent after its waits registered answers them, and the slot is given
 * back unused. A process about to send a list call says so in the file first (`p`, the time it is
 * sent), so one granted a slot a few milliseconds later waits for that answer (up to
 * {@link PENDING_WAIT_MS}) instead of sending the same call.
 *
 * The file holds service ids and states only, and the time the list call was sent: no names,
 * endpoints, tags or anything else of the services, and no key. It is written to a temporary
 * file and renamed (mode 600, in the budget's mode-700 directory), so a reader sees a whole
 * answer or the one before. It is trusted as the budget file is: the processes of this user on
 * this machine, with this key.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Service } from "./types";

/** One list call's answer, as published. */
export interface SharedList {
    /** When the list call was sent (epoch ms): everything answered before then is in it. */
    sentAt: number;
    /** State of every service of the organization the list showed, by id. */
    states: Map<string, string>;
}

/** What the file holds: the last answer, and when the last list call still in flight was sent. */
interface BoardContent extends SharedList {
    pendingAt?: number;
}

/** Where pollers of one organization and key publish and find the states of list calls. */
export interface StateBoard {
    /** Publishes the answer of a list call sent at `sentAt` (ignored when a newer one is there). */
    publish(sentAt: number, list: Service[]): void;
    /** The published list, when it was sent at or after `sentAt`; else undefined. */
    sentSince(sentAt: number): SharedList | undefined;
    /** Says that a list call is being sent now (at `sentAt`), so others granted a slot at the same moment wait for its answer. */
    announce(sentAt: number): void;
    /** The announced list call sent at `sentAt` failed: nobody should wait for it. */
    withdraw(sentAt: number): void;
    /** When a list call announced at or after `sentAt` and not answered yet was sent; else undefined. */
    pendingSince(sentAt: number): number | undefined;
}

/** Published answers sent further ahead of this clock than this are from another clock: ignored. */
const MAX_AHEAD_MS = 60_000;
/** How long a poller holding a slot waits for the answer of a list call another process announced. */
export const PENDING_WAIT_MS = 2000;
/** How often it looks for that answer. */
export const PENDING_POLL_MS = 10;
/** Lists longer than this are not published (the file stays small; a bigger organization polls on its own). */
const MAX_SERVICES = 2000;

/** The file name of the board of one organization, beside the budget file `<budgetKey>.json`. */
export function stateBoardFile(dir: string, budgetKey: string, orgId: string): string {
    const org = crypto.createHash("sha256").update(`pulumi-clickhouse-cloud states\n${orgId}`).digest("hex").slice(0, 12);
    return path.join(dir, `${budgetKey}.states-${org}.json`);
}

/** Parses a board file; anything unexpected is no answer. */
export function parseBoard(text: string): BoardContent | undefined {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (!raw || typeof raw !== "object") return undefined;
    const r = raw as Record<string, unknown>;
    if (r.v !== 1 || typeof r.at !== "number" || !Number.isFinite(r.at) || !r.s || typeof r.s !== "object") return undefined;
    const states = new Map<string, string>();
    for (const [id, state] of Object.entries(r.s as Record<string, unknown>)) {
        if (typeof state !== "string" || id === "") return undefined;
        states.set(id, state);
    }
    const pendingAt = typeof r.p === "number" && Number.isFinite(r.p) ? r.p : undefined;
    return { sentAt: r.at, states, ...(pendingAt !== undefined ? { pendingAt } : {}) };
}

/** The board in a file shared by the processes of this machine. */
export class FileStateBoard implements StateBoard {
    /** Files read and written (tests). */
    readonly counters = { reads: 0, writes: 0, failures: 0 };

    constructor(readonly file: string) {}

    publish(sentAt: number, list: Service[]): void {
        const current = this.read();
        if (list.length > MAX_SERVICES) {
            this.withdraw(sentAt);
            return;
        }
        if (current && current.sentAt >= sentAt && current.sentAt <= Date.now() + MAX_AHEAD_MS) return;
        const s: Record<string, string> = {};
        for (const svc of list) if (typeof svc.id === "string" && svc.id !== "" && typeof svc.state === "string") s[svc.id] = svc.state;
        // Another process's list call sent later is still in flight: keep saying so.
        const p = current?.pendingAt !== undefined && current.pendingAt > sentAt ? current.pendingAt : undefined;
        this.write({ v: 1, at: sentAt, s, ...(p !== undefined ? { p } : {}) });
    }

    announce(sentAt: number): void {
        const current = this.read();
        if (current?.pendingAt !== undefined && current.pendingAt >= sentAt) return;
        this.write({ v: 1, at: current?.sentAt ?? 0, s: Object.fromEntries(current?.states ?? []), p: sentAt });
    }

    withdraw(sentAt: number): void {
        const current = this.read();
        if (!current || current.pendingAt !== sentAt) return;
        this.write({ v: 1, at: current.sentAt, s: Object.fromEntries(current.states) });
    }

    pendingSince(sentAt: number): number | undefined {
        const b = this.read();
        const p = b?.pendingAt;
        if (p === undefined || p < sentAt || p > Date.now() + MAX_AHEAD_MS || (b && b.sentAt >= p)) return undefined;
        return p;
    }

    private write(content: { v: 1; at: number; s: Record<string, string>; p?: number }): void {
        const tmp = `${this.file}.${process.pid}.${crypto.randomBytes(3).toString("hex")}.tmp`;
        try {
            fs.writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
            fs.renameSync(tmp, this.file);
            this.counters.writes++;
        } catch {
            // Sharing is an optimisation: a failed write only means the others poll on their own.
            this.counters.failures++;
            try {
                fs.unlinkSync(tmp);
            } catch {
                // not created
            }
        }
    }

    sentSince(sentAt: number): SharedList | undefined {
        const b = this.read();
        if (!b || b.sentAt < sentAt || b.sentAt > Date.now() + MAX_AHEAD_MS) return undefined;
        return b;
    }

    private read(): BoardContent | undefined {
        let text: string;
        try {
            text = fs.readFileSync(this.file, "utf8");
        } catch {
            return undefined;
        }
        this.counters.reads++;
        return parseBoard(text);
    }
}
