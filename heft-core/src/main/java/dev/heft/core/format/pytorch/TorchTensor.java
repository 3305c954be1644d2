package dev.heft.core.format.pytorch;

import dev.heft.core.format.pickle.PickleValue.TensorView;
import dev.heft.core.tensor.TensorRole;

/**
 * One tensor of a checkpoint with both of its sizes: the view's own bytes (what the tensor is) and the stored bytes
 * heft attributes to it (each storage's bytes are attributed once, to the first tensor that views it, so that stored
 * bytes add up to the file's real tensor data when tensors share storages).
 *
 * @param name        dotted path in the checkpoint ({@code model.layers.0.mlp.up_proj.weight},
 *                    {@code optimizer.state.0.exp_avg}); weights of a nested checkpoint are named as in the model's
 *                    own state dict
 * @param section     where it was found
 * @param role        its role
 * @param view        the strided view as the pickle describes it
 * @param viewBytes   elements of the view times the element size
 * @param fileOffset  absolute offset of the view's first element
 * @param storedBytes bytes of its storage attributed to it (the whole storage, or 0 when an earlier tensor views it)
 * @param parameters  parameters it counts for: its elements for a model weight, except that a storage yields at most
 *                    its own elements however many weight views share it (views count in pickle order until the
 *                    storage is used up: an exact alias of an earlier weight, i.e. tied weights, counts 0); 0 for
 *                    every non-weight role
 * @param aliasOf     the earlier tensor it is an exact alias of, or null
 */
public record TorchTensor(
        String name,
        CheckpointSection section,
        TensorRole role,
        TensorView view,
        long viewBytes,
        long fileOffset,
        long storedBytes,
        long parameters,
        String aliasOf) {}
