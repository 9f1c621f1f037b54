/**
 * A shim for DL4J 1.0.0-M2.1's oneDNN helpers, which look up a class by the name it had before M2.1
 * (see {@code ../shared/STACK.md}); holds that one class and nothing else.
 */
package org.nd4j.nativeblas;
