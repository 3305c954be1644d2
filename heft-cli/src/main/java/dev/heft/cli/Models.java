package dev.heft.cli;

import dev.heft.core.model.ModelProfile;
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

    static ModelProfile profile(String argument) throws IOException {
        return ModelProfile.of(resolve(argument));
    }
}
