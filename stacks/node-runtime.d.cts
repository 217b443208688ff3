/** The `engines.node` range of package.json. */
export declare function nodeLine(): string;
/** Why this Node.js cannot run the project, or undefined when it can; `command` is what the user ran. */
export declare function nodeRuntimeProblem(command: string, version?: string, execPath?: string): string | undefined;
