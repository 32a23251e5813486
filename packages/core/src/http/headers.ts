/** Request headers as any runtime gives them: Node's `IncomingHttpHeaders`, a plain record, or a fetch `Headers`. */
export type HeaderSource = Record<string, string | string[] | undefined> | Headers;

/** Reads one header (`name` in lower case) from either header shape; the first value when repeated. */
export function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name];
  // A plain record from another runtime may spell names in any case; Node's are lower case.
  if (value === undefined) for (const key in record) if (key.toLowerCase() === name) value = record[key];
  return Array.isArray(value) ? value[0] : value;
}
