package dev.heft.cli;

/** Names of the options the CLI adds to every command (the operations' own options come from heft-core). */
final class Options {
    static final String DEBUG = "--debug";
    static final String DEVICES_FILE = "--devices-file";
    static final String OFFLINE = "--offline";
    static final String HEADER_CACHE = "--header-cache";
    static final String JSON = "--json";
    static final String FORMAT = "--format";

    private Options() {}
}
