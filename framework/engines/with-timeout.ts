/** `work`, or a rejection naming `what` once `seconds` have passed (DATABASE_CONNECTION_TIMEOUT). */
export async function withTimeout<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds}s (DATABASE_CONNECTION_TIMEOUT).`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
