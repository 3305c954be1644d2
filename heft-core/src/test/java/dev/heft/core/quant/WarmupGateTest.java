package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WarmupGateTest {
    private static final ErrorKernel VECTOR = ErrorKernel.preferred();

    @Test
    void openForOneThreadOrTheScalarKernel() {
        assertThat(WarmupGate.forScan(1, VECTOR).isOpen()).isTrue();
        assertThat(WarmupGate.forScan(4, new ScalarErrorKernel()).isOpen()).isTrue();
    }

    @Test
    void firstThreadRunsAloneUntilItsKernelCallIsCompiledCode() throws Exception {
        assertThat(VECTOR).isInstanceOf(VectorErrorKernel.class); // the test JVM adds the Vector API module
        WarmupGate gate = WarmupGate.forScan(2, VECTOR);
        gate.await(); // the leader passes at once
        assertThat(gate.measuring()).isTrue();
        CompletableFuture<Void> other = CompletableFuture.runAsync(gate::await);
        gate.kernelCall(16384, 16384L * 500); // 500 ns per element: interpreted, stays closed
        Thread.sleep(100);
        assertThat(other).isNotDone();
        gate.kernelCall(16384, 16384L); // 1 ns per element: compiled
        other.get(1, TimeUnit.SECONDS);
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.measuring()).isFalse();
    }

    @Test
    void aWaitingThreadGoesOnAfterTheLongestWaitWhateverTheTimings() throws Exception {
        WarmupGate gate = WarmupGate.forScan(2, VECTOR);
        gate.await();
        long start = System.nanoTime();
        CompletableFuture.runAsync(gate::await).get(WarmupGate.MAX_WAIT_MS * 3, TimeUnit.MILLISECONDS);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(WarmupGate.MAX_WAIT_MS - 50);
        assertThat(gate.isOpen()).isTrue();
    }
}
