/**
 * S3-compatible object storage for the users' files of Termlet's file server ({@link dev.termlet.s3.S3Storage}).
 */
package dev.termlet.s3;
