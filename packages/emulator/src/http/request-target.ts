import { badRequest } from './errors.js';

/**
 * The path of a request target (origin form `/a/b?q` or absolute form
 * `http://host/a/b`), query left out. A target `new URL` cannot read, or a path
 * with malformed percent-encoding (`%zz`, a cut UTF-8 sequence), is a 400.
 */
export function requestPath(target: string | undefined): string {
  let path: string;
  try {
    path = new URL(target ?? '/', 'http://emulator').pathname;
  } catch {
    throw badRequest('The request target is not a valid URL.');
  }
  try {
    decodeURI(path);
  } catch {
    throw badRequest('The request path has malformed percent-encoding.');
  }
  return path;
}

/** A route's named groups, percent-decoded (a malformed escape is a 400). */
export function decodeParams(groups: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups ?? {})) {
    if (value === undefined) continue;
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw badRequest(`The path segment "${value}" has malformed percent-encoding.`);
    }
  }
  return params;
}
