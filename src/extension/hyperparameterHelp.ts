/**
 * Each hyperparameter explained as the chapter explains it, for the Model view's tooltips: what it is, what
 * raising or lowering it does, and the value the chapter's program uses. One table, keyed by the model file's
 * path (`training.learningRate`); test/unit/hyperparameter-help.test.ts checks that every field the Model view
 * can show has an entry. Plain text (no vscode), so the unit tests read it directly.
 */

export interface HyperparameterHelp {
  /** What it is, in plain words. */
  what: string;
  /** What a larger value does (for a number), or how to choose (for a choice). */
  raise?: string;
  /** What a smaller value does. */
  lower?: string;
  /** The chapter's own value, and where it appears in its program. */
  chapter?: string;
}

export const HYPERPARAMETER_HELP: Record<string, HyperparameterHelp> = {
  // ---------------------------------------------------------------- data
  'data.kind': {
    what: 'Where the points come from: a generated shape (blobs: round clusters; moons; circles; Playground\'s xor, spiral, gaussian; plane and multi-gaussian for regression) or your own CSV table.',
    raise: 'Blobs are the easy case; moons, circles, xor and spiral need a curved boundary, so a network with hidden layers (a linear model cannot bend).',
    chapter: 'blobs: make_blobs, two clusters of 2-D points.',
  },
  'data.samples': {
    what: 'How many points are generated, before the split into training and test sets.',
    raise: 'More points: a truer picture of the data, less overfitting, slower epochs.',
    lower: 'Fewer points: faster, but a big network can memorise them (overfitting).',
    chapter: '1000 (n_samples=1000).',
  },
  'data.centers': {
    what: 'How many clusters (one per class), or the list of their centre points.',
    raise: 'More centres: more classes, so one output per class and the cross-entropy loss.',
    chapter: '2 (centers=2): a binary classification.',
  },
  'data.features': {
    what: 'How many numbers describe each point: the input layer has one neuron per feature.',
    raise: 'More features: more inputs; the boundary map shows only the first two.',
    chapter: '2 (n_features=2), so the data and the boundary can be drawn in the plane.',
  },
  'data.clusterStd': {
    what: 'How spread out each cluster is (its standard deviation).',
    raise: 'Wider clusters overlap: harder to separate, lower accuracy at best.',
    lower: 'Tighter clusters: easy to separate, even with a straight line.',
    chapter: '2.0 (cluster_std=2.0).',
  },
  'data.noise': {
    what: 'How much random jitter is added to each point of the shape.',
    raise: 'More noise: the classes blur into each other; a big network starts to fit the noise (overfitting).',
    lower: 'Less noise: a clean shape that is easy to learn.',
  },
  'data.factor': {
    what: 'For circles: the inner circle\'s radius as a share of the outer one\'s.',
    raise: 'Closer to 1: the two circles nearly touch, harder to separate.',
    lower: 'Closer to 0: a small inner circle, easy to separate.',
  },
  'data.randomState': {
    what: 'The seed of the random numbers that generate the data: the same seed gives the same points, as in scikit-learn.',
    raise: 'Another seed gives another sample of the same kind of data: a quick check that a result is not luck.',
    chapter: '42 (random_state=42).',
  },
  'data.path': {
    what: 'The CSV file to read, relative to the model file.',
  },
  'data.labelColumn': {
    what: 'The CSV column that holds what the network should predict (the label, y).',
  },
  'data.featureColumns': {
    what: 'The CSV columns used as inputs (the features, X); by default every column but the label.',
  },
  'data.delimiter': {
    what: 'The character between the CSV\'s columns (a comma by default).',
  },
  'data.extraFeatures': {
    what: 'Extra inputs computed from x1 and x2 (x1^2, x2^2, x1*x2, sin), as in TensorFlow Playground.',
    raise: 'With x1^2 and x2^2 even a linear model can draw a circle: feature engineering by hand, which hidden layers otherwise learn.',
  },
  'data.standardize': {
    what: 'Rescale each input to mean 0 and spread 1 (using the training set\'s mean and deviation).',
    raise: 'On: inputs on very different scales stop fighting over one learning rate; the chapter lists unscaled features as bad data.',
  },
  'data.testSize': {
    what: 'The share of the points kept aside as the test set: never trained on, used to measure how well the network does on unseen data.',
    raise: 'A larger test set: a more reliable test accuracy, fewer points to learn from.',
    lower: 'A smaller test set: more training data, a noisier test accuracy.',
    chapter: '0.2 (test_size=0.2): 800 points to train, 200 to test.',
  },
  'data.splitRandomState': {
    what: 'The seed of the shuffle that splits the points into training and test sets.',
    chapter: '42 (random_state=42 in train_test_split).',
  },
  // ---------------------------------------------------------------- the network
  'model.hidden': {
    what: 'The hidden layers: how many, and how many neurons each. Each neuron takes a weighted sum of the previous layer, adds its bias and applies the activation.',
    raise: 'Deeper (more layers) or wider (more neurons): more capacity for complex boundaries, but slower and quicker to overfit a simple dataset.',
    lower: 'Fewer: simpler boundaries; no hidden layer at all is a linear model (a straight boundary).',
    chapter: '[10]: one hidden layer of 10 neurons (hidden_size = 10). The mini-challenge tries deeper ([10, 10]) and wider (20 or 50).',
  },
  'model.activation': {
    what: 'The function each hidden neuron applies to its sum: it brings non-linearity, without which stacked layers are just one linear map.',
    raise: 'relu is the usual choice for hidden layers; sigmoid and tanh saturate, so deep stacks of them get vanishing gradients; leaky-relu and elu avoid dead ReLUs.',
    chapter: 'relu (nn.ReLU()).',
  },
  'model.dropout': {
    what: 'The share of hidden neurons switched off at random in each training step (Dropout), so the network cannot lean on any single one.',
    raise: 'More dropout: stronger regularisation against overfitting, slower and noisier training.',
    lower: '0: no dropout.',
    chapter: 'Not in the program; the troubleshooting section names it as a cure for overfitting.',
  },
  // ---------------------------------------------------------------- training
  'training.loss': {
    what: 'The loss function: one number saying how wrong the predictions are. Training moves the weights to make it smaller.',
    raise: 'bce-with-logits for two classes (sigmoid and binary cross-entropy in one stable step), cross-entropy for more classes (softmax inside), mse for regression.',
    chapter: 'bce-with-logits (nn.BCEWithLogitsLoss()).',
  },
  'training.optimizer': {
    what: 'The rule that turns gradients into weight updates. sgd is plain gradient descent (a step against the slope); adam adapts each weight\'s step size.',
    raise: 'adam usually works out of the box; sgd is the textbook algorithm and more sensitive to the learning rate.',
    chapter: 'adam (optim.Adam).',
  },
  'training.learningRate': {
    what: 'The size of each gradient-descent step down the loss landscape.',
    raise: 'Too high: the steps overshoot the minimum, the loss jumps up and down or blows up (try 10 with sgd).',
    lower: 'Too low: the loss falls very slowly or seems stuck (try 0.00001).',
    chapter: '0.01 (learning_rate = 0.01), a common starting point.',
  },
  'training.epochs': {
    what: 'How many full passes over the training set.',
    raise: 'More epochs: a lower training loss, but past a point the network memorises the training points (watch the test loss rise).',
    lower: 'Fewer epochs: faster, possibly not yet converged.',
    chapter: '1000 (num_epochs = 1000).',
  },
  'training.batchSize': {
    what: 'How many training points each weight update uses. 0 means all of them at once (full batch).',
    raise: 'Larger batches: smoother, steadier steps, fewer updates per epoch.',
    lower: 'Smaller mini-batches: many noisy updates per epoch, which often learn faster per epoch.',
    chapter: '0: the program feeds the whole X_train at every epoch.',
  },
  'training.seed': {
    what: 'The seed of the random initial weights (torch.manual_seed), of dropout and of the mini-batch order.',
    raise: 'Another seed starts the network elsewhere on the loss landscape: a check that a result is not luck.',
    chapter: 'Not set in the program; 0 here, so every run is repeatable.',
  },
  'training.momentum': {
    what: 'For sgd: how much of the previous step carries over into the next, like a ball rolling downhill.',
    raise: 'More momentum: faster through flat stretches and narrow valleys, but it can overshoot.',
    lower: '0: plain gradient descent.',
  },
  'training.nesterov': {
    what: 'For sgd with momentum: look ahead along the momentum before taking the gradient (Nesterov momentum).',
  },
  'training.weightDecay': {
    what: 'L2 regularisation: each step also pulls every weight a little towards 0, so the network prefers small weights and smoother boundaries.',
    raise: 'More: less overfitting, but too much and the network cannot fit the data.',
    lower: '0: no L2.',
    chapter: 'Not in the program; L2 is a cure for overfitting in the troubleshooting section.',
  },
  'training.l1': {
    what: 'L1 regularisation: adds the sum of the weights\' sizes to the loss, pushing unneeded weights to exactly 0.',
    raise: 'More: sparser weights, less overfitting; too much and the network cannot fit the data.',
  },
  'training.beta1': {
    what: 'For adam: how slowly its running average of the gradient (its momentum) forgets.',
    chapter: 'PyTorch\'s default, 0.9.',
  },
  'training.beta2': {
    what: 'For adam: how slowly its running average of the squared gradient (its step scale) forgets.',
    chapter: 'PyTorch\'s default, 0.999.',
  },
  'training.eps': {
    what: 'For adam and rmsprop: a tiny number added before dividing by the gradient\'s size, so a zero gradient does not divide by zero.',
  },
  'training.alpha': {
    what: 'For rmsprop: how slowly its running average of the squared gradient forgets.',
  },
  'training.earlyStopping': {
    what: 'Stop training when the test loss stops improving, and keep the best weights: the chapter\'s cure for training too long.',
    raise: 'On: no need to guess the number of epochs; the run ends near the best test loss.',
  },
  'training.earlyStopping.patience': {
    what: 'How many epochs without a better test loss before training stops.',
    raise: 'More patience: rides out noisy stretches, trains longer.',
    lower: 'Less patience: stops sooner, maybe before the loss had finished falling.',
  },
  'training.earlyStopping.minDelta': {
    what: 'The smallest fall of the test loss that counts as an improvement.',
    raise: 'Larger: tiny improvements no longer keep training going.',
  },
  // ---------------------------------------------------------------- the engine
  backend: {
    what: 'Which engine does the arithmetic: the same network and (within float32 rounding) the same numbers on each; auto takes the fastest here.',
  },
};

/** Help for one path of the model file (`['training', 'learningRate']`), if the table has it. */
export function helpFor(path: readonly string[]): HyperparameterHelp | undefined {
  return HYPERPARAMETER_HELP[path.join('.')];
}

/** The help as Markdown paragraphs, for a tooltip. */
export function helpMarkdown(help: HyperparameterHelp): string {
  const parts = [help.what];
  if (help.raise) parts.push(`${help.lower ? '**Higher:** ' : ''}${help.raise}`);
  if (help.lower) parts.push(`**Lower:** ${help.lower}`);
  if (help.chapter) parts.push(`**The chapter:** ${help.chapter}`);
  return parts.join('\n\n');
}
