package dev.heft.cli;

import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import java.io.IOException;

/** Resolves MODEL arguments for every command: one resolver, one place. */
final class Models {
    private Models() {
    }

    static ResolvedModel resolve(String argument) throws IOException {
        return new ModelResolver().resolve(argument);
    }
}
