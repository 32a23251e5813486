/** The full path of `command` on `env.PATH` (an executable file), or undefined. */
export declare function findOnPath(command: string, env?: NodeJS.ProcessEnv): string | undefined;
/** The needed commands this machine lacks; Chromium also counts as `chromium-browser` or `$CHROMIUM_PATH`. */
export declare function missingTools(env?: NodeJS.ProcessEnv): string[];
/** Whether this process runs as root. */
export declare function isRoot(): boolean;
/** Root with apt-get on PATH. */
export declare function canInstall(env?: NodeJS.ProcessEnv): boolean;
