import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What reading a large file costs on this machine, the two ways quant-error could read tensor data: pread into a reused
 * direct buffer plus the copy to a float[] (what ChunkReader does), or a mapping read in place (mapped segment, with
 * an optional madvise first). Prints the reading thread's CPU time per pass; a second pass over the same mapping
 * shows how much of the first was the cost of touching freshly mapped pages. Linux only (madvise by name).
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED bench/ReadPath.java FILE MODE} with MODE one of
 * {@code pread} (64 KiB reads), {@code pread:KIB}, {@code mmap}, {@code mmap-populate} (MADV_POPULATE_READ, 4 MiB at
 * a time), {@code mmap-sequential} (MADV_SEQUENTIAL), {@code mmap-hugepage} (MADV_HUGEPAGE). Page cache warm: read
 * the file once first. Results in bench/RESULTS-quant.md ("Reading through a mapping").
 */
public final class ReadPath {
    private static final int MADV_SEQUENTIAL = 2;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_POPULATE_READ = 22;

    public static void main(String[] args) throws Throwable {
        Path file = Path.of(args[0]);
        String mode = args[1];
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        warmUpTouch(); // so that the timed passes run compiled code, not the interpreter
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (mode.startsWith("pread")) {
                int bytes = mode.contains(":") ? Integer.parseInt(mode.substring(mode.indexOf(':') + 1)) << 10 : 1 << 16;
                for (int pass = 0; pass < 2; pass++) {
                    long cpu = tm.getCurrentThreadCpuTime();
                    double sum = preadAll(ch, size, bytes);
                    report(mode, pass, tm, cpu, sum);
                }
                return;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                long cpu = tm.getCurrentThreadCpuTime();
                switch (mode) {
                    case "mmap" -> {}
                    case "mmap-populate" -> advise(seg, MADV_POPULATE_READ, 4L << 20);
                    case "mmap-sequential" -> advise(seg, MADV_SEQUENTIAL, size);
                    case "mmap-hugepage" -> advise(seg, MADV_HUGEPAGE, size);
                    default -> throw new IllegalArgumentException("unknown mode " + mode);
                }
                System.out.printf("%s madvise: %.0f ms CPU%n", mode, (tm.getCurrentThreadCpuTime() - cpu) / 1e6);
                for (int pass = 0; pass < 2; pass++) {
                    cpu = tm.getCurrentThreadCpuTime();
                    double sum = 0;
                    for (long off = 0; off < size; off += 1 << 20) {
                        sum += touch(seg, off, Math.min(size, off + (1 << 20)));
                    }
                    report(mode, pass, tm, cpu, sum);
                }
            }
        }
    }

    private static double preadAll(FileChannel ch, long size, int bytes) throws Exception {
        ByteBuffer bb = ByteBuffer.allocateDirect(bytes);
        float[] x = new float[bytes / 4];
        double sum = 0;
        for (long pos = 0; pos + bytes <= size; pos += bytes) {
            bb.clear();
            while (bb.hasRemaining()) {
                ch.read(bb, pos + bb.position());
            }
            MemorySegment.copy(MemorySegment.ofBuffer(bb.flip()), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, x, 0, x.length);
            sum += x[7];
        }
        return sum;
    }

    /** One byte of every 4 KiB page in [from, to): the cost of reaching each page, not of reading it. */
    private static double touch(MemorySegment seg, long from, long to) {
        double sum = 0;
        for (long off = from; off < to; off += 4096) {
            sum += seg.get(ValueLayout.JAVA_BYTE, off);
        }
        return sum;
    }

    /** Compiles touch() for mapped segments on a small mapping of its own, so the timed passes do not deoptimize. */
    private static void warmUpTouch() throws Exception {
        Path tmp = Files.createTempFile("readpath", ".bin");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1 << 20), 0);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, 1 << 20, arena);
                for (int i = 0; i < 20_000; i++) {
                    touch(seg, 0, 1 << 20);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void advise(MemorySegment seg, int advice, long step) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle madvise = linker.downcallHandle(
                linker.defaultLookup().find("madvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        for (long off = 0; off < seg.byteSize(); off += step) {
            long start = seg.address() + off;
            long aligned = start & ~4095L;
            long len = Math.min(step, seg.byteSize() - off) + (start - aligned);
            int rc = (int) madvise.invokeExact(MemorySegment.ofAddress(aligned), len, advice);
            if (rc != 0) {
                throw new IllegalStateException("madvise(" + advice + ") failed");
            }
        }
    }

    private static void report(String mode, int pass, ThreadMXBean tm, long cpuBefore, double sum) {
        System.out.printf("%s pass %d: %.0f ms CPU (checksum %s)%n", mode, pass, (tm.getCurrentThreadCpuTime() - cpuBefore) / 1e6, sum);
    }
}
