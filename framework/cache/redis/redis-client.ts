import { createClient } from "redis";

function newClient(url: string, timeoutMs: number, maxDelayMs: number) {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: timeoutMs },
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 10), maxDelayMs),
    },
  });
}

/** A node-redis client as this framework creates it. */
export type RedisClient = ReturnType<typeof newClient>;

/** How long Redis calls may take before they count as an outage. */
export interface RedisBounds {
  /** Milliseconds a connection attempt and each command may take. */
  readonly timeoutMs: number;
  /** Longest pause between reconnection attempts while the server is away. */
  readonly maxReconnectDelayMs?: number;
}

/**
 * Creates a client that never hangs its callers: connection attempts and commands are bounded by
 * `timeoutMs`, and the offline queue is disabled so that while the server is away commands fail at
 * once instead of piling up. The client keeps reconnecting in the background (backoff capped at
 * `maxReconnectDelayMs`), so calls succeed again as soon as the server is back. `onError` receives
 * the connection errors the client reports (without a listener node-redis would crash the process).
 */
export function createBoundedRedisClient(url: string, bounds: RedisBounds, onError: (error: Error) => void = () => undefined): RedisClient {
  const client = newClient(url, bounds.timeoutMs, bounds.maxReconnectDelayMs ?? 1_000);
  client.on("error", onError);
  return client;
}

/**
 * Starts connecting and waits at most `timeoutMs` for the first connection. Returns whether the
 * client is ready; when it is not, it keeps trying in the background.
 */
export async function startConnecting(client: RedisClient, timeoutMs: number): Promise<boolean> {
  const connecting = client.connect().then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([connecting, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a client politely when it is connected, and tears it down when it is not; never throws. */
export async function closeRedisClient(client: RedisClient, timeoutMs: number): Promise<void> {
  if (!client.isOpen) return;
  if (client.isReady) {
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      client.close().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (closed) return;
  }
  if (client.isOpen) client.destroy();
}
