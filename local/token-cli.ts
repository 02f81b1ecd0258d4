import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN_SCOPE, DEFAULT_TOKEN_TTL_SECONDS, mintToken } from './tokens';

const USAGE = `Usage: npm run token -- --sub <subject> [--scope "<scopes>"] [--ttl <seconds>]

Prints a JWT that the local gateway accepts, signed with the local key pair (.local/jwt-keys.json).

Options:
  --sub <subject>   the caller, the token's sub claim (required)
  --scope <scopes>  space-separated scopes (default: "${DEFAULT_TOKEN_SCOPE}")
  --ttl <seconds>   lifetime in seconds; a negative value gives an expired token (default: ${DEFAULT_TOKEN_TTL_SECONDS})
  -h, --help        show this help

Environment: LOCAL_JWT_ISSUER, LOCAL_JWT_AUDIENCE, LOCAL_JWT_KEYS_FILE
`;

const EXIT_CODE = { ok: 0, failure: 1, usage: 2 } as const;

const OPTIONS = {
  sub: { type: 'string' },
  scope: { type: 'string' },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface TokenRequest {
  readonly sub: string;
  readonly scope: string;
  readonly ttlSeconds: number;
}

/**
 * parseArgs refuses `--ttl -60` as ambiguous (the value looks like an option), so a negative number
 * following an option is glued to it as `--ttl=-60`.
 */
function glueNegativeValues(argv: readonly string[]): string[] {
  const glued: string[] = [];
  for (const arg of argv) {
    const previous = glued.at(-1);
    if (previous?.startsWith('--') && !previous.includes('=') && /^-\d+$/.test(arg)) {
      glued[glued.length - 1] = `${previous}=${arg}`;
    } else {
      glued.push(arg);
    }
  }
  return glued;
}

function parseCommandLine(argv: readonly string[]): TokenRequest | 'help' {
  let values: { sub?: string; scope?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: glueNegativeValues(argv), options: OPTIONS, strict: true }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    return 'help';
  }
  return {
    sub: parseSub(values.sub),
    scope: values.scope ?? DEFAULT_TOKEN_SCOPE,
    ttlSeconds: parseTtl(values.ttl),
  };
}

function parseSub(sub: string | undefined): string {
  if (!sub?.trim()) {
    throw new UsageError('Option --sub <subject> is required');
  }
  return sub;
}

function parseTtl(ttl: string | undefined): number {
  if (ttl === undefined) {
    return DEFAULT_TOKEN_TTL_SECONDS;
  }
  if (!/^-?\d+$/.test(ttl)) {
    throw new UsageError(`Option --ttl expects a whole number of seconds, got '${ttl}'`);
  }
  return Number(ttl);
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const request = parseCommandLine(argv);
    if (request === 'help') {
      process.stdout.write(USAGE);
      return EXIT_CODE.ok;
    }
    process.stdout.write(`${await mintToken(request)}\n`);
    return EXIT_CODE.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`token: ${error.message}\nRun with --help for usage.\n`);
      return EXIT_CODE.usage;
    }
    process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODE.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
