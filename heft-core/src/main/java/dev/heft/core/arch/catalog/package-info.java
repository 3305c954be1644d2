/**
 * Published configs of widely used models ({@link dev.heft.core.arch.catalog.LlmCatalog}), embedded as resources;
 * counts always come from {@link dev.heft.core.arch.hf.HfArchitectures}, never from the catalog.
 */
package dev.heft.core.arch.catalog;
