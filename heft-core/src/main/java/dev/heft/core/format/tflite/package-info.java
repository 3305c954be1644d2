/**
 * TFLite flatbuffers ({@code tensorflow/lite/schema/schema.fbs}, schema version 3, file identifier "TFL3"), read by
 * hand: {@code FlatTable} checks every vtable, offset and vector length against the file before use, so no generated
 * code or flatbuffers runtime is needed. Entry point: {@link dev.heft.core.format.tflite.TfliteReader}.
 */
package dev.heft.core.format.tflite;
