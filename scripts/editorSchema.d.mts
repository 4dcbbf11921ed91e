// Types of editorSchema.mjs for the unit test that imports it.
export declare const VALIDATION_KEYWORDS: string[];
export declare function editorSchema(schema: unknown): unknown;
