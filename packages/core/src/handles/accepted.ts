/** Resolves `void` once Graph accepted the request. */
export const accepted = (sent: Promise<unknown>): Promise<void> => sent.then(() => undefined);
