import type { ClickPipeState, ServiceState } from "../provider/api/types";
import { Clock } from "./clock";
import { notFound } from "./errors";
import { DEFAULTS, DurationName, RuntimeSettings } from "./options";
import type { RealServers } from "./realServers";
import {
    DataFileError,
    emptyData,
    loadData,
    lockDataFile,
    OrganizationTiers,
    Pending,
    PipeRecord,
    saveData,
    ServiceRecord,
    StoreData,
} from "./store";

export interface TransitionEvent {
    time: string;
    kind: "service" | "clickpipe";
    id: string;
    from: string;
    to: string;
}

const MAX_EVENTS = 10000;

/**
 * The emulator's state: objects, the virtual clock and the transition engine. Transitions are lazy:
 * each object carries a list of planned states with their times, applied whenever anything is read,
 * so no timers run and `advance(seconds)` moves everything consistently.
 */
export class Core {
    data: StoreData;
    readonly clock: Clock;
    events: TransitionEvent[] = [];

    private readonly unlock: () => void = () => undefined;
    /** The real servers behind the services, when the emulator runs them (./realServers.ts). */
    realServers?: RealServers;
    /** Id of the emulator's own API key (from its options). */
    primaryKeyId: string = DEFAULTS.keyId;

    constructor(
        readonly settings: RuntimeSettings,
        readonly dataFile?: string,
        private readonly organizationTiers?: OrganizationTiers,
    ) {
        const started = Date.now();
        if (dataFile) {
            const unlock = lockDataFile(dataFile);
            try {
                this.data = loadData(dataFile, started);
            } catch (e) {
                unlock();
                throw e;
            }
            this.unlock = unlock;
        } else this.data = emptyData(started);
        if (organizationTiers) this.data.organization.tiers = organizationTiers;
        this.clock = new Clock(this.data.clockOffsetMs);
    }

    /** Flushes the data file (unless `flush` is false) and releases its lock. */
    close(flush = true): void {
        if (flush) this.persist();
        this.unlock();
    }

    now(): number {
        return this.clock.now();
    }

    durationMs(name: DurationName): number {
        return (this.settings.durations[name] * 1000) / this.settings.speed;
    }

    /** Plans a chain of states: each step is entered after its duration, counted from the previous step. */
    schedule<S extends string>(rec: { pending: Pending<S>[] }, steps: [state: S | "gone", after: DurationName | 0][]): void {
        let at = this.now();
        rec.pending = steps.map(([state, after]) => {
            at += after === 0 ? 0 : this.durationMs(after);
            return { state, at };
        });
    }

    private record(kind: TransitionEvent["kind"], id: string, from: string, to: string, at: number) {
        if (from === to) return;
        this.events.push({ time: new Date(at).toISOString(), kind, id, from, to });
        if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    }

    /** Sets a state now (a command's first transient state, or a forced state), recording the event. */
    enter(...[kind, rec, state]: ["service", ServiceRecord, ServiceState] | ["clickpipe", PipeRecord, ClickPipeState]): void {
        const now = this.now();
        this.record(kind, rec.id, rec.state, state, now);
        if (kind === "clickpipe") rec.state = state;
        else {
            rec.state = state;
            if (state === "running") rec.activeSince = now;
        }
    }

    /** Applies every planned transition that is due, idle timeouts, and removals. */
    settle(): void {
        const now = this.now();
        for (const svc of Object.values(this.data.services)) {
            while (svc.pending.length && svc.pending[0].at <= now) {
                const p = svc.pending.shift()!;
                if (p.state === "gone") {
                    this.record("service", svc.id, svc.state, "terminated", p.at);
                    this.removeService(svc.id);
                    break;
                }
                this.record("service", svc.id, svc.state, p.state, p.at);
                svc.state = p.state;
                if (p.state === "running") svc.activeSince = p.at;
                if (p.state === "stopped") svc.stoppedAt = p.at;
            }
            // Idle is entered purely by time: the emulator runs no queries, so nothing but `awake`/`start`
            // (which reset activeSince) counts as activity. API calls do not, as on the real service.
            if (this.data.services[svc.id] && svc.state === "running" && svc.pending.length === 0 && svc.idleScaling) {
                const idleAt = svc.activeSince + (svc.idleTimeoutMinutes * 60000) / this.settings.speed;
                if (now >= idleAt) {
                    this.record("service", svc.id, svc.state, "idle", idleAt);
                    svc.state = "idle";
                }
            }
        }
        for (const pipe of Object.values(this.data.clickpipes)) {
            while (pipe.pending.length && pipe.pending[0].at <= now) {
                const p = pipe.pending.shift()!;
                if (p.state === "gone") {
                    this.record("clickpipe", pipe.id, pipe.state, "deleted", p.at);
                    delete this.data.clickpipes[pipe.id];
                    break;
                }
                this.record("clickpipe", pipe.id, pipe.state, p.state, p.at);
                pipe.state = p.state;
            }
        }
    }

    private removeService(id: string) {
        delete this.data.services[id];
        delete this.data.queryEndpoints[id];
        for (const p of Object.values(this.data.clickpipes)) if (p.serviceId === id) delete this.data.clickpipes[p.id];
        for (const k of Object.keys(this.data.generic)) if (k.startsWith(`/services/${id}/`)) delete this.data.generic[k];
    }

    service(id: string): ServiceRecord {
        this.settle();
        const svc = this.data.services[id];
        if (!svc) throw notFound(`Service with id ${id} not found`);
        return svc;
    }

    pipe(serviceId: string, pipeId: string): PipeRecord {
        this.service(serviceId);
        const pipe = this.data.clickpipes[pipeId];
        if (!pipe || pipe.serviceId !== serviceId) throw notFound(`ClickPipe with id ${pipeId} not found`);
        return pipe;
    }

    /** Persists after a mutation (synchronously: the answer is sent only once the change is on disk). */
    persist(): void {
        if (!this.dataFile) return;
        this.data.clockOffsetMs = this.clock.offsetMs;
        saveData(this.dataFile, this.data);
    }

    reset(): void {
        this.data = emptyData(Date.now());
        if (this.organizationTiers) this.data.organization.tiers = this.organizationTiers;
        this.clock.offsetMs = 0;
        this.events = [];
        this.persist();
    }
}

export { DataFileError };
