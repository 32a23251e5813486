import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** Resolves once `server` listens on a free port of 127.0.0.1, with that port. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Closes `server` and every connection still open (stalled clients included). */
export function shut(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
