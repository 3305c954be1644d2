/**
 * PyTorch checkpoints: the zip format of torch.save (1.6+), the legacy pre-1.6 format, and TorchScript archives,
 * read through the restricted unpickler of {@code dev.heft.core.format.pickle} without reading tensor data.
 * {@link dev.heft.core.format.pytorch.PyTorchCheckpointReader} gives a
 * {@link dev.heft.core.format.pytorch.TorchCheckpoint} (views and unique storages apart, nested training checkpoints
 * split into model weights, optimizer state and scalar entries); the three
 * {@link dev.heft.core.format.ModelReader}s ({@code PyTorchZipReader}, {@code PyTorchLegacyReader},
 * {@code TorchScriptReader}) turn it into a {@link dev.heft.core.tensor.TensorInventory}.
 *
 * <h2>Inventory conventions</h2>
 * <ul>
 *   <li>{@code Tensor.bytes} is the stored bytes attributed to the tensor: each storage's bytes go to the first
 *       tensor (in pickle order) that views it, later views of the same storage get 0, so
 *       {@code TensorInventory.tensorBytes()} is the file's real tensor data. Each view's own size is in
 *       {@link dev.heft.core.format.pytorch.TorchTensor#viewBytes()} and the metadata key {@code pytorch.view_bytes};
 *       {@code pytorch.unique_storage_bytes} and {@code pytorch.unique_storage_elements} give the storage totals.</li>
 *   <li>{@code Tensor.offset} is the absolute offset of the view's first element.</li>
 *   <li>{@code Tensor.parameters}: the view's elements for a model weight, but a storage yields at most its own
 *       elements however many weight views share it: views count in pickle order until the storage is used up, so
 *       {@code w, w[2:5], w.t()} over 60 floats count 60, and an exact alias of an earlier weight (tied weights)
 *       counts 0. Views that overlap only partly may still be counted twice (heft compares sizes, not element
 *       sets). Notes name every view that added fewer parameters than its elements.</li>
 *   <li>Roles: model tensors are WEIGHT, except integer/bool tensors and BatchNorm running statistics (BUFFER);
 *       optimizer state is OPTIMIZER_STATE; TorchScript constants are CONSTANT; other tensors of a training
 *       checkpoint (EMA copies, callback state) are BUFFER and are named in a note.</li>
 *   <li>Metadata: {@code pytorch.entry.<path>} for scalar entries outside the weights ({@code step}, {@code lr},
 *       optimizer hyperparameters), {@code pytorch.model_key}, {@code pytorch.byteorder}, {@code pytorch.version},
 *       {@code pytorch.archive_name}, {@code pytorch.storage_count}.</li>
 * </ul>
 *
 * <h2>TorchScript</h2>
 * With {@link dev.heft.core.format.pickle.GlobalPolicy#TORCHSCRIPT}, a GLOBAL naming {@code __torch__} or a module
 * under it becomes a {@link dev.heft.core.format.pickle.PickleValue.ClassRef} (a name only); NEWOBJ or REDUCE of a
 * ClassRef makes a {@link dev.heft.core.format.pickle.PickleValue.PyObject} holding the class name and arguments,
 * and BUILD stores its state (the module's attribute dict) in it. Nothing is looked up or called: the walk reads a
 * PyObject's state like a dict, so {@code fc.weight} is named as in the module's state dict. {@code code/} files are
 * counted, never read; {@code constants.pkl} tensors (storages under {@code constants/}) are CONSTANT.
 */
package dev.heft.core.format.pytorch;
