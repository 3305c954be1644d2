package dev.heft.core.format.pickle;

/**
 * Every pickle opcode, with its byte and the protocol that introduced it (CPython Lib/pickletools.py, the reference
 * for the format; protocols 0-5). Whether heft executes an opcode is decided by {@link PickleInterpreter}, not here:
 * some are recognised only to be refused by name ({@code INST}, {@code OBJ}, {@code EXT*}, out-of-band buffers).
 */
public enum Opcode {
    // protocol 0 and 1
    MARK('(', 0),
    STOP('.', 0),
    POP('0', 0),
    POP_MARK('1', 0),
    DUP('2', 0),
    FLOAT('F', 0),
    INT('I', 0),
    BININT('J', 1),
    BININT1('K', 1),
    LONG('L', 0),
    BININT2('M', 1),
    NONE('N', 0),
    PERSID('P', 0),
    BINPERSID('Q', 1),
    REDUCE('R', 0),
    STRING('S', 0),
    BINSTRING('T', 1),
    SHORT_BINSTRING('U', 1),
    UNICODE('V', 0),
    BINUNICODE('X', 1),
    APPEND('a', 0),
    BUILD('b', 0),
    GLOBAL('c', 0),
    DICT('d', 0),
    EMPTY_DICT('}', 1),
    APPENDS('e', 1),
    GET('g', 0),
    BINGET('h', 1),
    INST('i', 0),
    LONG_BINGET('j', 1),
    LIST('l', 0),
    EMPTY_LIST(']', 1),
    OBJ('o', 1),
    PUT('p', 0),
    BINPUT('q', 1),
    LONG_BINPUT('r', 1),
    SETITEM('s', 0),
    TUPLE('t', 0),
    EMPTY_TUPLE(')', 1),
    SETITEMS('u', 1),
    BINFLOAT('G', 1),
    // protocol 2
    PROTO(0x80, 2),
    NEWOBJ(0x81, 2),
    EXT1(0x82, 2),
    EXT2(0x83, 2),
    EXT4(0x84, 2),
    TUPLE1(0x85, 2),
    TUPLE2(0x86, 2),
    TUPLE3(0x87, 2),
    NEWTRUE(0x88, 2),
    NEWFALSE(0x89, 2),
    LONG1(0x8a, 2),
    LONG4(0x8b, 2),
    // protocol 3
    BINBYTES('B', 3),
    SHORT_BINBYTES('C', 3),
    // protocol 4
    SHORT_BINUNICODE(0x8c, 4),
    BINUNICODE8(0x8d, 4),
    BINBYTES8(0x8e, 4),
    EMPTY_SET(0x8f, 4),
    ADDITEMS(0x90, 4),
    FROZENSET(0x91, 4),
    NEWOBJ_EX(0x92, 4),
    STACK_GLOBAL(0x93, 4),
    MEMOIZE(0x94, 4),
    FRAME(0x95, 4),
    // protocol 5
    BYTEARRAY8(0x96, 5),
    NEXT_BUFFER(0x97, 5),
    READONLY_BUFFER(0x98, 5);

    private static final Opcode[] BY_BYTE = new Opcode[256];

    static {
        for (Opcode op : values()) {
            if (BY_BYTE[op.code] != null) {
                throw new ExceptionInInitializerError("duplicate opcode byte " + op.code);
            }
            BY_BYTE[op.code] = op;
        }
    }

    private final int code;
    private final int protocol;

    Opcode(int code, int protocol) {
        this.code = code;
        this.protocol = protocol;
    }

    /** The opcode for this byte, or null when no protocol defines it. */
    public static Opcode of(int unsignedByte) {
        return BY_BYTE[unsignedByte & 0xff];
    }

    public int code() {
        return code;
    }

    /** The pickle protocol that introduced the opcode. */
    public int protocol() {
        return protocol;
    }
}
