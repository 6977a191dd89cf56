/**
 * Users' files in an S3-compatible bucket for Termlet's file server: {@link dev.termlet.s3.S3Storage}, given to
 * {@code FileOps.storage(...)}. Exports {@code dev.termlet.s3}; {@code dev.termlet.s3.internal} is not exported.
 */
module dev.termlet.s3 {
    requires transitive dev.termlet.fileops;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires org.slf4j;

    exports dev.termlet.s3;
}
