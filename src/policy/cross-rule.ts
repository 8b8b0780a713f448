import type { Diagnostic } from './diagnostics.js';
import type { PolicyDocument } from './policy-document.js';

/**
 * Rules that the schema cannot express: uniqueness across documents and files, IP syntax,
 * duplicate list entries by meaning. Each rule reads every document (valid or not) and returns
 * its findings; a later format feature adds a rule to CROSS_DOCUMENT_RULES.
 */
export type CrossDocumentRule = (docs: readonly PolicyDocument[]) => Diagnostic[];
