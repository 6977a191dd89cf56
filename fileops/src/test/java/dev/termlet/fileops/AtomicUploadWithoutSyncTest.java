package dev.termlet.fileops;

/**
 * Uploads stay atomic when they are left to the kernel's write-back ({@link FileOps#syncUploads(boolean)} off): every
 * case of {@link AtomicUploadTest} again.
 */
class AtomicUploadWithoutSyncTest extends AtomicUploadTest {
    @Override
    FileOps fileOps() {
        FileOps ops = FileOps.sftp().syncUploads(false);
        org.assertj.core.api.Assertions.assertThat(ops.syncsUploads()).isFalse();
        return ops;
    }
}
