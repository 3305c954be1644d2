package dev.heft.cli;

import dev.heft.core.api.Heft;
import java.io.IOException;

/**
 * The launcher's entry for {@code quant-error} ({@code java ... -cp heft.jar dev.heft.cli.QuantErrorMain quant-error
 * ...}): starts the kernel's warm-up thread ({@link Heft#prepareQuantError()}) before anything else, then runs the
 * command line as {@link HeftCli#main} does.
 *
 * <p>Why a class of its own: {@link HeftCli}'s static initialisation builds the list of commands from every
 * operation, which spins about 50 lambdas at run time in quant-error's JVM (its AOT cache cannot hold linked lambdas,
 * see {@code KernelPrelink}), ~45 ms before {@code HeftCli.main} could start the thread. From here the thread starts
 * first and that work runs on the main thread while the second core links and warms up the kernel. Started with
 * {@code -cp} rather than {@code -jar}, the JDK launcher also skips reading the jar's manifest (two lambdas and the jar
 * verifier's classes). {@code HeftCli.main} still starts the thread for a {@code java -jar heft.jar quant-error} run;
 * the second call here is a no-op.
 */
public final class QuantErrorMain {
    private QuantErrorMain() {}

    public static void main(String[] args) throws IOException {
        prepare();
        HeftCli.main(args);
    }

    /** What this entry does before the command line (the AOT training run does it too, so its classes are cached). */
    static void prepare() {
        Heft.prepareQuantError();
    }
}
