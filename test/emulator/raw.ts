import * as http from "http";

export interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    text: string;
    body: any;
}

/**
 * One HTTP request with the path sent byte for byte (fetch and the URL class resolve `..` and
 * `%2e%2e` before sending, so probes of path handling need the plain http module).
 */
export function rawRequest(
    baseUrl: string,
    method: string,
    rawPath: string,
    headers: Record<string, string> = {},
    body?: string,
): Promise<RawResponse> {
    const base = new URL(baseUrl);
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: base.hostname,
                port: base.port,
                method,
                path: rawPath,
                headers: { ...headers, ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }) },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let parsed: any = text;
                    try {
                        parsed = JSON.parse(text);
                    } catch {
                        /* not JSON */
                    }
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
                });
            },
        );
        req.on("error", reject);
        if (body !== undefined) req.write(body);
        req.end();
    });
}
