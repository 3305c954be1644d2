package dev.heft.core.api.request;

/** How attention is computed: eager materialises the batch x heads x query x key scores; sdpa and flash do not. */
public enum Attention implements Choice {
    EAGER("eager"),
    SDPA("sdpa"),
    FLASH("flash");

    private final String id;

    Attention(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }
}
