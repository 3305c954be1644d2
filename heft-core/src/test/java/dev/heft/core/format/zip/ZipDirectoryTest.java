package dev.heft.core.format.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.testing.SharedFixtures;
import dev.heft.core.testing.TestZipWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The central directory reader against {@code java.util.zip.ZipFile} (the JDK's own reader) as ground truth: same
 * entries, same sizes, and the bytes at each stored entry's data offset are the entry's content.
 */
class ZipDirectoryTest {

    private static ZipDirectory read(byte[] zip) {
        return ZipDirectory.read(MemorySegment.ofArray(zip), Path.of("test.zip"));
    }

    /** Checks every entry against ZipFile: names in order, sizes, and stored content read at the data offset. */
    private static void matchesJdk(Path file, byte[] bytes) throws IOException {
        ZipDirectory dir = read(bytes);
        try (ZipFile zf = new ZipFile(file.toFile())) {
            List<String> jdkNames = Collections.list(zf.entries()).stream()
                    .map(java.util.zip.ZipEntry::getName)
                    .toList();
            assertThat(dir.entries()).extracting(ZipEntry::name).containsExactlyElementsOf(jdkNames);
            for (ZipEntry e : dir.entries()) {
                java.util.zip.ZipEntry j = zf.getEntry(e.name());
                assertThat(e.uncompressedSize()).as(e.name()).isEqualTo(j.getSize());
                assertThat(e.compressedSize()).as(e.name()).isEqualTo(j.getCompressedSize());
                assertThat(e.method()).as(e.name()).isEqualTo(j.getMethod());
                if (e.isStored()) {
                    byte[] atOffset = MemorySegment.ofArray(bytes)
                            .asSlice(e.dataOffset(), e.compressedSize())
                            .toArray(ValueLayout.JAVA_BYTE);
                    try (InputStream in = zf.getInputStream(j)) {
                        assertThat(atOffset).as(e.name()).isEqualTo(in.readAllBytes());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "shared-storage.pt",
                "tiny-llama-state_dict.bin",
                "tiny-llama-bf16.bin",
                "tiny-llama-training-ckpt.pt"
            })
    void torchWrittenArchivesMatchTheJdk(String name) throws IOException {
        Path p = SharedFixtures.fixture("hf/pytorch/" + name);
        matchesJdk(p, Files.readAllBytes(p));
        // torch aligns every storage to 64 bytes (.storage_alignment)
        assertThat(read(Files.readAllBytes(p)).entries())
                .filteredOn(e -> e.name().contains("/data/"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.dataOffset() % 64).isZero());
    }

    @Test
    void zip64RecordsAndExtraFieldsMatchTheJdk(@TempDir Path dir) throws IOException {
        byte[] zip = new TestZipWriter()
                .forceZip64()
                .stored("a/data.pkl", new byte[] {1, 2, 3})
                .stored("a/data/0", new byte[100])
                .deflated("a/notes.txt", "hello hello hello".getBytes())
                .finish();
        Path p = Files.write(dir.resolve("z64.zip"), zip);
        matchesJdk(p, zip);
    }

    @Test
    void jdkWrittenArchiveWithDataDescriptorsMatches(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (int i = 0; i < 20; i++) {
                z.putNextEntry(new java.util.zip.ZipEntry("x/entry" + i));
                z.write(("content " + i).repeat(i + 1).getBytes());
                z.closeEntry();
            }
        }
        byte[] zip = bos.toByteArray();
        matchesJdk(Files.write(dir.resolve("jdk.zip"), zip), zip);
    }

    @Test
    void manyEntriesNeedZip64Counts(@TempDir Path dir) throws IOException {
        // more than 65,535 entries: ZipOutputStream writes the zip64 end records
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            z.setMethod(ZipOutputStream.STORED);
            for (int i = 0; i < 65_600; i++) {
                java.util.zip.ZipEntry e = new java.util.zip.ZipEntry("e/" + i);
                e.setSize(0);
                e.setCompressedSize(0);
                e.setCrc(0);
                z.putNextEntry(e);
                z.closeEntry();
            }
        }
        byte[] zip = bos.toByteArray();
        ZipDirectory d = read(zip);
        try (ZipFile zf = new ZipFile(Files.write(dir.resolve("many.zip"), zip).toFile())) {
            assertThat(d.entries()).hasSize(zf.size()).hasSize(65_600);
            assertThat(d.entries())
                    .extracting(ZipEntry::name)
                    .containsExactlyElementsOf(Collections.list(zf.entries()).stream()
                            .map(java.util.zip.ZipEntry::getName)
                            .toList());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../evil",
                "archive/../../etc/passwd",
                "/etc/passwd",
                "C:\\windows\\evil",
                "archive\\..\\..\\evil",
                "a/.."
            })
    void pathTraversalEntriesAreRefused(String name) {
        byte[] zip = new TestZipWriter()
                .stored("archive/data.pkl", new byte[] {'.'})
                .stored(name, new byte[1])
                .finish();
        assertThatThrownBy(() -> read(zip))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("refusing an archive")
                .satisfies(e -> assertThat(((CorruptModelException) e).key()).isEqualTo(name));
    }

    /** Two dots inside a segment are an ordinary name (the fuzz findings crash-5bc6... and crash-5bd1... hold such). */
    @ParameterizedTest
    @ValueSource(strings = {"shared-storage..format_version", "archive/data..pkl", "a/...", "a/..b/c", "..a"})
    void dotsInsideASegmentAreNotTraversal(String name) {
        byte[] zip = new TestZipWriter()
                .stored("archive/data.pkl", new byte[] {'.'})
                .stored(name, new byte[1])
                .finish();
        assertThat(read(zip).entry(name)).isPresent();
    }

    @Test
    void duplicateNamesAreRefused() {
        byte[] zip = new TestZipWriter()
                .stored("a/x", new byte[1])
                .stored("a/x", new byte[2])
                .finish();
        assertThatThrownBy(() -> read(zip))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("duplicate zip entry name");
    }

    @Test
    void entryCountIsBoundedByTheDirectorySize() {
        byte[] zip = new TestZipWriter().stored("a/x", new byte[1]).finish();
        // EOCD: sig(4) disk(2) cdDisk(2) count(2) total(2) ... : claim 65,000 entries in a 46+3-byte directory
        int eocd = zip.length - 22;
        zip[eocd + 8] = (byte) 0xe8;
        zip[eocd + 9] = (byte) 0xfd;
        zip[eocd + 10] = (byte) 0xe8;
        zip[eocd + 11] = (byte) 0xfd;
        assertThatThrownBy(() -> read(zip))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("65000 entries")
                .hasMessageContaining("holds at most 1");
    }

    @Test
    void everyTruncationIsATypedError() throws IOException {
        byte[] full = Files.readAllBytes(SharedFixtures.fixture("hf/pytorch/shared-storage.pt"));
        List<Integer> readable = new ArrayList<>();
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            try {
                read(cut);
                readable.add(n);
            } catch (ModelFormatException expected) {
                assertThat(expected.getMessage()).startsWith("test.zip");
            }
        }
        // a zip is found from its end: no strict prefix of the file is a valid archive
        assertThat(readable).isEmpty();
    }
}
