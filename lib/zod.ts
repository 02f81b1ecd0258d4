/**
 * The zod the Lambda bundles use: the functional `zod/mini` API of the same package. Its schemas
 * and checks are classic zod's (zod/v4/core), so parsing, issue paths and messages are the same,
 * but it tree-shakes to about a third of classic zod's bytes and cold-start cost (issue 6).
 *
 * Classic zod registers English messages by itself; zod/mini does not, so this module does, once,
 * before any schema parses. Import zod through here in lib/, never `zod` or `zod/mini` directly.
 */

import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
