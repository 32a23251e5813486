/** A command the tests need and the Debian package that provides it. */
export interface Tool {
  readonly command: string;
  readonly aptPackage: string;
  /** A package that already brings this command when it is installed too. */
  readonly providedWith?: string;
}

/** What the script does. */
export type Action =
  | { kind: 'none' }
  | { kind: 'install'; packages: string[]; command: string; message: string }
  | { kind: 'stop'; packages: string[]; command: string; message: string };

/** The commands checked: `redis-server`, `redis-cli`, `chromium`. */
export declare const TOOLS: readonly Tool[];
/** The Debian packages that provide the missing commands. */
export declare function aptPackagesFor(missing: readonly string[]): string[];
/** The apt-get command line that installs `packages`. */
export declare function installCommand(packages: readonly string[], options: { root: boolean }): string;
/** The decision: from what is missing and whether this process may install, what to do. Throws TypeError on an unknown command. */
export declare function decide(input: { missing: readonly string[]; canInstall: boolean; root: boolean }): Action;
