import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of heft-cli (run by the exec plugin on the shaded jar): rewrites every class file older than Java 6
 * (major version below 50) as a Java 8 class file (52) with stack map frames, changing nothing else.
 *
 * <p>Why: picocli's jar is compiled for Java 5, and the JDK's CDS/AOT cache skips such "old" classes (they can only be
 * verified by the old type-inferring verifier, which the archive does not record), so the launcher's AOT cache held
 * none of picocli's ~170 classes and every run read, parsed and verified them from the jar: about 60 ms of CPU on
 * {@code heft inspect} and 150 ms on {@code heft --version} on the 2-core bench machine (bench/RESULTS.md). Rebuilt
 * through the JDK's own class-file API (java.lang.classfile, JDK 24+), which generates the frames from the bytecode;
 * the JVM still verifies them when it loads the classes. Running it twice changes nothing.
 *
 * <pre>java heft-cli/src/build/UpgradeClassFiles.java JAR</pre>
 */
public final class UpgradeClassFiles {
    /** Java 6 (50) introduced stack map frames; 52 (Java 8) is the oldest version the JDK verifies only by them. */
    private static final int OLDEST_KEPT = 50;
    private static final int TARGET = 52;

    private UpgradeClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Map<String, byte[]> classes = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.getName().endsWith(".class")) {
                    classes.put(e.getName(), zip.getInputStream(e).readAllBytes());
                }
            }
        }
        // Frames name the common supertype of two branches, so the generator must see the jar's own classes too.
        ClassHierarchyResolver jarClasses = ClassHierarchyResolver.ofResourceParsing(desc -> {
            String d = desc.descriptorString();
            byte[] b = classes.get(d.substring(1, d.length() - 1) + ".class");
            return b == null ? null : new ByteArrayInputStream(b);
        });
        ClassFile reader = ClassFile.of();
        ClassFile writer = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(jarClasses.orElse(ClassHierarchyResolver.defaultResolver())));
        Path out = Files.createTempFile(jar.toAbsolutePath().getParent(), "upgrade", ".jar");
        int upgraded = 0;
        try (ZipFile zip = new ZipFile(jar.toFile());
             ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                if (e.getName().endsWith(".class")) {
                    ClassModel model = reader.parse(bytes);
                    if (model.majorVersion() < OLDEST_KEPT) {
                        bytes = upgrade(writer, model);
                        upgraded++;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime()); // keeps the build reproducible (project.build.outputTimestamp)
                z.putNextEntry(copy);
                writeAll(z, bytes);
                z.closeEntry();
            }
        }
        // The temporary file was created private to its owner (rw-------); the jar keeps the permissions it had, so
        // that a checkout built by one user stays runnable by the others who could run it before.
        if (Files.getFileStore(jar).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(out, Files.getPosixFilePermissions(jar));
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("UpgradeClassFiles: " + upgraded + " class files rewritten as version " + TARGET
                + " in " + jar.getFileName());
    }

    /** The same class at {@link #TARGET}: every method body re-emitted, so that its frames are generated. */
    private static byte[] upgrade(ClassFile writer, ClassModel model) {
        return writer.transformClass(model, (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET, 0);
            } else if (element instanceof MethodModel method) {
                builder.transformMethod(method, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
            } else {
                builder.with(element);
            }
        });
    }

    private static void writeAll(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
    }
}
