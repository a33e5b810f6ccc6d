/**
 * Deleting a service deletes its ClickPipes with it (the API's behaviour). The pipes this stack
 * manages are gone by then (the engine deletes a service's dependents first), so any pipe still
 * listed belongs to no resource of the stack: made in the console, by another stack, or released
 * from this one. A warning names them before the service goes, at the cost of one
 * `GET /services/{id}/clickpipes` per service delete. The look never fails a delete: an error
 * (an organization without ClickPipes, say) is only logged at debug level.
 */
import type { ApiClient } from "../../api/client";
import { listClickPipes } from "../../api/clickpipes";
import type { ClickPipe } from "../../api/types";
import { debug, warn } from "../../log";

/** Pipes in these states are on their way out and are not reported. */
const LEAVING = ["Deleting", "Deleted"];

/** Warns, naming each ClickPipe of service `id` that deleting the service will remove. */
export async function warnUnmanagedClickPipes(client: ApiClient, resource: string, label: string, id: string): Promise<void> {
    let pipes: ClickPipe[];
    try {
        pipes = (await listClickPipes(client, id)).filter((p) => !LEAVING.includes(String(p.state)));
    } catch (e) {
        debug(`${resource} ${label}: could not list the ClickPipes of service ${id} before deleting it: ${(e as Error).message}`);
        return;
    }
    if (pipes.length === 0) return;
    const names = pipes.map((p) => `ClickPipe "${p.name ?? "?"}" (${p.id ?? "?"})`).join(", ");
    warn(
        `${resource} ${label}: deleting service ${id} also deletes ${pipes.length === 1 ? "its ClickPipe" : `its ${pipes.length} ClickPipes`} ` +
            `that no resource of this stack manages: ${names}. The API removes a service's pipes with it.`,
    );
}
