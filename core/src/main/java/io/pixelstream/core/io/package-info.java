/**
 * Operating-system helpers: folders, daemon thread factories, the C library through JNA (malloc
 * thresholds, thread niceness), process memory readings. Imports nothing of the project.
 */
package io.pixelstream.core.io;
