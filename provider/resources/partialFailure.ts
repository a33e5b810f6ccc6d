/**
 * What `create` and `update` throw when the API accepted the change but what followed failed:
 * {@link ResourceInitError}, which the engine turns into a recorded object instead of a
 * forgotten one, and {@link partialFailure}, which builds it with the serialized provider kept.
 */
import { isCancellation } from "../cancel";
import { fields } from "./records";

/** The engine-reserved key holding the serialized provider. */
export const PROVIDER_KEY = "__provider";

/**
 * Thrown from `create` or `update` when the API accepted the change but what followed failed
 * (typically the wait for a stable state). The dynamic-provider host turns it into a
 * "resource initialization failed" answer, so the engine records the object with `id` and
 * `properties` instead of forgetting it.
 */
export class ResourceInitError extends Error {
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];
    constructor(id: string, properties: Record<string, unknown>, reasons: string[]) {
        super(reasons.join("; "));
        this.name = "ResourceInitError";
        this.id = id;
        this.properties = properties;
        this.reasons = reasons;
    }
}

/**
 * Builds a {@link ResourceInitError} whose properties keep the serialized provider: without
 * it the engine could not run `read` or `delete` on the recorded object later. When the engine
 * cancelled the run (Ctrl-C), the message says that the object is recorded and what to run next.
 */
export function partialFailure(id: string, outs: object, inputs: object, error: unknown): ResourceInitError {
    let message = error instanceof Error ? error.message : String(error);
    if (isCancellation(error)) message += `; ${id} is recorded in the state: run \`pulumi up\` again to finish`;
    return new ResourceInitError(id, { ...fields(outs), [PROVIDER_KEY]: fields(inputs)[PROVIDER_KEY] }, [message]);
}
