/**
 * The JVM's own start-up, with no heft in it: bench/user-speed.sh times this class (compiled into the bench output
 * folder) on the same JDK and with the one-shot commands' collector and JIT flags, next to the Python header reader
 * on the Llama-3.1-405B layout. It is the floor under every `./heft` command: no change to heft can make a command
 * start faster than this.
 */
public final class JvmFloor {
    public static void main(String[] args) {
        System.out.println("jvm");
    }
}
