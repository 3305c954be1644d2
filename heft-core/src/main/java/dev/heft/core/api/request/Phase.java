package dev.heft.core.api.request;

/** Which pass of inference is sized: the whole prompt at once, or one new token per sequence. */
public enum Phase implements Choice {
    PREFILL("prefill"),
    DECODE("decode");

    private final String id;

    Phase(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }
}
