/** How long a case waits for what must happen soon (an expiry, a message, a failure). */
export const BOUND_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` does with true; rejects naming `what` if it has not after `ms`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = BOUND_MS, everyMs = 20): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= until) throw new Error(`${what}: still not so after ${ms} ms`);
    await sleep(everyMs);
  }
}

/** `promise`, unless it has not settled after `ms`: a store that hangs fails the case instead of stalling it. */
export async function within<T>(what: string, promise: Promise<T>, ms = BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
