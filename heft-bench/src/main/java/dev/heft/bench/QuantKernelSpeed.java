package dev.heft.bench;

import dev.heft.core.quant.QuantErrorScanner;
import dev.heft.core.quant.QuantScheme;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Single-thread kernel throughput measured in thread CPU time, so the figure means something on a shared, loaded
 * machine where JMH's wall-clock throughput does not: GB of F32 input per CPU-second (per core).
 *
 * <p>Usage: {@code QuantKernelSpeed [schemes] [MiB]}
 */
public final class QuantKernelSpeed {
    private QuantKernelSpeed() {}

    public static void main(String[] args) {
        String schemes = args.length > 0
                ? args[0]
                : "q8_0,q4_0,q4_1,q5_0,q5_1,q2_k,q3_k,q4_k,q5_k,q6_k,iq4_nl,iq4_xs,int8-channel,int4-g128,nf4,fp8-e4m3";
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        float[] x = new float[mib << 18];
        SplittableRandom r = new SplittableRandom(1234);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 0.02f;
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String s : schemes.split(",")) {
            QuantScheme q = QuantScheme.parse(s);
            double sink = 0;
            for (int w = 0; w < 3; w++) {
                sink += QuantErrorScanner.measure(q, x, 4096).rmse();
            }
            int reps = 4;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) {
                sink += QuantErrorScanner.measure(q, x, 4096).rmse();
            }
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf(
                    "%-14s %.3f GB/s per core (thread CPU time; %d x %d MiB) [%.3g]%n",
                    s, 4.0 * x.length * reps / 1e9 / cpu, reps, mib * 4, sink);
        }
    }
}
