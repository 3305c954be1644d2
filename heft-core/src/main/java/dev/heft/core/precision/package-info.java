/**
 * The one precision vocabulary: {@link dev.heft.core.precision.Precisions#parse} accepts every name
 * {@code memory --dtype}, {@code compress --quant} and {@code quant-error --scheme} accept and returns a
 * {@link dev.heft.core.precision.Precision} with its storage layout, its bytes for a tensor shape and its round trip;
 * {@link dev.heft.core.precision.Precisions#names} lists the names with one line each, for completion candidates, the
 * OpenAPI document and the docs. This is the engine API the CLI and web layers are meant to build their option types
 * on.
 */
package dev.heft.core.precision;
