package dev.heft.core.hardware;

/** Classes of hardware people deploy to; decides defaults such as which runtime overhead applies. */
public enum DeviceCategory {
    DATACENTER_GPU("datacenter-gpu"),
    CONSUMER_GPU("consumer-gpu"),
    APPLE_SILICON("apple-silicon"),
    CPU("cpu"),
    EDGE("edge"),
    PHONE("phone"),
    BROWSER("browser"),
    CUSTOM("custom");

    private final String id;

    DeviceCategory(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static DeviceCategory fromId(String id) {
        for (DeviceCategory c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown device category '" + id + "'");
    }

    public boolean isGpu() {
        return this == DATACENTER_GPU || this == CONSUMER_GPU;
    }

    @Override
    public String toString() {
        return id;
    }
}
