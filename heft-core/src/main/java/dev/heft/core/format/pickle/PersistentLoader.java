package dev.heft.core.format.pickle;

/**
 * Resolves a persistent id (BINPERSID/PERSID) to a value. torch writes one per storage; the reader that knows the
 * container (zip entries, legacy storage table) decides what it means.
 */
@FunctionalInterface
public interface PersistentLoader {
    /**
     * @param pid    the persistent id the pickle pushed
     * @param offset absolute byte offset of the opcode, for error messages
     */
    PickleValue load(PickleValue pid, long offset);
}
