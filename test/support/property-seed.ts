/**
 * The seed of the property tests (fast-check): FC_SEED when it is set, so that a run repeats
 * exactly (.ci/run sets one, so that a counterexample drawn by chance cannot turn a landing red);
 * otherwise a new one each run, which keeps searching. A failure prints its seed: `FC_SEED=<seed>
 * npm test` replays it.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== '') {
  if (!/^-?\d+$/.test(seed)) throw new Error(`FC_SEED must be an integer, not ${JSON.stringify(seed)}`);
  fc.configureGlobal({ seed: Number(seed) });
}
