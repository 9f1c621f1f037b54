/**
 * k-means in embedding space: {@link io.pixelstream.core.cluster.KMeans} fits centroids with greedy
 * k-means++ seeding and restarts; {@link io.pixelstream.core.cluster.Centroids} assigns a vector
 * its nearest centroid. Plain Java: imports nothing beyond the JDK and commons-math.
 */
package io.pixelstream.core.cluster;
