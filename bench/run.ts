/**
 * `npm run bench`: every figure of issue 6 in one run and one printout.
 * 1. bundles: size and cold load of each function against the floor (bench/bundles.ts);
 * 2. warm handler time per endpoint, I/O replayed from memory (bench/warm-handlers.ts);
 * 3. requests per second through the local gateway (bench/gateway-throughput.ts);
 * 4. the auto-stop sweep against DynamoDB Local (bench/auto-stop.ts, `BENCH_FLEET_SIZES`).
 * Progress goes to stderr, the tables to stdout. Everything listens on 127.0.0.1 only.
 */

import { startDynamoDbLocal } from '../local/dynamodb-local';
import { autoStopHeader, benchAutoStop, fleetSizes } from './auto-stop';
import { benchBundles, bundleTable } from './bundles';
import { loadFunctionsUnderTest } from './functions-under-test';
import { benchGatewayThroughput, throughputTable } from './gateway-throughput';
import { formatTable } from './table';
import { benchWarmHandlers, recordScenarios, warmTable } from './warm-handlers';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const gatewaySeconds = Number(process.env.BENCH_GATEWAY_SECONDS ?? 3);
const gatewayInFlight = Number(process.env.BENCH_GATEWAY_CONCURRENCY ?? 8);
const sizes = fleetSizes();

// Cold loads first, in fresh processes, while this one is still idle.
const bundles = await benchBundles();

console.error('[bench] starting DynamoDB Local and the ECS emulator...');
const dynamoDb = await startDynamoDbLocal();
const sections: string[] = [bundleTable(bundles)];
try {
  const fns = await loadFunctionsUnderTest(dynamoDb.endpoint);
  try {
    console.error('[bench] recording one real invocation per endpoint...');
    const { containerId: id, scenarios } = await recordScenarios(fns);
    console.error('[bench] warm handlers...');
    sections.push(warmTable(await benchWarmHandlers(scenarios, fns)));

    const replayOf = (endpoint: string) => {
      const scenario = scenarios.find((candidate) => candidate.endpoint === endpoint);
      if (!scenario) throw new Error(`no scenario ${endpoint}`);
      return () => fns.io.replay(scenario.recording);
    };
    console.error('[bench] requests per second through the gateway...');
    const throughput = await benchGatewayThroughput(
      [
        {
          name: 'GET /v1/containers, I/O from memory',
          method: 'GET',
          path: '/v1/containers',
          prepare: replayOf('GET /containers (list)'),
        },
        {
          name: `POST /v1/containers/{id}/stop, I/O from memory`,
          method: 'POST',
          path: `/v1/containers/${id}/stop`,
          prepare: replayOf('POST /containers/{id}/stop'),
        },
        {
          name: 'GET /v1/containers, DynamoDB Local',
          method: 'GET',
          path: '/v1/containers',
          prepare: () => fns.io.passThrough(),
        },
      ],
      gatewaySeconds,
      gatewayInFlight,
    );
    sections.push(throughputTable(throughput, gatewayInFlight, gatewaySeconds));
  } finally {
    await fns.close();
  }
  if (sizes.length > 0) {
    sections.push(formatTable(autoStopHeader, await benchAutoStop(dynamoDb.endpoint, sizes)));
  } else {
    sections.push('auto-stop sweep: skipped (BENCH_FLEET_SIZES=none)');
  }
} finally {
  await dynamoDb.stop();
}

console.log(`\n${sections.join('\n\n')}`);
console.log(
  [
    '',
    'Method: bundles built with lib/build/bundling.ts (as CDK deploys them); cold load = median time of',
    "`await import(bundle)` in a fresh node process with the functions' environment, interleaved",
    'with the floor in the same run. Warm = the real handlers in-process, every SDK answer replayed from',
    'memory after one real recording (the SDK stack runs, the socket does not). Gateway = loopback HTTP',
    'with a JWT, load generated in the same process. KiB = 1024 bytes.',
  ].join('\n'),
);
