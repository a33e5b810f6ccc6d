/**
 * Finding what carries a stack's ownership mark, for the two places that clean up after a stack:
 * the delete of its `clickhouse:StackOwnership` record (the end of `pulumi destroy`) and the
 * `pulumi-clickhouse-cloud orphans` command. Services are marked by their creation tag
 * (`….o-<owner>.a-<attempt>`); ClickPipes carry no tags, so a pipe is known only through the
 * attempt recorded before its POST (see `journal.ts`). Nothing here takes an object over.
 */
import type { ApiClient } from "./api/client";
import { listClickPipes } from "./api/clickpipes";
import { unlessNotFound } from "./api/notFound";
import { listServices } from "./api/services";
import type { ClickPipe as ApiClickPipe } from "./api/types";
import { allInterruptedAttempts, Attempt } from "./journal";
import { debug } from "./log";
import { creationMarkOf, isLiveService } from "./resources/service";
import { recentServiceList } from "./wait";

/** How old a list of the poller may be for {@link findMarked} to reuse it. */
const REUSE_MAX_AGE_MS = 5_000;

/** One object a stack left behind. */
export interface Leftover {
    kind: "Service" | "ClickPipe";
    id: string;
    name?: string;
    state?: string;
    /** ClickPipe: its service. */
    serviceId?: string;
    /** The resource that created it (`<project>/<stack>/<name>`), when an attempt records it. */
    resource?: string;
    /** The attempt that created it. */
    attempt?: string;
    /** True when a recorded attempt proves an interrupted create of this stack made it and the engine never recorded it. */
    interrupted: boolean;
    createdAt?: string;
}

/**
 * Services (live) that carry `owner`'s mark, and ClickPipes of the owner's interrupted attempts,
 * except the ids in `known` (what the state holds). One list of services, plus one list of
 * pipes per service an interrupted pipe attempt names.
 */
export async function findMarked(
    client: ApiClient,
    owner: string,
    known: ReadonlySet<string> = new Set(),
    opts: { reuseRecentList?: boolean } = {},
): Promise<Leftover[]> {
    const attempts = allInterruptedAttempts(owner);
    const byAttempt = new Map<string, Attempt>(attempts.map((a) => [a.attempt, a]));
    // Without an open attempt nothing found here is deleted, only named; a list the poller sent
    // after every write of this process was answered (a destroy's last wait) shows the same.
    const reused = opts.reuseRecentList && attempts.length === 0 ? recentServiceList(client, REUSE_MAX_AGE_MS) : undefined;
    if (reused) debug(`ownership o-${owner}: reading the services from the poller's list of the last ${REUSE_MAX_AGE_MS / 1000} s`);
    const services = reused ?? (await listServices(client));
    const out: Leftover[] = [];
    for (const svc of services) {
        const mark = creationMarkOf(svc);
        if (!mark || mark.owner !== owner || !isLiveService(svc) || known.has(svc.id as string)) continue;
        const a = byAttempt.get(mark.attempt);
        out.push({
            kind: "Service",
            id: svc.id as string,
            name: svc.name,
            state: svc.state,
            attempt: mark.attempt,
            resource: a?.resource,
            interrupted: a !== undefined && a.kind === "Service",
            createdAt: svc.createdAt,
        });
    }
    const leftoverServices = new Set(out.map((l) => l.id));
    const pipesOf = new Map<string, ApiClickPipe[]>();
    for (const a of attempts) {
        if (a.kind !== "ClickPipe" || !a.serviceId || !a.name) continue;
        // A pipe on a service that is itself left over goes with that service.
        if (leftoverServices.has(a.serviceId)) continue;
        if (!pipesOf.has(a.serviceId)) {
            pipesOf.set(a.serviceId, (await unlessNotFound(() => listClickPipes(client, a.serviceId as string))) ?? []);
        }
        const since = Date.parse(a.startedAt);
        const candidates = pipesOf.get(a.serviceId)!.filter((p) => {
            if (p.name !== a.name || known.has(p.id as string)) return false;
            const at = p.createdAt ? Date.parse(p.createdAt) : NaN;
            return Number.isNaN(at) || Number.isNaN(since) || (at >= since - 60_000 && at <= since + 15 * 60_000);
        });
        if (candidates.length !== 1) continue;
        const p = candidates[0];
        out.push({
            kind: "ClickPipe",
            id: p.id as string,
            name: p.name,
            state: p.state,
            serviceId: a.serviceId,
            resource: a.resource,
            attempt: a.attempt,
            interrupted: true,
            createdAt: p.createdAt,
        });
    }
    return out;
}

/** `service 7f3c… ("warehouse", running)`: how messages name a leftover. */
export function describeLeftover(l: Leftover): string {
    const what = l.kind === "Service" ? "service" : "ClickPipe";
    const where = l.kind === "ClickPipe" && l.serviceId ? ` on service ${l.serviceId}` : "";
    return `${what} ${l.id} (${[l.name ? JSON.stringify(l.name) : undefined, l.state].filter(Boolean).join(", ")})${where}`;
}
