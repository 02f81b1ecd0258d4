/**
 * Requests per second through the local gateway (JWT verification, routing, the payload 2.0
 * event, the real handler) on 127.0.0.1, for a bounded time, with a fixed number of requests in
 * flight over keep-alive connections. The load generator runs in the same process, on the same
 * two cores, so the figures are a floor for the gateway and the handler together.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startLocalGateway } from '../local/gateway';
import { loadHttpRoutes } from '../local/http-routes';
import { generateLocalJwtKeys, LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER } from '../local/jwt-keys';
import { mintToken } from '../local/tokens';
import { formatTable, quantile } from './table';

export interface ThroughputCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** Sets up the I/O behind the handler (replay or real) before the run. */
  readonly prepare: () => void;
}

export interface ThroughputFigure {
  readonly name: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
}

export async function benchGatewayThroughput(
  cases: readonly ThroughputCase[],
  seconds = Number(process.env.BENCH_GATEWAY_SECONDS ?? 3),
  inFlight = Number(process.env.BENCH_GATEWAY_CONCURRENCY ?? 8),
): Promise<ThroughputFigure[]> {
  const keys = await generateLocalJwtKeys();
  const gateway = await startLocalGateway({
    routes: await loadHttpRoutes(),
    keys,
    issuer: LOCAL_JWT_ISSUER,
    audience: LOCAL_JWT_AUDIENCE,
    logger: { info: () => undefined, error: () => undefined },
  });
  const token = await mintToken({
    keys,
    sub: 'alice',
    scope: 'containers:read containers:write',
    ttlSeconds: 3600,
    issuer: LOCAL_JWT_ISSUER,
    audience: LOCAL_JWT_AUDIENCE,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const figures: ThroughputFigure[] = [];
  try {
    for (const testCase of cases) {
      testCase.prepare();
      const send = () => call(agent, gateway.port, testCase.method, testCase.path, token);
      for (let index = 0; index < 50; index += 1) await send();
      const latencies: number[] = [];
      let failures = 0;
      const started = performance.now();
      const deadline = started + seconds * 1000;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (performance.now() < deadline) {
            const sent = performance.now();
            const status = await send();
            latencies.push(performance.now() - sent);
            if (status >= 300) failures += 1;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      figures.push({
        name: testCase.name,
        requests: latencies.length,
        perSecond: latencies.length / elapsed,
        p50Ms: quantile(latencies, 0.5),
        p99Ms: quantile(latencies, 0.99),
        failures,
      });
    }
  } finally {
    agent.destroy();
    await gateway.close();
  }
  return figures;
}

function call(agent: Agent, port: number, method: string, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, method, path, agent, headers: { authorization: `Bearer ${token}` } },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      },
    );
    outgoing.once('error', reject);
    outgoing.end();
  });
}

export function throughputTable(
  figures: readonly ThroughputFigure[],
  inFlight: number,
  seconds: number,
): string {
  return formatTable(
    [
      `through the local gateway (${inFlight} in flight, ${seconds} s)`,
      'requests',
      'req/s',
      'p50 ms',
      'p99 ms',
      'failed',
    ],
    figures.map((figure) => [
      figure.name,
      String(figure.requests),
      figure.perSecond.toFixed(0),
      figure.p50Ms.toFixed(2),
      figure.p99Ms.toFixed(2),
      String(figure.failures),
    ]),
  );
}
