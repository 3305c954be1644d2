package dev.heft.core.tensor;

/** The file formats heft reads. The display name is what reports and {@code --json} print. */
public enum ModelFormat {
    SAFETENSORS("safetensors"),
    GGUF("gguf"),
    ONNX("onnx"),
    PYTORCH("pytorch"),
    PYTORCH_LEGACY("pytorch-legacy"),
    TORCHSCRIPT("torchscript"),
    KERAS("keras"),
    HDF5("hdf5"),
    TFLITE("tflite"),
    TFJS("tfjs");

    private final String displayName;

    ModelFormat(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
