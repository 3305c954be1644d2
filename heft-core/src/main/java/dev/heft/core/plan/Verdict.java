package dev.heft.core.plan;

/**
 * A one-line answer for one device: what fits, at which precision, how long a context, or how it runs when it does not
 * fit.
 *
 * @param device  device id
 * @param outcome what kind of answer it is
 * @param text    the sentence ("fits at Q4_K_M up to 61k tokens; best quality that fits: Q6_K at 8k")
 */
public record Verdict(String device, Outcome outcome, String text) {
    public enum Outcome {
        /** Some precision fits on the device alone. */
        FITS,
        /** Nothing fits alone, but llama.cpp can run it with part of it in host memory. */
        OFFLOADED,
        /** Nothing tried fits, even offloaded. */
        DOES_NOT_FIT
    }
}
