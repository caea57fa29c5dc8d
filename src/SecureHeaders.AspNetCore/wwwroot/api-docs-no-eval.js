// SecureHeaders: load before an API documentation UI so that it never tries eval, which a CSP without
// 'unsafe-eval' blocks and reports. Both libraries fall back to code that needs no eval; this only makes them
// take the fallback without probing first.

// Scalar: zod 4 calls Function("") once to see whether it may compile validators, unless jitless is set.
(globalThis.__zod_globalConfig ??= {}).jitless = true;

// ReDoc 3: FlexSearch builds its search worker from Function(source) stored in globalThis._factory; when reading
// _factory fails, ReDoc indexes on the page instead (the same search, no worker, no eval, no blob: worker).
if (!Object.prototype.hasOwnProperty.call(globalThis, '_factory')) {
  Object.defineProperty(globalThis, '_factory', {
    configurable: true,
    get() { throw new Error('SecureHeaders: search indexes on the page, without eval'); },
  });
}
