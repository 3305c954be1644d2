package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The Hub repos a server holds: one read per repo while held, bounded, fresh for a while, failures never held. */
class HubModelsTest {
    private static final Heft HEFT = Heft.builder().allow(false, false, false).build();
    private static final Model MODEL = HEFT.catalogModel("llama-3-8b");

    @Test
    void requestsArrivingDuringARead_waitForItInsteadOfReadingAgain() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        HubModels hub = new HubModels(
                id -> {
                    reads.incrementAndGet();
                    started.countDown();
                    await(release);
                    return MODEL;
                },
                System::nanoTime);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Model>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> hub.get("hf://org/repo")));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                answers.add(pool.submit(() -> hub.get("hf://org/repo")));
            }
            assertThat(hub.isHeld("hf://org/repo")).isFalse(); // still being read: a request for it is heavy
            Thread.sleep(100);
            release.countDown();
            for (Future<Model> f : answers) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(MODEL);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads).hasValue(1);
        assertThat(hub.isHeld("hf://org/repo")).isTrue();
        assertThat(hub.get("hf://org/repo")).isSameAs(MODEL);
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFailedReadIsNotHeld_theNextRequestReadsAgain() {
        AtomicInteger reads = new AtomicInteger();
        Function<String, Model> open = id -> {
            if (reads.incrementAndGet() == 1) {
                throw new RemoteModelException(Reason.NOT_FOUND, "no such repo: " + id);
            }
            return MODEL;
        };
        HubModels hub = new HubModels(open, System::nanoTime);
        assertThatThrownBy(() -> hub.get("hf://org/missing"))
                .isInstanceOf(RemoteModelException.class)
                .hasMessageContaining("no such repo");
        assertThat(hub.isHeld("hf://org/missing")).isFalse();
        assertThat(hub.size()).isZero();
        assertThat(hub.get("hf://org/missing")).isSameAs(MODEL);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aHeldRepoIsReadAgainOnceItIsNoLongerFresh() {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong now = new AtomicLong(0);
        HubModels hub = new HubModels(
                id -> {
                    reads.incrementAndGet();
                    return MODEL;
                },
                now::get);
        hub.get("hf://org/repo");
        now.set(HubModels.FRESH_NANOS - HubModels.LANE_MARGIN_NANOS - 1);
        assertThat(hub.isHeld("hf://org/repo")).isTrue();
        // Within the last minute the repo no longer counts as held for lane choice (a request admitted as cheap must
        // still find it when its handler runs), but a request that gets here is still answered from it.
        now.set(HubModels.FRESH_NANOS - HubModels.LANE_MARGIN_NANOS);
        assertThat(hub.isHeld("hf://org/repo")).isFalse();
        now.set(HubModels.FRESH_NANOS - 1);
        hub.get("hf://org/repo");
        assertThat(reads).hasValue(1);
        now.set(HubModels.FRESH_NANOS);
        assertThat(hub.isHeld("hf://org/repo")).isFalse();
        hub.get("hf://org/repo");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aRequestWaitingForAnotherRead_getsATypedErrorWhenItsThreadIsInterrupted() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HubModels hub = new HubModels(
                id -> {
                    reading.countDown();
                    await(release);
                    return MODEL;
                },
                System::nanoTime);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Model> first = pool.submit(() -> hub.get("hf://org/repo"));
            await(reading);
            Future<Throwable> second = pool.submit(() -> {
                Thread.currentThread().interrupt(); // as a stopping server interrupts its handler threads
                try {
                    hub.get("hf://org/repo");
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            Throwable thrown = second.get(10, TimeUnit.SECONDS);
            assertThat(thrown)
                    .isInstanceOf(RemoteModelException.class)
                    .hasMessage("stopped waiting for the read of hf://org/repo: the server is stopping");
            assertThat(((RemoteModelException) thrown).reason()).isEqualTo(Reason.CONNECTION);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(MODEL);
            assertThat(hub.isHeld("hf://org/repo")).isTrue(); // the first read still completed and is held
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void atMostMaxHeldRepos_theLeastRecentlyUsedDroppedFirst() {
        AtomicInteger reads = new AtomicInteger();
        HubModels hub = new HubModels(
                id -> {
                    reads.incrementAndGet();
                    return MODEL;
                },
                System::nanoTime);
        for (int i = 0; i < HubModels.MAX_HELD; i++) {
            hub.get("hf://org/repo" + i);
        }
        hub.get("hf://org/repo0"); // used again: repo1 is now the least recently used
        hub.get("hf://org/another");
        assertThat(hub.size()).isEqualTo(HubModels.MAX_HELD);
        assertThat(hub.isHeld("hf://org/repo0")).isTrue();
        assertThat(hub.isHeld("hf://org/repo1")).isFalse();
        assertThat(reads).hasValue(HubModels.MAX_HELD + 1);
    }

    @Test
    void aRequestForAHeldRepoStaysInTheCheapLane() throws java.io.IOException {
        HeavyRequests rule = new HeavyRequests(true, "hf://org/held"::equals);
        assertThat(ServerLanesTest.heavy(rule, "POST", "/api/estimate", "{\"model\":\"hf://org/held\"}"))
                .isFalse();
        assertThat(ServerLanesTest.heavy(rule, "POST", "/api/estimate", "{\"model\":\"hf://org/other\"}"))
                .isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
