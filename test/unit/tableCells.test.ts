// Table cells read the same in the viewer, the CLI and the agent: special values by name, cut text with "…".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import { SPECIAL_TEXT, cellText, displayCell, exactText } from '../../shared/cellText';
import { SPECIAL } from '../../shared/agentProtocol';

describe('table cells', () => {
  it('shows text as it is, special values by name and cut text with an ellipsis', () => {
    assert.equal(cellText('1e-12'), '1e-12');
    assert.equal(cellText(''), '');
    assert.deepEqual([SPECIAL.none, SPECIAL.nan, SPECIAL.nat, SPECIAL.na, SPECIAL.posinf, SPECIAL.neginf].map((c) => cellText(c)),
      ['None', 'NaN', 'NaT', '<NA>', 'inf', '-inf']);
    assert.equal(cellText(['abc', 1000]), 'abc…');
    assert.deepEqual(displayCell(['abc', 1000]), { text: 'abc', special: false, fullLength: 1000 });
    assert.deepEqual(displayCell(SPECIAL.nan), { text: 'NaN', special: true });
  });

  it('shows a number as it reads and keeps its exact text for hover and copy', () => {
    assert.equal(cellText(['0.3', '0.30000000000000004']), '0.3');
    assert.deepEqual(displayCell(['0.3', '0.30000000000000004']), { text: '0.3', special: false, exact: '0.30000000000000004' });
    assert.equal(exactText(['0.3', '0.30000000000000004']), '0.30000000000000004');
    assert.equal(exactText('1e-12'), '1e-12');
    assert.equal(exactText(SPECIAL.nan), 'NaN');
    assert.equal(exactText(['abc', 1000]), undefined, 'a cut text is asked for whole');
  });

  it('names special values as the agent does when it writes them out (table.cell, exports)', () => {
    const python = JSON.parse(execFileSync('python3', ['-c',
      'import json; from pydock_agent.tables.formatting import SPECIAL_TEXT; print(json.dumps(SPECIAL_TEXT))'],
    { cwd: agentBundle().dir, encoding: 'utf8' }));
    assert.deepEqual(python, Object.fromEntries(Object.entries(SPECIAL_TEXT)));
  });
});
