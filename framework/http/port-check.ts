import { createServer } from "node:net";

/** The one line `npm start` prints when its port is taken. */
export function portInUseMessage(port: number): string {
  return `port ${port} is in use; set PORT`;
}

/** True when `error` is a listen failure because the address is taken. */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE";
}

/**
 * Whether `host:port` can be listened on right now: binds a throw-away server and closes it.
 * Run before boot so a taken port stops `npm start` before any database is opened. Port 0 (any
 * free port) is always available. Other bind errors (EACCES, EADDRNOTAVAIL) reject.
 */
export function portAvailable(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error) => (isAddressInUse(error) ? resolve(false) : reject(error)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
