package dev.eventsink;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What compiled classes refer to, read from their constant pools: the classes they name (in code, field and
 * method types, generic signatures) and the string constants they hold. For tests of a module's dependency
 * rules on what the compiler produced, not on source text.
 *
 * <pre>{@code
 * for (ClassReferences c : ClassReferences.in(Path.of("target/classes"))) {
 *     assertThat(c.referencedClasses()).noneMatch(name -> name.startsWith("dev.eventsink.internal."));
 * }
 * }</pre>
 */
public final class ClassReferences {

    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

    private final String className;
    private final Set<String> referencedClasses;
    private final List<String> strings;

    private ClassReferences(String className, Set<String> referencedClasses, List<String> strings) {
        this.className = className;
        this.referencedClasses = referencedClasses;
        this.strings = strings;
    }

    /** Every class under {@code classesDirectory} (a compiler's output directory), read. */
    public static List<ClassReferences> in(Path classesDirectory) {
        if (!Files.isDirectory(classesDirectory)) {
            throw new IllegalStateException("no compiled classes at " + classesDirectory.toAbsolutePath()
                    + ": compile the module first");
        }
        List<ClassReferences> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classesDirectory)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    all.add(read(new DataInputStream(in)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /**
     * The classes under {@code classesDirectory} that refer to the SDK's internal package, each with what it refers
     * to there: empty for every module but sdk-api, whose internals are not public API.
     */
    public static List<String> usersOfInternalApi(Path classesDirectory) {
        List<String> users = new ArrayList<>();
        for (ClassReferences c : in(classesDirectory)) {
            c.referencedClasses().stream()
                    .filter(name -> name.startsWith("dev.eventsink.internal."))
                    .forEach(name -> users.add(c.className() + " -> " + name));
        }
        return users;
    }

    /** The class's binary name, as {@code dev.eventsink.Event}. */
    public String className() {
        return className;
    }

    /** The package of the class. */
    public String packageName() {
        return packageOf(className);
    }

    /** Every other class it names, by binary name. */
    public Set<String> referencedClasses() {
        return referencedClasses;
    }

    /** Its string constants. */
    public List<String> strings() {
        return strings;
    }

    /** The package of a binary class name. */
    public static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static ClassReferences read(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classIndex = new int[count];
        int[] stringIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classIndex[i] = in.readUnsignedShort();
                case 8 -> stringIndex[i] = in.readUnsignedShort();
                case 16, 19, 20 -> in.readUnsignedShort(); // MethodType, Module, Package
                case 15 -> { // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4 -> in.readInt(); // Integer, Float
                case 5, 6 -> { // Long, Double take two entries
                    in.readLong();
                    i++;
                }
                case 9, 10, 11, 12, 17, 18 -> in.readInt(); // refs, NameAndType, dynamic
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort();
        String self = utf8[classIndex[in.readUnsignedShort()]].replace('/', '.');
        Set<String> referenced = new TreeSet<>();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (classIndex[i] != 0) {
                String name = utf8[classIndex[i]];
                Matcher array = TYPE_IN_DESCRIPTOR.matcher(name);
                referenced.add(name.startsWith("[") ? (array.find() ? array.group(1) : name) : name);
            }
            if (stringIndex[i] != 0) {
                strings.add(utf8[stringIndex[i]]);
            }
            if (utf8[i] != null && (utf8[i].startsWith("(") || utf8[i].startsWith("L") || utf8[i].startsWith("<")
                    || utf8[i].startsWith("["))) {
                Matcher types = TYPE_IN_DESCRIPTOR.matcher(utf8[i]);
                while (types.find()) {
                    referenced.add(types.group(1));
                }
            }
        }
        Set<String> names = new TreeSet<>();
        for (String name : referenced) {
            String binary = name.replace('/', '.');
            if (!binary.equals(self) && !binary.startsWith("[")) {
                names.add(binary);
            }
        }
        return new ClassReferences(self, names, strings);
    }

    @Override
    public String toString() {
        return className;
    }
}
