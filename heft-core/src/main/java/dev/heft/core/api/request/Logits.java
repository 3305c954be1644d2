package dev.heft.core.api.request;

/** Which positions' logits are kept: all (scoring, training) or only the last (generation). */
public enum Logits implements Choice {
    ALL("all"),
    LAST("last");

    private final String id;

    Logits(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }
}
