// How money crosses the Temporal and JSON borders: integer minor units as a decimal string ("1250" cents), read with
// the money package's parseMinorUnits into a Money of the named asset and written with formatMinor. Every flow's
// schema uses these, so no activity or workflow turns a string into a bigint by hand; outside a schema, code calls the
// money package itself (`parseMinorUnits`, `formatMinor`). Histories recorded before
// these schemas carry the same strings, so they decode unchanged.
import {
  formatMinor,
  moneyFromMinor,
  parseMinorUnits,
  type Asset,
  type Money,
  type ParseOptions,
} from '@cardgate/money';
import { z } from 'zod';

/** A wire amount: a decimal string of integer minor units, parsed to Money of `asset`. */
export function minorUnits(asset: Asset, options: ParseOptions = {}) {
  return z.string().transform((text, context): Money => {
    try {
      return parseMinorUnits(text, asset, options);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: error instanceof Error ? error.message : 'invalid amount',
      });
      return z.NEVER;
    }
  });
}

/** The wire form of bigint minor units of a known asset, for code that computes in minor units of one asset. */
export function minorTextOf(minor: bigint, asset: Asset): string {
  return formatMinor(moneyFromMinor(minor, asset));
}
