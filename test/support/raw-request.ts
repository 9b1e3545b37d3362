import http from "node:http";

/** A response to {@link rawRequest}. */
export interface RawResponse {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only view of arbitrary JSON.
  readonly body: any;
  readonly text: string;
}

/**
 * One HTTP request with headers exactly as given — `Host` included, which fetch always sets itself
 * (what a page reaching the server through DNS rebinding sends).
 */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname: url.hostname, port: url.port, method, path, headers, setHost: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: response.statusCode ?? 0, body: parsed, text });
      });
    });
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}
