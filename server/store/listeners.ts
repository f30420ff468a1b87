/**
 * @module A set of change listeners that never break the write that notifies them.
 */

/** Listeners of one kind of change. */
export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();

  /**
   * Be told of every change.
   * @returns a function that unsubscribes
   */
  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  /** Tell every listener; one that throws is ignored. */
  emit(value: T): void {
    for (const l of this.#set) {
      try {
        l(value);
      } catch {
        // listeners must not break writes
      }
    }
  }
}
