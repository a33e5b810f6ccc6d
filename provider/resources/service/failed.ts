/**
 * What to tell a person whose service is `failed`. The API does not bring a failed service back,
 * so every later `pulumi up` would meet the same state: the error says, once, what ends it.
 */
import { WaitError } from "../../wait";

const MARK = "does not recover by itself";

/** The advice for a failed service, named by its label and id. */
export function failedServiceAdvice(label: string, id: string): string {
    return (
        `A failed service ${MARK}: delete it with "pulumi destroy" (or make a new one with "pulumi up --replace <urn of ${label}>", ` +
        `which deletes ${id} afterwards), or, if its data matters, ask ClickHouse Cloud support from the ClickHouse Cloud console ` +
        `(https://console.clickhouse.cloud).`
    );
}

/** `err` with the advice appended when it ended a wait because the service is `failed`; other errors as they are. */
export function withFailedAdvice(err: unknown, label: string, id: string): unknown {
    if (!(err instanceof WaitError) || err.state !== "failed" || err.message.includes(MARK)) return err;
    return new WaitError(`${err.message}. ${failedServiceAdvice(label, id)}`, {
        lastSeen: err.lastSeen,
        state: err.state,
        elapsedMs: err.elapsedMs,
        reason: err.reason,
        cause: err,
    });
}
