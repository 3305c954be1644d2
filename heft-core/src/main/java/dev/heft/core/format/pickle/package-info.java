/**
 * A restricted pickle interpreter written for heft, equivalent in what it accepts to
 * {@code torch.load(weights_only=True)}: {@link dev.heft.core.format.pickle.PickleInterpreter} reads the opcodes of
 * pickle protocols 0-5 that torch writes and builds plain {@link dev.heft.core.format.pickle.PickleValue}s
 * (scalars, strings, bytes, containers, and tensors as views over named storages). Globals resolve only against
 * {@link dev.heft.core.format.pickle.AllowedGlobal}, {@link dev.heft.core.format.pickle.TorchDtype} and
 * {@link dev.heft.core.format.pickle.TorchStorageType}; calls of those run heft's own Java; everything else is
 * refused with an error naming it. No class is ever loaded by name and nothing from the file is executed.
 * {@link dev.heft.core.format.pickle.PickleLimits} caps every count a hostile pickle could grow.
 */
package dev.heft.core.format.pickle;
