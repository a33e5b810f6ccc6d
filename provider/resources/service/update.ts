/**
 * Reading and updating a recorded service.
 */
import { getClient } from "../../api/client";
import { findService } from "../../api/services";
import { observeService, waitForService } from "../../wait";
import { partialFailure } from "../partialFailure";
import { compact } from "../records";
import { timeoutFor } from "../timeouts";
import type { Gone } from "../read";
import type { ServiceInputs, ServiceOutputs } from "./args";
import { ConvergeContext, configFor, labelOf, lastSeen, remaining } from "./context";
import { converge } from "./converge";
import { withRemovedDefaults } from "./defaults";
import { withFailedAdvice } from "./failed";
import { IMPORTED_KEY, isImportRead } from "../importId";
import { IMPORTED_INPUT_KEYS, Kept, importedInputsOf, inputsFrom, outputsFrom } from "./outputs";
import { DEFAULT_TIMEOUT_MS, GONE_STATES, RESOURCE, STABLE_STATES } from "./properties";

/** Reads the service through the poller; an empty id when it is gone. */
export async function readService(
    id: string,
    props: ServiceOutputs,
): Promise<{ id: string; props: ServiceOutputs; inputs?: ServiceInputs } | Gone> {
    if (isImportRead(props)) return importService(id);
    const cfg = configFor(props.organizationId);
    const client = getClient(cfg);
    // Through the poller: the reads of a refresh share list calls instead of one GET each.
    const svc = await observeService(client, id, { timeoutMs: DEFAULT_TIMEOUT_MS, label: labelOf(props, id) });
    if (!svc || (svc.state && GONE_STATES.includes(svc.state))) return { id: "" };
    const kept: Kept = { password: props.password, passwordHash: props.passwordHash, doubleSha1PasswordHash: props.doubleSha1PasswordHash };
    const outs = outputsFrom(svc, props, kept, cfg.organizationId);
    const keys = props.__inputKeys;
    return Array.isArray(keys) ? { id, props: outs, inputs: inputsFrom(outs, keys) } : { id, props: outs };
}

/**
 * The read of `pulumi import <id>`: the service as the API reports it, outputs marked imported
 * (the password was never recorded), and the inputs that reproduce it ({@link importedInputsOf}).
 */
async function importService(id: string): Promise<{ id: string; props: ServiceOutputs; inputs: ServiceInputs } | Gone> {
    const cfg = configFor(undefined);
    const svc = await findService(getClient(cfg), id);
    if (!svc || (svc.state && GONE_STATES.includes(svc.state))) return { id: "" };
    const outs = outputsFrom(
        svc,
        { __inputKeys: [...IMPORTED_INPUT_KEYS], [IMPORTED_KEY]: true } as Partial<ServiceOutputs>,
        {},
        cfg.organizationId,
    );
    return { id, props: outs, inputs: importedInputsOf(outs) };
}

/** Brings a recorded service to new arguments; a failure midway records what was applied. */
export async function updateService(id: string, olds: ServiceOutputs, news: ServiceInputs): Promise<{ outs: ServiceOutputs }> {
    const cfg = configFor(news.organizationId ?? olds.organizationId);
    const client = getClient(cfg);
    const label = labelOf(news, id);
    const deadline = Date.now() + timeoutFor(news.timeouts, "update", DEFAULT_TIMEOUT_MS);
    const current = await findService(client, id);
    if (!current)
        throw new Error(
            `${RESOURCE} ${label}: service ${id} no longer exists (404); run "pulumi refresh" to drop it from the state, then "pulumi up" to create it again.`,
        );
    const ctx: ConvergeContext = {
        client,
        id,
        label,
        deadline,
        svc: current,
        secrets: compact({ password: olds.password, passwordHash: olds.passwordHash, doubleSha1PasswordHash: olds.doubleSha1PasswordHash }),
    };
    const kept = () => ({ ...ctx.secrets });
    // The recorded outputs, refreshed with what the API reports now, are the starting point.
    const before = { ...olds, ...outputsFrom(current, olds, {}, cfg.organizationId) };
    try {
        if (!current.state || (!STABLE_STATES.includes(current.state) && current.state !== "stopping")) {
            const stable = await waitForService(client, id, { until: STABLE_STATES, timeoutMs: remaining(deadline), label });
            if (stable) ctx.svc = stable;
        }
        await converge(ctx, before, withRemovedDefaults(olds, news));
    } catch (err) {
        const latest = (await findService(client, id).catch(() => undefined)) ?? lastSeen(err, ctx.svc);
        throw partialFailure(id, outputsFrom(latest, news, kept(), cfg.organizationId), news, withFailedAdvice(err, label, id));
    }
    return { outs: outputsFrom(ctx.svc, news, kept(), cfg.organizationId) };
}
