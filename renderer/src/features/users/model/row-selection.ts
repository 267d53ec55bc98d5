type Listener = () => void;

/**
 * Which users the table has selected: a set of user ids, plus the anchor that Shift ranges
 * start from. PassDesk keeps this itself instead of using AG Grid's row selection, which
 * walks every row node on each change (on 100,000 users, about 200 ms per Select All and
 * again per keystroke of the search, for the header checkbox). Here a change costs one set
 * operation per user it touches, and the grid repaints only the rows on screen.
 *
 * Ids stay selected while a search hides them, as in the seed ("Unselect N items" counts them).
 */
export class RowSelection {
  #ids = new Set<string>();
  readonly #listeners = new Set<Listener>();
  #anchor: string | null = null;
  #version = 0;

  get size(): number {
    return this.#ids.size;
  }

  /** A number that changes with every change (the snapshot for `useSyncExternalStore`). */
  get version(): number {
    return this.#version;
  }

  /** Where the next Shift range starts: the last user clicked or toggled on its own. */
  get anchor(): string | null {
    return this.#anchor;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** The selected ids, in the order they were selected. */
  ids(): IterableIterator<string> {
    return this.#ids.values();
  }

  /** Selects just this user (a plain click); it becomes the anchor. */
  only(id: string): void {
    this.#ids.clear();
    this.#ids.add(id);
    this.#anchor = id;
    this.#changed();
  }

  /** Flips one user (Ctrl/Cmd-click, its checkbox, Space); it becomes the anchor. */
  toggle(id: string): void {
    if (!this.#ids.delete(id)) this.#ids.add(id);
    this.#anchor = id;
    this.#changed();
  }

  /** Adds these users (Select All within those shown, a Shift range added to the selection). */
  add(ids: Iterable<string>): void {
    const before = this.#ids.size;
    // Into no selection (Select All, most often): one native pass, not one call per id.
    if (before === 0) this.#ids = new Set(ids);
    else for (const id of ids) this.#ids.add(id);
    if (this.#ids.size !== before) this.#changed();
  }

  /**
   * Makes these users the whole selection (a Shift range keeps its anchor; "Select these users"
   * gives a new one).
   */
  replace(ids: Iterable<string>, anchor: string | null = this.#anchor): void {
    this.#ids.clear();
    for (const id of ids) this.#ids.add(id);
    this.#anchor = anchor;
    this.#changed();
  }

  /** Flips each of these users (Inverse selection within those shown). */
  invert(ids: Iterable<string>): void {
    for (const id of ids) if (!this.#ids.delete(id)) this.#ids.add(id);
    this.#changed();
  }

  /** Keeps only those of these users selected (the list was read again: those gone go). */
  retain(ids: ReadonlySet<string>): void {
    const before = this.#ids.size;
    for (const id of this.#ids) if (!ids.has(id)) this.#ids.delete(id);
    if (this.#anchor !== null && !ids.has(this.#anchor)) this.#anchor = null;
    if (this.#ids.size !== before) this.#changed();
  }

  /** Selects no one (Unselect), including users a search hides. */
  clear(): void {
    if (this.#ids.size === 0 && this.#anchor === null) return;
    this.#ids.clear();
    this.#anchor = null;
    this.#changed();
  }

  /** Calls the listener after every change; returns the function that stops it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    this.#version += 1;
    for (const listener of this.#listeners) listener();
  }
}
