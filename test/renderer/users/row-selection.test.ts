import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowSelection } from '../../../renderer/src/features/users/model/row-selection.ts';

const sorted = (selection: RowSelection) => [...selection.ids()].sort();

describe('RowSelection', () => {
  it('selects one, flips one, and remembers the anchor for Shift ranges', () => {
    const selection = new RowSelection();
    selection.only('b');
    expect(sorted(selection)).toEqual(['b']);
    expect(selection.anchor).toBe('b');
    selection.toggle('d');
    selection.toggle('e');
    expect(sorted(selection)).toEqual(['b', 'd', 'e']);
    selection.toggle('d');
    expect(sorted(selection)).toEqual(['b', 'e']);
    expect(selection.anchor).toBe('d');
    selection.only('a');
    expect(sorted(selection)).toEqual(['a']);
  });

  it('adds, replaces and inverts without moving the anchor; clears everything', () => {
    const selection = new RowSelection();
    selection.only('a');
    selection.add(['a', 'b', 'c']);
    expect(selection.size).toBe(3);
    selection.invert(['c', 'd']);
    expect(sorted(selection)).toEqual(['a', 'b', 'd']);
    selection.replace(['x', 'y']);
    expect(sorted(selection)).toEqual(['x', 'y']);
    expect(selection.anchor).toBe('a');
    selection.replace(['z'], 'z');
    expect(selection.anchor).toBe('z');
    selection.clear();
    expect(selection.size).toBe(0);
    expect(selection.anchor).toBeNull();
  });

  it('tells its subscribers about each change; adding nobody new or clearing nothing is none', () => {
    const selection = new RowSelection();
    let calls = 0;
    const stop = selection.subscribe(() => (calls += 1));
    selection.add(['a']);
    selection.add(['a']);
    selection.clear();
    selection.clear();
    expect(calls).toBe(2);
    expect(selection.version).toBe(2);
    stop();
    selection.add(['b']);
    expect(calls).toBe(2);
    expect(selection.version).toBe(3);
  });

  it('agrees with a plain list of ids on any sequence of operations', () => {
    const id = fc.constantFrom<string>('a', 'b', 'c', 'd', 'e', 'f');
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('only' as const), id }),
      fc.record({ kind: fc.constant('toggle' as const), id }),
      fc.record({ kind: fc.constant('add' as const), ids: fc.array(id) }),
      fc.record({ kind: fc.constant('replace' as const), ids: fc.array(id) }),
      fc.record({ kind: fc.constant('invert' as const), ids: fc.uniqueArray(id) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        const selection = new RowSelection();
        let expected: string[] = [];
        for (const op of operations) {
          switch (op.kind) {
            case 'only':
              selection.only(op.id);
              expected = [op.id];
              break;
            case 'toggle':
              selection.toggle(op.id);
              expected = expected.includes(op.id)
                ? expected.filter((x) => x !== op.id)
                : [...expected, op.id];
              break;
            case 'add':
              selection.add(op.ids);
              expected = [...new Set([...expected, ...op.ids])];
              break;
            case 'replace':
              selection.replace(op.ids);
              expected = [...new Set(op.ids)];
              break;
            case 'invert':
              selection.invert(op.ids);
              expected = [
                ...expected.filter((x) => !op.ids.includes(x)),
                ...op.ids.filter((x) => !expected.includes(x)),
              ];
              break;
            case 'clear':
              selection.clear();
              expected = [];
              break;
          }
          expect(sorted(selection)).toEqual([...expected].sort());
          expect(selection.size).toBe(expected.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
