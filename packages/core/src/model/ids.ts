/**
 * Graph prints one call or operation id in two forms: `57dab8b1-894c-409a-b240-bd8beae78896` in
 * requests and responses, `57DAB8B1894C409AB240BD8BEAE78896` in the same call's notification
 * paths. Records, operations and timers are found by the canonical (dashed, lower-case) form.
 */

const DASHED_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GUID = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

/** A GUID-shaped id in dashed lower case; any other id as it is. */
export function canonicalId(id: string): string {
  // Most ids arrive in the canonical form already: one test, no allocation.
  if (id.length === 36 && DASHED_LOWER.test(id)) return id;
  if (id.length !== 32 && id.length !== 36) return id;
  const m = GUID.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase() : id;
}

/** Whether two ids name the same thing, whichever form each is in. */
export const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && (a === b || canonicalId(a) === canonicalId(b));

// What would change the request path or query.
const UNSAFE = /[/?#%\\]/;
const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
};

/**
 * Why an id cannot go into a request path, or undefined when it can: empty, `.` or `..`, or a
 * character that would leave its path segment (`invite('..')` would post to another resource).
 */
export function unsafePathSegment(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.trim().length === 0) return 'must be a non-empty string';
  if (id === '.' || id === '..') return 'cannot be "." or ".."';
  if (UNSAFE.test(id) || hasControl(id)) return 'cannot contain "/", "?", "#", "%", "\\" or control characters';
  return undefined;
}
