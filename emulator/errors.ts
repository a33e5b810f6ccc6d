/** An API error answered in the ClickHouse Cloud error envelope `{status, error: "CODE: detail", requestId}`. */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        readonly detail: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(`${code}: ${detail}`);
    }
}

export const badRequest = (detail: string) => new ApiError(400, "BAD_REQUEST", detail);
export const notFound = (detail: string) => new ApiError(404, "NOT_FOUND", detail);
export const conflict = (detail: string) => new ApiError(409, "CONFLICT", detail);
export const failedDependency = (detail: string) => new ApiError(424, "FAILED_DEPENDENCY", detail);

/** Status names used as the error code prefix, as the real API does. */
export const STATUS_CODES: Record<number, string> = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    424: "FAILED_DEPENDENCY",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
};
