/**
 * The shapes the service poller works with: what it needs from a client, the options of a
 * wait, one registered waiter, and one observation of a service.
 */
import type { StateBoard } from "../api/sharedStates";
import { Service, ServiceState } from "../api/types";

/** What the poller needs from a client; the real {@link ApiClient} fits, and so do fakes in tests. */
export interface PollingClient {
    readonly orgId: string;
    get<T>(path: string): Promise<T>;
    /** The key's rate limiter, when there is one: the poller holds a reserved slot while it waits. */
    readonly limiter?: { holdReserve(slots?: number): () => void };
    /**
     * True when no write (POST, PATCH, PUT, DELETE) of this client is in flight and none was
     * answered after `at` (epoch ms): a read sent at `at` already reflects every write this
     * process made.
     */
    writesSettledBy?(at: number): boolean;
    /**
     * The states other processes of this machine saw in their list calls, while they share the
     * key's budget (../api/sharedStates): waits that need only a state use them instead of a request.
     */
    readonly stateBoard?: StateBoard;
}

/** Options of {@link waitForService}. */
export interface WaitForServiceOptions {
    /** States to stop at, or a predicate on the service. */
    until: ServiceState[] | ((svc: Service) => boolean);
    /** States that end the wait with an error. @default ["failed", "degraded"], or none when waiting for `gone` */
    failOn?: ServiceState[];
    /** Give up after this long. */
    timeoutMs: number;
    /** The resource's name as the user knows it, e.g. `dev`. */
    label: string;
    /** Wait until the service no longer exists (404, or missing from the list) instead. */
    gone?: boolean;
    /** Words for the target in messages (default: the `until` states joined by "or"). */
    targetDescription?: string;
    /**
     * How messages name the object, for waits on behalf of another resource (e.g. a ServiceScaling
     * waiting for its service). @default `service "<label>" (<serviceId>)`
     */
    subject?: string;
    /** Prefix of progress lines. @default `clickhouse:Service <label>` */
    progressLabel?: string;
    /**
     * The condition and the caller use the service's state only (a delete's waits for stopped and
     * for gone): a list call another process of this machine sent after this wait began may
     * answer it, with an object that carries the id and that state over the last one this
     * process saw. @default false
     */
    stateOnly?: boolean;
}

export interface ServiceWaiter {
    serviceId: string;
    opts: WaitForServiceOptions;
    failOn: ServiceState[];
    start: number;
    deadline: number;
    lastState?: string;
    lastSeen?: Service;
    lastProgressAt: number;
    /** A one-shot observation: resolves with the first answer (undefined when gone). */
    once?: boolean;
    /** A one-shot snapshot of every service (`serviceId` is empty): resolved by {@link resolveList}. */
    wantsList?: boolean;
    resolveList?(list: Service[]): void;
    /** This waiter's own polling interval (grows while its state does not change). */
    intervalMs: number;
    /** When this waiter wants the next observation. */
    dueAt: number;
    /** Not observed yet (its first poll is the newcomer's). */
    fresh: boolean;
    /** The first state observed: with the target, what kind of transition this wait is. */
    firstState?: string;
    /** When an observation last showed it not done yet. */
    lastNotDoneAt?: number;
    /** Stops listening for the engine's cancellation. */
    offCancel?: () => void;
    resolve(svc: Service | undefined): void;
    reject(e: Error): void;
}

export type Observation = { kind: "seen"; svc: Service } | { kind: "gone" };
