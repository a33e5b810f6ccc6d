/**
 * Request priorities: who goes first when slots are scarce. Waiters are served by priority class,
 * first come first served within a class in a process; across processes a class waits while
 * another process has waiters of a higher class (creates before polls), and within a class
 * whoever asks first gets the slot. A caller sets the priority of every request it makes with
 * {@link withPriority}, so the HTTP client needs no parameter for it.
 */
import { AsyncLocalStorage } from "async_hooks";
import type { ClassIndex } from "./sharedBudget";

/**
 * Who goes first when slots are scarce:
 * - `start`: a mutation that starts a long server-side transition (a service create: minutes of
 *   provisioning). It goes first and may use the reserved slots: holding it back for an
 *   observation would delay its whole transition by up to a window, while the observation it
 *   displaces is delayed at most until the window frees;
 * - `normal` (default): mutations and reads a resource needs now;
 * - `observe`: the poller's state observations; they go when no normal request can, and may use
 *   the reserved slots.
 */
export type RequestPriority = "start" | "normal" | "observe";

/** The class a priority is stored as in the budget state. */
export const CLASS: Record<RequestPriority, ClassIndex> = { start: 0, normal: 1, observe: 2 };

const priorityContext = new AsyncLocalStorage<RequestPriority>();

/** Runs `fn` so that every request it makes (retries included) asks for slots with `priority`. */
export function withPriority<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    return priorityContext.run(priority, fn);
}

/** The priority of requests made from the current async context. */
export function currentPriority(): RequestPriority {
    return priorityContext.getStore() ?? "normal";
}
