// The panel's ANSI SGR parser: colours, attributes, resets, sequences cut between chunks, and the CSS they map to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnsiParser, applySgr, colorCss, parseAnsi, PLAIN, styleCss, type AnsiSegment } from '../../webview/panel/ansi';

const E = '\x1b[';
/** Segments as [text, style] pairs, for readable assertions. */
const plain = (segments: AnsiSegment[]) => segments.map((s) => [s.text, s.style]);

describe('ANSI parser', () => {
  it('leaves text without escapes as one plain segment', () => {
    assert.deepEqual(plain(parseAnsi('hello\nworld')), [['hello\nworld', {}]]);
    assert.deepEqual(parseAnsi(''), []);
  });

  it('colours text with the 8 basic and 8 bright colours, foreground and background', () => {
    assert.deepEqual(plain(parseAnsi(`${E}31mred${E}0m ${E}92mbright green${E}44mon blue`)), [
      ['red', { fg: { index: 1 } }],
      [' ', {}],
      ['bright green', { fg: { index: 10 } }],
      ['on blue', { fg: { index: 10 }, bg: { index: 4 } }],
    ]);
    assert.deepEqual(plain(parseAnsi(`${E}103mx`)), [['x', { bg: { index: 11 } }]]);
  });

  it('reads 256-colour and truecolour, with semicolons or colons', () => {
    assert.deepEqual(plain(parseAnsi(`${E}38;5;208mo${E}48;2;1;2;3mt`)), [
      ['o', { fg: { index: 208 } }],
      ['t', { fg: { index: 208 }, bg: { rgb: [1, 2, 3] } }],
    ]);
    assert.deepEqual(applySgr(PLAIN, '38:2::255:0:10'), { fg: { rgb: [255, 0, 10] } });
    assert.deepEqual(applySgr(PLAIN, '38:2:255:0:10'), { fg: { rgb: [255, 0, 10] } });
    assert.deepEqual(applySgr(PLAIN, '38:5:99'), { fg: { index: 99 } });
  });

  it('keeps parsing after an extended colour, taking exactly its parameters', () => {
    assert.deepEqual(applySgr(PLAIN, '38;2;10;20;30;1;4'), { fg: { rgb: [10, 20, 30] }, bold: true, underline: true });
    assert.deepEqual(applySgr(PLAIN, '38;5;1;3'), { fg: { index: 1 }, italic: true });
  });

  it('sets and clears bold, dim, italic, underline, inverse and strike-through', () => {
    const on = applySgr(PLAIN, '1;2;3;4;7;9');
    assert.deepEqual(on, { bold: true, dim: true, italic: true, underline: true, inverse: true, strike: true });
    const off = applySgr(on, '22;23;24;27;29');
    assert.deepEqual(off, {});
  });

  it('resets everything with 0 and with an empty SGR, and restores default colours with 39 and 49', () => {
    const styled = applySgr(PLAIN, '1;31;42');
    assert.deepEqual(applySgr(styled, '0'), {});
    assert.deepEqual(applySgr(styled, ''), {});
    assert.deepEqual(applySgr(styled, '39;49'), { bold: true });
  });

  it('keeps the style across chunks and completes a sequence cut between them', () => {
    const parser = new AnsiParser();
    const first = parser.push(`a${E}3`);
    const second = parser.push('1mb');
    const third = parser.push('c\x1b');
    const fourth = parser.push('[0md');
    assert.deepEqual(plain([...first, ...second, ...third, ...fourth]), [
      ['a', {}], ['b', { fg: { index: 1 } }], ['c', { fg: { index: 1 } }], ['d', {}],
    ]);
  });

  it('clones its state: a copy taken mid-colour and mid-sequence parses on from there, apart from the original', () => {
    const parser = new AnsiParser();
    parser.push(`${E}31mred ${E}1`);
    const copy = parser.clone();
    assert.deepEqual(plain(parser.push('mbold')), [['bold', { fg: { index: 1 }, bold: true }]]);
    assert.deepEqual(plain(copy.push(';4mline')), [['line', { fg: { index: 1 }, bold: true, underline: true }]]);
  });

  it('drops other escape sequences (cursor moves, erase, OSC titles and links) without showing them', () => {
    const text = `a${E}2Kb${E}?25lc\x1b]0;title\x07d\x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\e\x1b(Bf`;
    assert.deepEqual(plain(parseAnsi(text)), [['abcdlinkef', {}]]);
  });

  it('shows the text after an ESC that never completes a sequence, instead of swallowing the stream', () => {
    const parser = new AnsiParser();
    const long = `x\x1b[${'1'.repeat(400)}`;
    const text = plain(parser.push(long)).map(([t]) => t).join('');
    assert.ok(text.startsWith('x[111'), `expected the text after the lone ESC, got ${JSON.stringify(text.slice(0, 10))}`);
  });

  it('gives equal consecutive styles one segment', () => {
    assert.deepEqual(plain(parseAnsi(`${E}31ma${E}31mb${E}1m${E}22mc`)), [['abc', { fg: { index: 1 } }]]);
  });
});

describe('ANSI styles as CSS', () => {
  it('maps the 16 basic colours to the VS Code terminal theme', () => {
    assert.equal(colorCss({ index: 1 }), 'var(--vscode-terminal-ansiRed)');
    assert.equal(colorCss({ index: 0 }), 'var(--vscode-terminal-ansiBlack)');
    assert.equal(colorCss({ index: 12 }), 'var(--vscode-terminal-ansiBrightBlue)');
    assert.equal(colorCss({ index: 15 }), 'var(--vscode-terminal-ansiBrightWhite)');
  });

  it('computes the 6×6×6 cube, the greys and truecolour', () => {
    assert.equal(colorCss({ index: 16 }), 'rgb(0, 0, 0)');
    assert.equal(colorCss({ index: 208 }), 'rgb(255, 135, 0)');
    assert.equal(colorCss({ index: 231 }), 'rgb(255, 255, 255)');
    assert.equal(colorCss({ index: 232 }), 'rgb(8, 8, 8)');
    assert.equal(colorCss({ index: 255 }), 'rgb(238, 238, 238)');
    assert.equal(colorCss({ rgb: [1, 2, 3] }), 'rgb(1, 2, 3)');
  });

  it('swaps colours for inverse, using the editor colours when one is unset', () => {
    assert.deepEqual(styleCss(applySgr(PLAIN, '7;31')), {
      color: 'var(--vscode-editor-background)', background: 'var(--vscode-terminal-ansiRed)', classes: [],
    });
  });

  it('gives attributes as classes', () => {
    assert.deepEqual(styleCss(applySgr(PLAIN, '1;3;4')).classes, ['pd-ansi-bold', 'pd-ansi-italic', 'pd-ansi-underline']);
    assert.deepEqual(styleCss(PLAIN), { classes: [] });
  });
});
