package dev.heft.core.api.report;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An {@code Optional} component whose key is left out of the JSON when it is empty, for keys that exist only under
 * some options ({@code precisions} with {@code --dtypes}, {@code tensor_list} with {@code --tensors}). Without this
 * annotation an empty {@code Optional} is written as {@code null}: the key is always there.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OmitWhenEmpty {}
