/**
 * heft's engine. Library users see the facade ({@link dev.heft.core.api.Heft}, {@link dev.heft.core.api.Model}), the
 * request records, the report records with their JSON form, the renderers, the error family and the JSON values the
 * API passes through; every reader, architecture model, planner and kernel stays internal.
 */
// jhdf has no module descriptor of its own (an automatic module named by its manifest): accepted on purpose.
@SuppressWarnings("requires-automatic")
module dev.heft.core {
    requires io.jhdf;
    requires org.snakeyaml.engine.v2;
    // The quantization kernels use the Vector API when the JVM has it and a scalar twin otherwise.
    requires static jdk.incubator.vector;
    // --device local reads physical memory through the JVM where /proc/meminfo is absent (Windows).
    requires jdk.management;
    // TCP_QUICKACK on Linux (Connection): the hub client acknowledges answers at once.
    requires jdk.net;

    exports dev.heft.core.api;
    exports dev.heft.core.api.request;
    exports dev.heft.core.api.report;
    exports dev.heft.core.api.render;
    exports dev.heft.core.error;
    exports dev.heft.core.json;
}
