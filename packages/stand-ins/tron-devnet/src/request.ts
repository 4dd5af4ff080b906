// Reading the node API's requests as java-tron does: a body that is not a JSON object reads as {}, numbers arrive as
// JSON numbers or decimal strings, addresses in hex or base58; error messages in `message` fields are hex-encoded.
import { parseTronAddress, type TronAddress } from '@cardgate/tron';

export async function body(context: {
  req: { json: () => Promise<unknown> };
}): Promise<Record<string, unknown>> {
  try {
    const parsed = await context.req.json();
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A non-negative safe integer, or undefined. */
export function int(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

export function addressParameter(value: unknown): TronAddress | undefined {
  try {
    return typeof value === 'string' ? parseTronAddress(value) : undefined;
  } catch {
    return undefined;
  }
}

export const hexMessage = (message: string): string => Buffer.from(message).toString('hex');
