/**
 * The model registry on disk (versions, the {@code current} pointer, the history of promotions and
 * rollbacks) and {@link io.pixelstream.core.registry.PromotionGate}, which decides whether a
 * candidate beats the current model. Imports no model runtime and no index.
 */
package io.pixelstream.core.registry;
