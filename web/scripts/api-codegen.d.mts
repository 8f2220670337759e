// Types for api-codegen.mjs, so the Vitest staleness check can import it from TypeScript.
export declare const SPEC_URL: URL;
export declare const WEB_ROOT: URL;
export declare function readSpec(): Promise<unknown>;
export declare function renderApiFiles(spec: unknown): Promise<Record<string, string>>;
