package com.example.files;

import dev.termlet.RefusedException;
import dev.termlet.annotations.OnUser;
import dev.termlet.fileops.FileEvent;
import java.util.Locale;

/**
 * What may be uploaded: anything but Windows executables. The check runs on {@code pre-upload}, before a byte is
 * written, for every protocol (SFTP, SCP, FTPS).
 */
public class UploadRules {
    @OnUser("pre-upload")                                   // also Syncplify's "BeforeFileUpload"
    void noExecutables(FileEvent upload) {
        if (upload.path().toLowerCase(Locale.ROOT).endsWith(".exe")) {
            throw new RefusedException("executables are not accepted here");   // SFTP: permission denied
        }
    }
}
