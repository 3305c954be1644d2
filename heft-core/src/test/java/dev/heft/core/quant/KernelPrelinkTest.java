package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelPrelinkTest {
    /**
     * A daemon (a quant-error that fails early must not wait for it), named so that a thread dump says what it is, and
     * it ends on its own after its one run of the kernel.
     */
    @Test
    void startsANamedDaemonThreadThatEndsOnItsOwn() throws Exception {
        Thread prelink = KernelPrelink.startInBackground();
        assertThat(prelink.isDaemon()).isTrue();
        assertThat(prelink.getName()).isEqualTo("heft-kernel-prelink");
        prelink.join(30_000);
        assertThat(prelink.isAlive()).isFalse();
    }
}
