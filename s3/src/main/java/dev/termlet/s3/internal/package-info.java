/** The {@code java.nio.file} provider over S3 behind {@link dev.termlet.s3.S3Storage}; not part of the API. */
package dev.termlet.s3.internal;
