/**
 * `clickhouse:StackOwnership`: the record that makes a stack instance's objects provably its own
 * (see docs/ownership.md). Its create draws a random id and calls no API, so the engine has it in
 * the state before any Service or ClickPipe (which take the id as a hidden input) is created. It
 * never changes. Its delete comes last in a `destroy` (everything that carries the id depends on
 * it): it deletes what interrupted creates of the stack left (attempts still recorded in the
 * attempts file: created by this stack, never recorded by the engine), and warns, naming each,
 * about any other object that still carries the stack's mark (a service kept with
 * `retainOnDelete`, released with `pulumi state delete`, or left by a run interrupted on another
 * machine), with the command that deletes them.
 */
import * as crypto from "crypto";
import { serviceStateOf } from "../api/catalog";
import { deleteClickPipe } from "../api/clickpipes";
import { clearAttempts, finishAttempts, OWNER_ID } from "../journal";
import { info, warn } from "../log";
import { describeLeftover, findMarked, Leftover } from "../ownership";
import { Handlers } from "./handlers";
import { apiClient } from "../api/current";
import { ignoreNotFound } from "../api/notFound";
import { hiddenOf } from "./hidden";
import { withServiceAwake } from "./owningService";

const RESOURCE = "clickhouse:StackOwnership";

/** A new ownership id: 16 hex digits (64 random bits). */
export function newOwnerId(): string {
    return crypto.randomBytes(8).toString("hex");
}

function ownerOf(id: string, props: Record<string, unknown> | undefined): string | undefined {
    const owner = typeof props?.ownerId === "string" ? props.ownerId : id;
    return OWNER_ID.test(owner) ? owner : undefined;
}

/** Deletes one object an interrupted create left; pipes first, so a service delete never races them. */
async function removeLeftover(l: Leftover, organizationId: string | undefined): Promise<void> {
    if (l.kind === "ClickPipe") {
        const client = apiClient();
        const serviceId = l.serviceId as string;
        await ignoreNotFound(() =>
            withServiceAwake(client, RESOURCE, serviceId, 10 * 60_000, RESOURCE, () => deleteClickPipe(client, serviceId, l.id)),
        );
        return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { deleteService } = require("./service") as typeof import("./service");
    await deleteService(l.id, { state: serviceStateOf(l.state), name: l.name, organizationId });
}

async function remove(id: string, props: Record<string, unknown> | undefined): Promise<void> {
    const owner = ownerOf(id, props);
    if (!owner) return;
    const client = apiClient();
    const marked = await findMarked(client, owner, new Set(), { reuseRecentList: true });
    const interrupted = marked.filter((l) => l.interrupted);
    const others = marked.filter((l) => !l.interrupted);
    const pipesFirst = [...interrupted].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "ClickPipe" ? -1 : 1));
    const failures: string[] = [];
    for (const l of pipesFirst) {
        info(
            `${RESOURCE}: deleting ${describeLeftover(l)}, created by an interrupted create of ${l.resource ?? "this stack"} and never recorded in the state.`,
        );
        try {
            await removeLeftover(l, undefined);
            if (l.attempt) finishAttempts(owner, [l.attempt]);
        } catch (e) {
            failures.push(`${describeLeftover(l)}: ${(e as Error).message}`);
        }
    }
    if (others.length > 0) {
        warn(
            `${RESOURCE}: ${others.length === 1 ? "this object still carries" : `these ${others.length} objects still carry`} the stack's ownership mark ` +
                `(o-${owner}) and ${others.length === 1 ? "is" : "are"} not in its state, so ${others.length === 1 ? "it was" : "they were"} left alone: ` +
                `${others.map(describeLeftover).join("; ")}. They were kept with retainOnDelete, released with "pulumi state delete", or left by a run ` +
                `interrupted on another machine. To delete them: npx pulumi-clickhouse-cloud orphans --owner ${owner} --delete`,
        );
    }
    if (failures.length > 0) {
        throw new Error(
            `${RESOURCE}: could not delete what interrupted creates of this stack left: ${failures.join("; ")}. Run "pulumi destroy" again.`,
        );
    }
    // Every attempt of this stack is settled (nothing can resume it once the record is gone).
    clearAttempts(owner);
}

/** The CRUD of `clickhouse:StackOwnership` as the runtime dispatches it. */
export const stackOwnershipHandlers: Handlers = {
    check: async (_olds, news) => ({ inputs: news ?? {} }),
    diff: async () => ({ changes: false }),
    create: async (inputs) => {
        const ownerId = newOwnerId();
        return { id: ownerId, outs: { ...inputs, ownerId } };
    },
    read: async (id, props) => ({ id, props: props ?? {}, inputs: hiddenOf(props ?? {}) }),
    update: async (_id, olds) => ({ outs: olds ?? {} }),
    delete: (id, props) => remove(id, props),
};
