/**
 * A set of symbols for one decision: a handful at most, so a plain array scanned in
 * order beats a Set, and nothing is allocated until the first add (a decision runs on
 * every signal of a backtest).
 */
export class SymbolSet {
  #items: string[] | null = null;

  add(symbol: string): void {
    if (this.#items === null) this.#items = [symbol];
    else if (!this.#items.includes(symbol)) this.#items.push(symbol);
  }

  /** Empty the set, keeping its storage. */
  clear(): void {
    const items = this.#items;
    if (items !== null) while (items.length > 0) items.pop();
  }

  has(symbol: string): boolean {
    return this.#items !== null && this.#items.includes(symbol);
  }
}
