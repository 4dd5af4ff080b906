// The set of deposit addresses the watcher looks for (100,000 and more), kept in memory. It is refreshed before
// every batch with the addresses added since the last refresh, overlapping by a margin of ids, because identity
// values are handed out before commit and a slower transaction can commit a smaller id after a larger one.

export interface DepositAddressRow {
  readonly id: bigint;
  readonly address: string;
  /** The address's 20-byte id in hex, when the source has it. */
  readonly hex20?: string;
}

export interface AddressBookSource {
  /** Rows with id > afterId, in id order, at most `limit`. */
  loadAfter(afterId: bigint, limit: number): Promise<readonly DepositAddressRow[]>;
}

const refreshPageSize = 10_000;
const refreshPagesMax = 1_000;
/** How far below the highest id seen a refresh looks again. */
const commitOrderMarginIds = 1_000n;

export class AddressBook {
  readonly #source: AddressBookSource;
  readonly #addresses = new Set<string>();
  readonly #hex20s = new Set<string>();
  /** Whether every address came with its hex form, so a transfer's hex recipient alone can decide. */
  #allHaveHex = true;
  #highestId = 0n;

  constructor(source: AddressBookSource) {
    this.#source = source;
  }

  get size(): number {
    return this.#addresses.size;
  }

  has(address: string): boolean {
    return this.#addresses.has(address);
  }

  /** Whether a transfer pays one of our addresses: by its hex recipient when it has one, else by base58. */
  pays(transfer: { readonly to: string; readonly toHex20?: string }): boolean {
    if (transfer.toHex20 !== undefined && this.#allHaveHex) return this.#hex20s.has(transfer.toHex20);
    return this.#addresses.has(transfer.to);
  }

  async refresh(): Promise<number> {
    const before = this.#addresses.size;
    let afterId = this.#highestId > commitOrderMarginIds ? this.#highestId - commitOrderMarginIds : 0n;
    for (let page = 0; page < refreshPagesMax; page += 1) {
      const rows = await this.#source.loadAfter(afterId, refreshPageSize);
      for (const row of rows) {
        this.#addresses.add(row.address);
        if (row.hex20 === undefined) this.#allHaveHex = false;
        else this.#hex20s.add(row.hex20);
        if (row.id > this.#highestId) this.#highestId = row.id;
      }
      if (rows.length < refreshPageSize) break;
      afterId = rows[rows.length - 1]!.id;
    }
    return this.#addresses.size - before;
  }
}
