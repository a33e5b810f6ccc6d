/**
 * A tiny scripted HTTP server for client tests: every request is recorded (server-side arrival
 * time, method, path, headers, body) and answered by the test's handler.
 */
import * as http from "http";
import { AddressInfo } from "net";

export interface Recorded {
    time: number;
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
    body: string;
}

export type Reply =
    | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number; raw?: string }
    /** Close the connection without answering (after reading the request). */
    | { reset: true; delayMs?: number };

export type Handler = (req: Recorded, index: number) => Reply | Promise<Reply>;

export interface FakeServer {
    url: string;
    requests: Recorded[];
    close(): Promise<void>;
}

export const ok = (result?: unknown, status = 200): Reply => ({
    status,
    body: result === undefined ? { status, requestId: "req-ok" } : { status, requestId: "req-ok", result },
});

export const apiError = (status: number, error: string, headers?: Record<string, string>): Reply => ({
    status,
    headers,
    body: { status, error, requestId: `req-${status}` },
});

export async function startFakeServer(handler: Handler): Promise<FakeServer> {
    const requests: Recorded[] = [];
    const server = http.createServer((req, res) => {
        const time = Date.now();
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", async () => {
            const rec: Recorded = {
                time,
                method: req.method ?? "",
                path: req.url ?? "",
                headers: req.headers,
                body: Buffer.concat(chunks).toString("utf8"),
            };
            const index = requests.push(rec) - 1;
            const reply = await handler(rec, index);
            if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
            if ("reset" in reply) {
                req.socket.destroy();
                return;
            }
            if (res.destroyed) return;
            const text = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
            res.writeHead(reply.status, { "Content-Type": reply.raw !== undefined ? "text/plain" : "application/json", ...reply.headers });
            res.end(text);
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
            new Promise<void>((r) => {
                server.closeAllConnections();
                server.close(() => r());
            }),
    };
}
