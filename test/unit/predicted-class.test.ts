import { strict as assert } from 'assert';
import { predictedClass } from '../../src/core/predictedClass';
import { LOSSES } from '../../src/core/losses';
import { confusionCounts } from '../../src/core/export/confusion';

describe('predictedClass: the one rule for the class of a logit', () => {
  it('one output: class 1 from a logit of 0 up (sigmoid >= 0.5), class 0 below', () => {
    const logits = [-1e-30, 0, -0, 3, -2];
    assert.deepEqual(logits.map((_, i) => predictedClass(logits, 1, i, 5)), [0, 1, 1, 1, 0]);
  });
  it('several outputs: the largest logit, the first on a tie (torch.argmax)', () => {
    // rows [1, 5, 5], [9, -1, 9], [-3, -2, -1], row-major
    const rowMajor = [1, 5, 5, 9, -1, 9, -3, -2, -1];
    assert.deepEqual([0, 1, 2].map((i) => predictedClass(rowMajor, 3, i * 3, 1)), [1, 0, 2]);
    // the same rows output-major (output j of row i at j * n + i)
    const outputMajor = [1, 9, -3, 5, -1, -2, 5, 9, -1];
    assert.deepEqual([0, 1, 2].map((i) => predictedClass(outputMajor, 3, i, 3)), [1, 0, 2]);
  });
  it('accuracy and confusion matrix agree on the same logits', () => {
    const n = 4;
    const rowMajor = new Float32Array([0.2, 0.1, 0, 0, -1, 2, 3, 3]); // 4 rows of 2: classes 0, 0, 1, 0
    const outputMajor = new Float32Array([0.2, 0, -1, 3, 0.1, 0, 2, 3]);
    const y = new Float64Array([0, 1, 1, 0]);
    const correct = LOSSES['cross-entropy'].correct(outputMajor, 2, y, null, n);
    const m = confusionCounts(rowMajor, 2, y, n, 2);
    assert.equal(correct, m[0][0] + m[1][1]);
    assert.deepEqual(m, [[2, 0], [1, 1]]);
  });
});
