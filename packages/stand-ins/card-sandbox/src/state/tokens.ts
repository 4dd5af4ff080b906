// Object tokens: a prefix naming the kind and 128 random bits, like the provider's own.
import { randomBytes } from 'node:crypto';

export const newToken = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;
