import { ApiError } from "./errors";
import { FaultOptions } from "./options";

const roll = (rate: number) => rate > 0 && Math.random() < rate;

export function latencyMs(f: Required<FaultOptions>): number {
    const [min, max] = f.latencyMs;
    return max > 0 ? min + Math.random() * Math.max(0, max - min) : 0;
}

export const shouldReset = (f: Required<FaultOptions>) => roll(f.resetRate);

/** An injected 500 or 503 answered before the request is handled. */
export function injectedError(f: Required<FaultOptions>): ApiError | undefined {
    if (!roll(f.errorRate)) return undefined;
    return Math.random() < 0.5
        ? new ApiError(500, "INTERNAL_SERVER_ERROR", "An internal server error has occurred (injected by the emulator)")
        : new ApiError(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable (injected by the emulator)");
}

/** An injected 500 answered after the request was handled: the change happened but the client cannot know. */
export function injectedErrorAfter(f: Required<FaultOptions>): ApiError | undefined {
    return roll(f.errorAfterRate)
        ? new ApiError(500, "INTERNAL_SERVER_ERROR", "An internal server error has occurred (injected by the emulator after the change)")
        : undefined;
}
