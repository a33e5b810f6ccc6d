/**
 * Finding the pipes a create of this resource made without the engine recording them: the
 * answer of a POST that was lost (`findCreated`), and the creates an interrupted earlier run of
 * the stack left, looked up through the attempts file (`interruptedPipes`, see docs/ownership.md).
 */
import { listClickPipes } from "../../api/clickpipes";
import type { ApiClient } from "../../api/client";
import type { ClickPipe as ApiClickPipe, ClickPipeMutateDestination } from "../../api/types";
import { interruptedAttempts, OWNER_ID } from "../../journal";
import { CREATION_KEY, OWNER_KEY } from "../hidden";
import type { Inputs } from "./args";
import { isObject, kindOf } from "./values";

/** Finds the pipe an uncertain POST may have created: the only one with this name created since the POST started. */
export async function findCreated(client: ApiClient, serviceId: string, name: string, since: number): Promise<ApiClickPipe | undefined> {
    const pipes = await listClickPipes(client, serviceId);
    const matches = pipes.filter((p) => p.name === name && (!p.createdAt || Date.parse(p.createdAt) >= since - 60_000));
    return matches.length === 1 ? matches[0] : undefined;
}

/** The stack's ownership id from the hidden input, when known. */
export function ownerOf(inputs: Inputs): string | undefined {
    const owner = inputs[OWNER_KEY];
    return typeof owner === "string" && OWNER_ID.test(owner) ? owner : undefined;
}

/** How long after its attempt began a pipe can still be that attempt's: the POST is sent within this. */
const ATTEMPT_WINDOW_MS = 15 * 60_000;

/**
 * Pipes interrupted earlier creates of this resource left, found through the attempts file (see
 * `journal.ts`): nothing is looked up unless an earlier run of this stack began a create of this
 * resource and never handed it to the engine. Pipes carry no tags, so an attempt's pipe is the
 * one on the attempt's service with the attempt's name, created from shortly before the attempt
 * began to {@link ATTEMPT_WINDOW_MS} after. The one with this resource's source kind and
 * destination is resumed; any other is deleted; attempts that created nothing are dropped.
 */
export async function interruptedPipes(
    client: ApiClient,
    inputs: Inputs,
): Promise<{
    resume?: { pipe: ApiClickPipe; attempt: string };
    discard: Array<{ pipe: ApiClickPipe; attempt: string; serviceId: string }>;
    nothing: string[];
}> {
    const owner = ownerOf(inputs);
    const resource = inputs[CREATION_KEY];
    if (!owner || typeof resource !== "string") return { discard: [], nothing: [] };
    const attempts = interruptedAttempts(owner, "ClickPipe", resource);
    if (attempts.length === 0) return { discard: [], nothing: [] };
    const destination: ClickPipeMutateDestination = isObject(inputs.destination) ? inputs.destination : {};
    const byService = new Map<string, ApiClickPipe[]>();
    const found: Array<{ pipe: ApiClickPipe; attempt: string; serviceId: string }> = [];
    for (const a of attempts) {
        if (!a.serviceId || !a.name) continue;
        if (!byService.has(a.serviceId)) byService.set(a.serviceId, await listClickPipes(client, a.serviceId));
        const since = Date.parse(a.startedAt);
        const pipes = byService.get(a.serviceId)!.filter((p) => {
            if (p.name !== a.name || found.some((f) => f.pipe.id === p.id)) return false;
            const at = p.createdAt ? Date.parse(p.createdAt) : NaN;
            return Number.isNaN(at) || Number.isNaN(since) || (at >= since - 60_000 && at <= since + ATTEMPT_WINDOW_MS);
        });
        // Two candidates for one attempt cannot be told apart: take neither.
        if (pipes.length === 1) found.push({ pipe: pipes[0], attempt: a.attempt, serviceId: a.serviceId });
    }
    const resume = found.find(
        (f) =>
            f.serviceId === inputs.serviceId &&
            f.pipe.name === inputs.name &&
            kindOf(f.pipe.source) === kindOf(inputs.source) &&
            f.pipe.destination?.database === destination.database &&
            (f.pipe.destination?.table ?? undefined) === (destination.table ?? undefined),
    );
    const seen = new Set(found.map((f) => f.attempt));
    return { resume, discard: found.filter((f) => f !== resume), nothing: attempts.map((a) => a.attempt).filter((a) => !seen.has(a)) };
}
