/**
 * torchvision's classification models built from their layer definitions:
 * {@code VisionCatalog.get("resnet50").counts()}, {@code .flops(Shape.parse("8,3,224,224"))}, {@code .source()}.
 */
package dev.heft.core.arch.vision;
