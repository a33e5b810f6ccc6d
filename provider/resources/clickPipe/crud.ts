/**
 * Create, read, update and delete of `clickhouse:ClickPipe`: waking an idle service, the calls of
 * the operations module, the waits for a stable state, and partial failures that keep the pipe
 * in the state.
 */
import {
    changeClickPipeState,
    createClickPipe,
    deleteClickPipe,
    findClickPipe,
    getClickPipe,
    patchClickPipe,
    patchClickPipeScaling,
} from "../../api/clickpipes";
import type { ApiClient } from "../../api/client";
import { isApiError } from "../../api/errors";
import type { ClickPipe as ApiClickPipe, ClickPipeState } from "../../api/types";
import { beginAttempt, finishAttempts, newAttemptId } from "../../journal";
import { warn } from "../../log";
import { waitFor } from "../../wait";
import { CREATION_KEY } from "../hidden";
import { partialFailure } from "../partialFailure";
import { compact } from "../records";
import { timeoutFor } from "../timeouts";
import { apiClient } from "../../api/current";
import { ignoreNotFound } from "../../api/notFound";
import { hiddenOf, labelOf } from "../hidden";
import { ensureServiceRunning, withServiceAwake } from "../owningService";
import { GONE } from "../read";
import { IMPORT_ID_FORMATS, IMPORTED_KEY, isImportRead, requireCompoundId } from "../importId";
import type * as pulumi from "@pulumi/pulumi";
import type { ClickPipeDesiredState, Inputs, Outputs } from "./args";
import { clickPipePatchBody, clickPipePostBody } from "./body";
import { diffClickPipe, effectiveState } from "./diff";
import { clickPipeOutputs } from "./outputs";
import { findCreated, interruptedPipes, ownerOf } from "./ownership";
import { DEFAULT_TIMEOUTS_MS, RESOURCE } from "./properties";
import { kindOf } from "./values";

const RUNNING_DONE: ClickPipeState[] = ["Running", "Completed"];
const FAILED: ClickPipeState[] = ["Failed", "InternalError"];

/** Waits for a pipe to reach `target`; `Failed`/`InternalError` end the wait with the pipe's name, id and state. */
async function waitForPipe(
    client: ApiClient,
    serviceId: string,
    pipeId: string,
    name: string,
    target: ClickPipeDesiredState,
    timeoutMs: number,
    label: string,
    postgres = false,
    afterMutation = false,
): Promise<ApiClickPipe> {
    // A Postgres pipe's initial snapshot can take hours: reaching it is far enough.
    const done: ClickPipeState[] = target === "Stopped" ? ["Stopped", "Paused"] : postgres ? [...RUNNING_DONE, "Snapshot"] : RUNNING_DONE;
    return waitFor<ApiClickPipe>({
        label,
        id: pipeId,
        timeoutMs,
        targetDescription: target,
        afterMutation,
        poll: () => getClickPipe(client, serviceId, pipeId),
        done: (p) => !!p.state && done.includes(p.state),
        fail: (p) => (p.state && FAILED.includes(p.state) ? `ClickPipe "${p.name ?? name}" (${pipeId}) is in state ${p.state}` : undefined),
    });
}

/** A pipe's id. */
function idOf(pipe: ApiClickPipe): string {
    return pipe.id as string; // the API answers every pipe with its id (the document marks every field optional)
}

/** Starts or stops a pipe and waits for the result. */
async function setPipeState(
    client: ApiClient,
    serviceId: string,
    pipe: ApiClickPipe,
    desired: ClickPipeDesiredState,
    timeoutMs: number,
    label: string,
    postgres: boolean,
): Promise<ApiClickPipe> {
    const pipeId = idOf(pipe);
    const current = effectiveState(pipe.state);
    let changed = false;
    if (desired === "Stopped" && current !== "Stopped") {
        await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () =>
            changeClickPipeState(client, serviceId, pipeId, "stop"),
        );
        changed = true;
    } else if (desired === "Running" && (pipe.state === "Stopped" || pipe.state === "Failed" || pipe.state === "Paused")) {
        await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () =>
            changeClickPipeState(client, serviceId, pipeId, "start"),
        );
        changed = true;
    }
    return waitForPipe(client, serviceId, pipeId, pipe.name ?? "", desired, timeoutMs, label, postgres, changed);
}

/** Creates the pipe (or resumes the one an interrupted create left), waits for it to run, stops it if asked. */
export async function create(inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
    const client = apiClient();
    const { serviceId, name } = inputs;
    const label = labelOf(RESOURCE, inputs);
    const timeoutMs = timeoutFor(inputs.timeouts, "create", DEFAULT_TIMEOUTS_MS.create);
    const postgres = kindOf(inputs.source) === "postgres";
    const owner = ownerOf(inputs);
    await ensureServiceRunning(client, RESOURCE, serviceId, timeoutMs, label);
    const body = clickPipePostBody(inputs);
    const interrupted = await interruptedPipes(client, inputs);
    if (owner) finishAttempts(owner, interrupted.nothing);
    for (const d of interrupted.discard) {
        warn(
            `${label}: ClickPipe ${d.pipe.id} ("${d.pipe.name}") on service ${d.serviceId} was created by an interrupted earlier run of this resource ` +
                `and never recorded, but its source or destination differs from the program's: deleting it.`,
        );
        await ignoreNotFound(() =>
            withServiceAwake(client, RESOURCE, d.serviceId, timeoutMs, label, () => deleteClickPipe(client, d.serviceId, idOf(d.pipe))),
        );
        if (owner) finishAttempts(owner, [d.attempt]);
    }
    let attempt: string;
    let pipe: ApiClickPipe;
    if (interrupted.resume) {
        attempt = interrupted.resume.attempt;
        pipe = interrupted.resume.pipe;
        warn(
            `${label}: resuming ClickPipe ${pipe.id} on service ${serviceId}, which an interrupted earlier run of this stack created for this resource and never recorded.`,
        );
    } else {
        attempt = newAttemptId();
        const resource = inputs[CREATION_KEY];
        if (owner && typeof resource === "string") beginAttempt(owner, { attempt, kind: "ClickPipe", resource, serviceId, name });
        const since = Date.now();
        try {
            pipe = await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () =>
                createClickPipe(client, serviceId, body, { reconcile: () => findCreated(client, serviceId, name, since) }),
            );
        } catch (e) {
            // A refusal created nothing; a lost answer may have, so its attempt stays for the next run.
            if (owner && isApiError(e) && e.status < 500 && e.status !== 429) finishAttempts(owner, [attempt]);
            throw e;
        }
    }
    const id = idOf(pipe);
    try {
        // Right after the POST the pipe is provisioning: the first look is one interval later.
        let current = await waitForPipe(client, serviceId, id, name, "Running", timeoutMs, label, postgres, !interrupted.resume);
        if (inputs.state === "Stopped") current = await setPipeState(client, serviceId, current, "Stopped", timeoutMs, label, postgres);
        if (owner) finishAttempts(owner, [attempt]);
        return { id, outs: clickPipeOutputs(current, inputs) };
    } catch (e) {
        if (owner) finishAttempts(owner, [attempt]);
        throw partialFailure(id, clickPipeOutputs(pipe, inputs), inputs, e);
    }
}

/** PATCHes what changed in place, then `/scaling` and `/state` as needed, and reads the pipe back. */
export async function update(id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }> {
    const client = apiClient();
    const { serviceId } = news;
    const label = labelOf(RESOURCE, news);
    const timeoutMs = timeoutFor(news.timeouts, "update", DEFAULT_TIMEOUTS_MS.update);
    const postgres = kindOf(news.source) === "postgres";
    const changes = diffClickPipe(id, olds, news);
    let pipe: ApiClickPipe | undefined;
    const patch = clickPipePatchBody(olds, news, changes);
    if (patch)
        pipe = await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () => patchClickPipe(client, serviceId, id, patch));
    try {
        if (changes.scaling) {
            const scaling = compact(news.scaling ?? {});
            pipe = await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () =>
                patchClickPipeScaling(client, serviceId, id, scaling),
            );
        }
        // The diff asks for a state change only when a state is set.
        if (changes.state && news.state) {
            const current = await getClickPipe(client, serviceId, id);
            pipe = await setPipeState(client, serviceId, current, news.state, timeoutMs, label, postgres);
        }
        const final = await getClickPipe(client, serviceId, id);
        return { outs: clickPipeOutputs(final, news) };
    } catch (e) {
        throw partialFailure(id, clickPipeOutputs(pipe ?? { id, state: olds.state }, news), news, e);
    }
}

/** The pipe as the API reports it, and the inputs that describe it; gone when the API answers 404. */
export async function read(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult<Outputs>> {
    if (isImportRead(props)) {
        // `pulumi import <serviceId>:<clickPipeId>`: the credentials are the program's, never read back.
        const { serviceId, objectId } = requireCompoundId(RESOURCE, id, IMPORT_ID_FORMATS.ClickPipe);
        // An import has no recorded outputs: read from what identifies the pipe, marked as imported.
        return read(objectId, { serviceId, [IMPORTED_KEY]: true } as unknown as Outputs);
    }
    const { serviceId } = props;
    const pipe = await findClickPipe(apiClient(), serviceId, id);
    if (!pipe) return GONE as pulumi.dynamic.ReadResult<Outputs>; // the engine reads no props when the id is empty
    const outs = clickPipeOutputs(pipe, props);
    const effective = effectiveState(pipe.state);
    const inputs = compact({
        serviceId,
        name: outs.name,
        description: outs.description,
        source: outs.source,
        destination: outs.destination,
        fieldMappings: outs.fieldMappings,
        scaling: props.scaling === undefined ? undefined : outs.scaling,
        state: effective === "Running" || effective === "Stopped" ? effective : undefined,
        timeouts: props.timeouts,
        ...hiddenOf(props),
    });
    return { id, props: outs, inputs };
}

/** Deletes the pipe and waits until it is gone; a pipe already gone is success. */
export async function remove(id: string, props: Outputs): Promise<void> {
    const client = apiClient();
    const { serviceId } = props;
    const label = labelOf(RESOURCE, props);
    const timeoutMs = timeoutFor(props.timeouts, "delete", DEFAULT_TIMEOUTS_MS.delete);
    let deleting = false;
    await ignoreNotFound(async () => {
        await withServiceAwake(client, RESOURCE, serviceId, timeoutMs, label, () => deleteClickPipe(client, serviceId, id));
        deleting = true;
    });
    // A 404 (the pipe or its service gone): nothing to wait for.
    if (!deleting) return;
    await waitFor<ApiClickPipe | null>({
        label,
        id,
        timeoutMs,
        targetDescription: "deleted",
        // Right after the DELETE the pipe is still there: the first look is one interval later.
        afterMutation: true,
        poll: async () => (await findClickPipe(client, serviceId, id)) ?? null,
        done: (p) => p === null,
    });
}
