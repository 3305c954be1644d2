package dev.heft.core.api.request;

import java.util.List;

/** The optimizer whose states training memory holds. */
public enum Optimizer implements Choice {
    ADAMW("adamw", "adam"),
    ADAM8BIT("adam8bit", "adamw8bit", "bnb-adam8bit"),
    SGD("sgd", "sgdm", "momentum"),
    ADAFACTOR("adafactor");

    private final String id;
    private final List<String> aliases;

    Optimizer(String id, String... aliases) {
        this.id = id;
        this.aliases = List.of(aliases);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> aliases() {
        return aliases;
    }
}
