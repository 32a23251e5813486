// `npm run docs`: the API reference of every package's public entry points, built into docs/api/.
// Entry points come from each package's `exports` map (dist/X.d.ts documented from src/X.ts), so a
// new subpath export or a new package (fastify-adapter) is picked up without editing this file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));

/** The source file behind an `exports` target such as `./dist/testing/index.d.ts`. */
const sourceOf = (pkgDir, target) => join(pkgDir, target.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$|\.js$/, '.ts'));

/** A package's public entry points: `[import specifier, source file]` for every subpath with types. */
function entryPointsOf(pkgDir) {
  const manifest = readJson(join(pkgDir, 'package.json'));
  const subpaths = Object.entries(manifest.exports ?? { '.': manifest.types ?? './dist/index.d.ts' })
    .map(([subpath, target]) => [subpath, typeof target === 'string' ? target : target.types])
    .filter(([, target]) => typeof target === 'string' && target.startsWith('./dist/'));
  return subpaths.map(([subpath, target]) => {
    const file = sourceOf(pkgDir, target);
    // A subpath whose source is missing would drop out of the reference without a word.
    if (!existsSync(join(root, file))) throw new Error(`typedoc: ${manifest.name} exports ${subpath}, but ${file} does not exist`);
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    // The reference names each entry point after its file's `@module` tag, else after its path.
    if (!new RegExp(`^\\s*\\* @module ${specifier.replace(/[/.]/g, '\\$&')}\\s*$`, 'm').test(readFileSync(join(root, file), 'utf8'))) {
      throw new Error(`typedoc: ${file} needs \`@module ${specifier}\` in its first comment, so that the reference names it ${specifier}`);
    }
    return [specifier, file];
  });
}

const packageDirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
  .map((entry) => relative(root, join(root, 'packages', entry.name)));
const entries = packageDirs.flatMap(entryPointsOf);
// TypeDoc checks documentation only in the packages named here (by default, only the root's).
const packageNames = packageDirs.map((dir) => readJson(join(dir, 'package.json')).name);
// One program over every package's sources: `@graph-comms/<pkg>` resolves to src, not dist, so a
// type that one package re-uses from another is the same type, with one page.
const paths = Object.fromEntries(entries.map(([specifier, file]) => [specifier, [`./${file}`]]));

const baseCompilerOptions = readJson('tsconfig.base.json').compilerOptions;

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'graph-comms',
  entryPoints: entries.map(([, file]) => file),
  entryPointStrategy: 'resolve',
  out: join(root, 'docs/api'),
  readme: 'none',
  // No tsconfig: the program is made of the entry points alone, with the packages' compiler options.
  compilerOptions: {
    ...baseCompilerOptions,
    composite: false,
    declaration: false,
    declarationMap: false,
    noEmit: true,
    baseUrl: root,
    paths,
  },
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  treatWarningsAsErrors: true,
  packagesRequiringDocumentation: packageNames,
  // Members of object types written inline on one line (a union's variants, a nested literal) are
  // described by the comment of the declaration or variant that holds them.
  intentionallyNotDocumented: [
    ...[
      ...['type', 'callId', 'operation', 'transfer', 'change', 'joined', 'move', 'replacement', 'call', 'receivedAt', 'running', 'token', 'outcome'].map((name) => `Effect.__type.${name}`),
      'Effect.__type.joined.__type.participant',
      'Effect.__type.joined.__type.operation',
      ...['kind', 'callId', 'operationId', 'changeType', 'data', 'sequenceNumber'].map((name) => `RoutedNotification.__type.${name}`),
      ...['kind', 'callId', 'participantId', 'operationId'].map((name) => `ResourcePath.__type.${name}`),
      ...['joinUrl', 'joinMeetingId', 'passcode'].map((name) => `MeetingToJoin.__type.${name}`),
      'CallbackResponse.body.__type.error',
      'CallbackResponse.body.__type.error.__type.code',
      'CallbackResponse.body.__type.error.__type.message',
      'Participant.removedState.__type.reason',
    ].map((name) => `@graph-comms/core.${name}`),
    '@graph-comms/core/testing.CallStoreHarness.outage.__type.begin',
    '@graph-comms/core/testing.CallStoreHarness.outage.__type.end',
    ...[
      ...['kid', 'use', 'alg'].map((name) => `PublicJwk.__type.${name}`),
      'REDIRECT_TIMEOUT_SECONDS.__type.min',
      'REDIRECT_TIMEOUT_SECONDS.__type.max',
    ].map((name) => `@graph-comms/emulator.${name}`),
  ],
  requiredToBeDocumented: [
    'Enum',
    'Variable',
    'Function',
    'Class',
    'Interface',
    'Property',
    'Method',
    'Accessor',
    'TypeAlias',
  ],
};
