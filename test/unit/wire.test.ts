// The shared readers of what a cloud sent: absent, mistyped or meaningless values read as undefined, never as 0 or ''.
import { strict as assert } from 'node:assert';
import { anyText, finite, listOf, record, text } from '../../src/core/transport/wire';

describe('wire readers (core/transport/wire.ts)', () => {
  it('text keeps a string that says something as sent, and reads blank, absent and non-strings as undefined', () => {
    assert.equal(text(' gpu-1 '), ' gpu-1 ');
    for (const v of ['', '   ', undefined, null, 3, {}]) assert.equal(text(v), undefined, `text(${JSON.stringify(v)})`);
    assert.equal(anyText(''), '');
    assert.equal(anyText(1), undefined);
  });

  it('finite reads only finite numbers: NaN, Infinity and numeric strings are not a reading', () => {
    assert.equal(finite(0), 0);
    assert.equal(finite(-2.5), -2.5);
    for (const v of [NaN, Infinity, '3', null, undefined]) assert.equal(finite(v), undefined, `finite(${String(v)})`);
  });

  it('record accepts plain objects only, and listOf keeps the items its reader accepts', () => {
    assert.deepEqual(record({ a: 1 }), { a: 1 });
    for (const v of [null, [], 'x', 1]) assert.equal(record(v), undefined, `record(${JSON.stringify(v)})`);
    assert.deepEqual(listOf([{ id: 'a' }, null, 3, { id: 'b' }], record), [{ id: 'a' }, { id: 'b' }]);
    assert.deepEqual(listOf({ length: 1, 0: 'x' }, text), [], 'an array-like object is not a list');
  });
});
