import { randomBytes } from 'node:crypto';

const containerIdPattern = /^[0-9a-f]{24}$/;

/** 24 lowercase hex characters: the creation second (4 bytes) then 8 random bytes, so ids sort by time. */
export function newContainerId(now: Date, random: (size: number) => Uint8Array = randomBytes): string {
  const seconds = Math.floor(now.getTime() / 1000);
  const head = (seconds >>> 0).toString(16).padStart(8, '0');
  return head + Buffer.from(random(8)).toString('hex');
}

export function isContainerId(value: unknown): value is string {
  return typeof value === 'string' && containerIdPattern.test(value);
}

export { containerIdPattern };
