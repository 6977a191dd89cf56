/** The core of the file-operation pipeline: the user's root and the one path resolver (VirtualRoot, JailFileSystem), the gate every operation passes (permissions, events), quotas, throttles and the one AtomicUpload every write goes through. Not API. */
package dev.termlet.fileops.internal.core;
