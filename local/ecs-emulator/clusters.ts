import { EcsApiError, EcsErrorType } from './errors';
import { type ArnBuilder, arnResource } from './ids';

export const DEFAULT_CLUSTER = 'default';

export interface Cluster {
  readonly name: string;
  readonly arn: string;
}

/** Resolves the `cluster` member of requests (name, ARN or absent) to a cluster that exists. */
export class ClusterDirectory {
  private readonly names: Set<string>;

  constructor(
    private readonly arns: ArnBuilder,
    private readonly autoCreate: boolean,
    initial: readonly string[],
  ) {
    this.names = new Set([DEFAULT_CLUSTER, ...initial]);
  }

  resolve(reference: string | undefined): Cluster {
    const name = clusterName(reference);
    if (!this.names.has(name)) {
      if (!this.autoCreate)
        throw new EcsApiError(EcsErrorType.ClusterNotFoundException, 'Cluster not found.');
      this.names.add(name);
    }
    return { name, arn: this.arns.cluster(name) };
  }
}

function clusterName(reference: string | undefined): string {
  if (reference === undefined || reference === '') return DEFAULT_CLUSTER;
  return arnResource(reference).replace(/^cluster\//, '');
}
