/**
 * The one set of esbuild settings for the Lambda functions. infra/ (NodejsFunction) and the
 * build script both read it, so what is tested locally and what is deployed are bundled alike.
 *
 * Plain data in esbuild's own option names: `esbuild.build({ ...lambdaBundling, entryPoints })`.
 */
export const lambdaBundling = {
  /** ESM, as the sources are; Node.js 22 on Lambda runs `.mjs` handlers natively. */
  format: 'esm',
  platform: 'node',
  /** The Lambda runtime (nodejs22.x). */
  target: 'node22',
  /** Prefer a package's ES module build: it tree-shakes better than its CommonJS one. */
  mainFields: ['module', 'main'],
  /**
   * Some CommonJS dependencies call `require` for Node.js built-ins; an ESM bundle has no
   * `require`, so the banner makes one.
   */
  banner: {
    js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  },
  minify: true,
  /**
   * A map beside each bundle, read only when an error's stack trace is logged
   * (lib/observability/stack-traces.ts), so that it names the TypeScript sources. Node's
   * `--enable-source-maps` is not set: it would read and parse the map at every cold start.
   */
  sourcemap: true,
  /**
   * The map holds where each line came from, not the sources' text: a stack trace needs only the
   * first. Without the text the maps are about a third of the size.
   */
  sourcesContent: false,
  /**
   * Nothing is external, the AWS SDK included: the bundle pins the SDK version that was tested
   * instead of the one the runtime happens to ship, and a bundled, tree-shaken client loads faster.
   */
  external: [],
} as const satisfies {
  readonly format: 'esm';
  readonly platform: 'node';
  readonly target: string;
  readonly mainFields: readonly string[];
  readonly banner: { readonly js: string };
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly sourcesContent: boolean;
  readonly external: readonly string[];
};

export type LambdaBundling = typeof lambdaBundling;
