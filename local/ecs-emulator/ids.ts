import { randomBytes } from 'node:crypto';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A task id as ECS makes them: 32 lowercase hex characters. */
export const newTaskId = (): string => hex(16);

export const newNetworkInterfaceId = (): string => `eni-${hex(9).slice(0, 17)}`;

/** A locally administered unicast MAC address, as AWS hands out for ENIs. */
export function newMacAddress(): string {
  const octets = [...randomBytes(6)];
  octets[0] = ((octets[0] ?? 0) | 0x02) & 0xfe;
  return octets.map((octet) => octet.toString(16).padStart(2, '0')).join(':');
}

export const newRuntimeId = (taskId: string): string => `${taskId}-${hex(5)}`;

/** Builds the ARNs of one emulated account and region. */
export class ArnBuilder {
  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  cluster(name: string): string {
    return this.arn(`cluster/${name}`);
  }

  task(clusterName: string, taskId: string): string {
    return this.arn(`task/${clusterName}/${taskId}`);
  }

  taskDefinition(family: string, revision: number): string {
    return this.arn(`task-definition/${family}:${revision}`);
  }

  container(clusterName: string, taskId: string, containerId: string): string {
    return this.arn(`container/${clusterName}/${taskId}/${containerId}`);
  }

  private arn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }
}

/** The resource part of an ARN (`task/c/id` of `arn:aws:ecs:r:a:task/c/id`), or the input if not an ARN. */
export function arnResource(reference: string): string {
  if (!reference.startsWith('arn:')) return reference;
  return reference.split(':').slice(5).join(':');
}

/** Hands out private 10.0.x.y addresses, never the same twice in one emulator. */
export class PrivateIpAllocator {
  private next = 0;

  allocate(): string {
    const index = this.next++;
    const third = 1 + Math.floor(index / 250);
    const fourth = 4 + (index % 250);
    return `10.0.${third % 256}.${fourth}`;
  }
}

/** The DNS name AWS gives a private IPv4 address in a region. */
export function privateDnsName(ip: string, region: string): string {
  const domain = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
  return `ip-${ip.replaceAll('.', '-')}.${domain}`;
}
