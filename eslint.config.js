import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The function's steps: each folder imports from the layers below it, never from another step. */
const STEPS = ['buildingblock', 'data', 'placement', 'reseller', 'storage-classes', 'unique-name'];

/**
 * An import restriction: relative specifiers that reach one of `folders` (at the root, or below the
 * importing folder with `sibling`), with the message that says where the import belongs instead.
 * `up` is how many "../" it takes to leave the importing file's layer, so that a layer's own
 * folders of the same name (apis/functions, apis/provider) stay reachable.
 */
const notFrom = (folders, why, { sibling = false, up = 1 } = {}) => ({
  regex: `^${sibling ? '\\.{1,2}/(\\.\\./)*' : `(\\.\\./){${up},}`}(${folders.join('|')})/`,
  message: why,
});

const runtime = notFrom(
  ['render', 'scripts', 'test', 'testing'],
  'runtime code never imports scripts, tests or test doubles',
);
const noTest = notFrom(['test'], 'test/ is for tests: shared fakes and launchers belong in testing/');
// A file takes the last matching entry's no-restricted-imports whole, so each entry lists every
// restriction of its files, and the narrower entries come after the broader ones.
const layers = [
  // apis/ is at most one folder deep.
  ...[1, 2].map((up) => ({
    files: [up === 1 ? 'apis/*.ts' : 'apis/*/*.ts'],
    patterns: [
      notFrom(
        ['functions', 'provider', 'render', 'scripts', 'test', 'testing'],
        'apis/ is the bottom layer: move what it needs into apis/',
        { up },
      ),
    ],
  })),
  { files: ['functions/**/*.ts', 'provider/**/*.ts', 'lib/**/*.ts'], patterns: [runtime] },
  {
    files: ['functions/*.ts', 'functions/codec/**/*.ts', 'functions/naming/**/*.ts'],
    ignores: ['functions/main.ts'],
    patterns: [
      runtime,
      notFrom(['steps'], 'shared function code sits below the steps: move the helper into functions/', {
        sibling: true,
      }),
    ],
  },
  ...STEPS.map((step) => ({
    files: [`functions/steps/${step}/**/*.ts`],
    patterns: [
      runtime,
      notFrom(
        STEPS.filter((other) => other !== step),
        'a step never imports another step: move the shared helper into functions/ (observed.ts, context.ts, merge.ts, composer.ts)',
      ),
    ],
  })),
  { files: ['scripts/**/*.ts'], patterns: [noTest] },
  {
    files: ['testing/**/*.ts'],
    patterns: [noTest, notFrom(['scripts'], 'testing/ sits below scripts/: move the helper into testing/')],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', '_output/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  // One concept per module: about 400 lines. Generated files are what their generator writes.
  {
    files: ['**/*.ts', '**/*.js'],
    ignores: ['**/*.generated.ts'],
    rules: {
      'max-lines': ['error', 400],
      // ESLint counts every ??, ?. and default value as a branch, so 25 is a long decision chain.
      complexity: ['error', 25],
    },
  },
  {
    // Tables of cases grow with the cases; a suite is still one concept.
    files: ['test/**/*.ts'],
    rules: { 'max-lines': ['error', 750], complexity: 'off' },
  },
  {
    // Fakes route every path of their API in one switch, in the order of the API's reference.
    files: ['testing/fakes/*.ts'],
    rules: { complexity: ['error', 45] },
  },
  {
    // Step entries gate each composed resource on the one before it, in the order the resources
    // must be created; the gates read best in that order in one place. Kept under ~120 lines.
    // The data modules' composers branch on every optional field of their provider's spec.
    files: [
      'functions/steps/buildingblock/step.ts',
      'functions/steps/placement/step.ts',
      'functions/steps/data/postgres/aws.ts',
    ],
    rules: { complexity: ['error', 45] },
  },
  {
    // reconcileExternal is crossplane-runtime's decision order after an observation (delete,
    // observe-only, create, publish, late-initialize, update); each write it decides on lives in
    // operations.ts. crossplane-runtime's own Reconcile carries the same waiver.
    files: ['provider/src/runtime/reconciler.ts'],
    rules: { complexity: ['error', 35] },
  },
  ...layers.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
);
