/** The route options of the handlers that may see every request of a server. */
export interface RouteOptions {
  /**
   * The callback route's path, such as `'/api/calls'`. When given, a request to another path is
   * not a callback (passed on, or answered 404). When not, every POST is taken as a callback: mount
   * the handler on its route.
   */
  path?: string;
}

/** Checks `path` once, when the handler is created. */
export function checkPath(path: unknown, owner: string): string | undefined {
  if (path === undefined) return undefined;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`${owner}: path must be a string starting with '/', such as '/api/calls'`);
  return path;
}

/** The path of a request URL (absolute, or the origin-form Node gives), without its query. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}
