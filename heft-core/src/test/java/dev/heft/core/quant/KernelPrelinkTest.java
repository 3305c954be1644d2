package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelPrelinkTest {
    /**
     * A daemon (a quant-error that fails early must not wait for it), named so that a thread dump says what it is,
     * ending on its own after its one run of the kernel; and started once per JVM: the launcher's entry for
     * quant-error starts it before {@code HeftCli.main} asks again. No other test in heft-core starts it, so the first
     * call here is this JVM's first.
     */
    @Test
    void startsANamedDaemonThreadThatEndsOnItsOwnOncePerJvm() throws Exception {
        Thread prelink = KernelPrelink.startInBackground();
        assertThat(prelink).isNotNull();
        assertThat(prelink.isDaemon()).isTrue();
        assertThat(prelink.getName()).isEqualTo("heft-kernel-prelink");
        assertThat(KernelPrelink.startInBackground()).isNull();
        prelink.join(30_000);
        assertThat(prelink.isAlive()).isFalse();
        assertThat(KernelPrelink.startInBackground()).isNull();
    }
}
