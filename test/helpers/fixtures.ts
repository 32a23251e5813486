import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'seed-001');

/** The five examples of Graph's invite page. */
export const EXAMPLES = ['ex1-invite-one', 'ex2-invite-several', 'ex3-replace-p2p', 'ex4-invite-phone', 'ex5-move-participant'] as const;
export type Example = (typeof EXAMPLES)[number];
export type Part = 'request' | 'response' | 'notification-operation' | 'notification-roster';

/** A fresh copy of one seed payload, so tests may change it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are free-form JSON that tests reshape
export function seed(example: Example, part: Part): any {
  return JSON.parse(readFileSync(join(root, `${example}.${part}.json`), 'utf8'));
}

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'graph-docs');

/** The text of one payload of Microsoft's page for an action, exactly as the fixture holds it. */
export const graphDocText = (action: string, file: string): string => readFileSync(join(docs, action, file), 'utf8');

/** A fresh parsed copy of one payload of Microsoft's page for an action. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are free-form JSON that tests reshape
export const graphDoc = (action: string, file: string): any => JSON.parse(graphDocText(action, file));
