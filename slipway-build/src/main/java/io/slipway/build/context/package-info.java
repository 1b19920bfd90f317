/**
 * Build context selection: {@code .dockerignore} parsing and matching with the reference client's
 * semantics, Go-style path cleaning, and walking a context directory. Depends on nothing else in
 * this module.
 */
package io.slipway.build.context;
