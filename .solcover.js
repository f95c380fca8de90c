// Coverage: production contracts only; property-based (fast-check) suites are excluded because instrumentation
// makes them slow and they add no lines that the unit tests do not reach.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["html", "lcov", "text", "json-summary", "json"],
  mocha: { grep: "@property", invert: true },
  configureYulOptimizer: true,
};
