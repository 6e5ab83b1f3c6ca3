// Where the panel cuts a long stream head into the slices it draws frame by frame.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sliceEnd } from '../../webview/panel/streamHead';

describe('stream head slices', () => {
  it('takes the rest when it fits, else cuts after the last line end within the size', () => {
    assert.equal(sliceEnd('abc\ndef\n', 0, 100), 8);
    assert.equal(sliceEnd('ab\ncd\nef\n', 0, 7), 6);
    assert.equal(sliceEnd('ab\ncd\nef\n', 3, 5), 6, 'from a later start');
  });

  it('cuts a line longer than the size at the size, never between the halves of a surrogate pair', () => {
    assert.equal(sliceEnd('x'.repeat(20), 0, 8), 8);
    const emoji = `abc${'\u{1F600}'}def`; // the pair takes indices 3 and 4
    assert.equal(sliceEnd(emoji, 0, 4), 3);
    assert.equal(sliceEnd(emoji, 0, 5), 5);
  });
});
