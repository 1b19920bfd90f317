/**
 * The Dockerfile language: {@link io.slipway.build.dockerfile.DockerfileParser} turns text into a
 * {@link io.slipway.build.dockerfile.Dockerfile} of sealed
 * {@link io.slipway.build.dockerfile.Instruction} records, keeping arguments unexpanded;
 * {@link io.slipway.build.dockerfile.ShellLexer} expands variables as the reference builder does.
 * Errors are {@link io.slipway.build.dockerfile.DockerfileException}s carrying file, line, column
 * and the offending text. Depends on nothing else in this module.
 */
package io.slipway.build.dockerfile;
