package dev.heft.core.testing;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Operations;
import dev.heft.core.api.render.Renderer;
import dev.heft.core.api.request.InspectRequest;
import dev.heft.core.error.HeftException;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads each hostile input named on the command line (or every input in the folders {@link HostileCorpus#writeAll}
 * wrote under the one argument) the way {@code heft inspect} does, and prints one line per input: {@code OK},
 * {@code TYPED <exception class>}, or {@code UNTYPED <throwable>}. Run in a forked JVM by the bounded-memory test, so
 * that an OutOfMemoryError in the child is a result, not the end of the test run.
 */
public final class HostileCorpusRunner {
    private HostileCorpusRunner() {}

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            try {
                ResolvedModel m = new ModelResolver().resolve(arg);
                if (m instanceof ResolvedModel.Stored) {
                    InspectRequest request = new InspectRequest(true);
                    Renderer.text(Operations.INSPECT
                            .view()
                            .view(Heft.create().open(Path.of(arg)).inspect(request), request));
                }
                ModelProfile.of(m);
                System.out.println("OK " + arg);
            } catch (HeftException e) {
                System.out.println("TYPED " + e.getClass().getSimpleName() + " " + arg + " " + oneLine(e.getMessage()));
            } catch (Throwable e) {
                System.out.println("UNTYPED " + e.getClass().getName() + " " + arg + " "
                        + oneLine(String.valueOf(e.getMessage())));
                if (System.getenv("HEFT_TRACE") != null) {
                    e.printStackTrace(System.out);
                }
            }
            System.out.flush();
        }
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /** Every top-level entry of each case folder under {@code root}: for running by hand. */
    static Stream<Path> entries(Path root) throws java.io.IOException {
        return Files.list(root);
    }
}
