package dev.heft.core.api.request;

/**
 * {@code heft catalog}.
 *
 * @param families list the Hugging Face model types counted exactly and how every other one is approximated,
 *                 instead of the built-in models
 */
public record CatalogRequest(boolean families) {
    public static CatalogRequest defaults() {
        return new CatalogRequest(false);
    }
}
